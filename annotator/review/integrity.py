"""Promises about reviewing that can be checked at any time (see annotator.integrity)."""

from collections.abc import Callable

from django.db.models import Count
from django.utils import timezone

from annotator.annotations.models import Assignment


def reviewer_holds_two_claims() -> int:
    holders = (
        Assignment.objects.in_review(timezone.now())
        .values("claimed_by")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    return holders.count()


INVARIANTS: dict[str, Callable[[], int]] = {
    "a reviewer holds more than one live claim": reviewer_holds_two_claims,
}
