"""Promises about the stored data that can be checked at any time, gathered from each app.

The test suite checks them after every test that touches the database, and `make soak`
after its fault run. Each check counts the rows that break its promise; the database's
own constraints and triggers keep most promises, these catch what spans several rows.
"""

from annotator.annotations.integrity import INVARIANTS as ANNOTATIONS
from annotator.articles.integrity import INVARIANTS as ARTICLES
from annotator.review.integrity import INVARIANTS as REVIEW

INVARIANTS = {**ARTICLES, **ANNOTATIONS, **REVIEW}


def broken_invariants() -> dict[str, int]:
    """{promise: number of rows breaking it}, empty when all hold."""
    broken = {}
    for rule, count in INVARIANTS.items():
        if rows := count():
            broken[rule] = rows
    return broken
