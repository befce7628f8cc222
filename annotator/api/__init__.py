"""The API for pipelines, /api/v1/ (django-ninja): tokens in, JSON out.

Above every app in the layers, as the pages' URLs are: it reads and writes through the
apps' own services and rules, so a request with a token is checked by the same code as the
page (annotator.accounts.tokens for who it is).
"""
