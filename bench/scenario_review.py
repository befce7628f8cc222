"""Scenario 4: reviewers claim the next item ("Start reviewing") and release it, at once.

Each client is one logged-in reviewer looping POST /review/start/ (claim_next: SELECT … FOR
UPDATE SKIP LOCKED, a lease) then POST /review/items/<id>/release/. Duplicates are counted
twice, independently: by the clients (two reviewers' holds of one item that certainly
overlapped, see bench.load.overlapping_claims) and by the database (a bench-only trigger
that records any claim replacing another reviewer's live lease).
"""

from annotator.annotations.models import Assignment

from . import fixtures
from .loadrun import locust


def run(server, sessions, **timing):
    waiting = Assignment.objects.submitted().count()
    stolen_before = fixtures.stolen_claims()
    result = locust(
        server,
        kind="review",
        name="claim",
        slots=[{"headers": h} for h in sessions],
        users=len(sessions),
        **timing,
    )
    stolen = fixtures.stolen_claims() - stolen_before
    return {
        "waiting_items": waiting,
        "reviewers": len(sessions),
        "load": result,
        "claims_total": result.get("claims", 0),
        "duplicates_seen_by_clients": result.get("overlapping_claims"),
        "duplicates_seen_by_database": stolen,
        "duplicates": (result.get("overlapping_claims") or 0) + stolen,
    }
