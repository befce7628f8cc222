"""Suggested spans for the analysts: pure functions over French text, no database."""
