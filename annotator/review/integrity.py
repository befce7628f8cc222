"""Promises about reviewing that can be checked at any time (see annotator.integrity)."""

from collections.abc import Callable

from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone

from annotator.annotations.models import Assignment, Span, SpanEvent


def reviewer_holds_two_claims() -> int:
    holders = (
        Assignment.objects.in_review(timezone.now())
        .values("claimed_by")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    return holders.count()


def correction_elsewhere() -> int:
    """A correction replaces a span of the same work (decisions.add_span)."""
    return (
        Span.objects.filter(corrects__isnull=False)
        .exclude(assignment=F("corrects__assignment"))
        .count()
    )


def reviewer_span_not_theirs() -> int:
    """A span a reviewer added was created, in its history, by that reviewer."""
    created = SpanEvent.objects.filter(
        span=OuterRef("pk"), kind=SpanEvent.Kind.CREATED, actor=OuterRef("added_by")
    )
    return Span.objects.filter(added_by__isnull=False).exclude(Exists(created)).count()


INVARIANTS: dict[str, Callable[[], int]] = {
    "a reviewer holds more than one live claim": reviewer_holds_two_claims,
    "a reviewer's correction replaces a span of other work": correction_elsewhere,
    "a reviewer's span has no creation event by that reviewer": reviewer_span_not_theirs,
}
