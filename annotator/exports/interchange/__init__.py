"""Interchange with doccano (JSONL) and Label Studio (JSON tasks): export and import."""
