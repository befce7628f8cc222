"""Figures for the review dashboard: a fixed handful of aggregate queries, whatever the data.

Approval rate means *approved as tagged*: of the spans a reviewer decided, the share approved
without a change of label. Relabelled spans count against the label the analyst chose (the
`label_before` of the reviewer's first relabel), since that is the tag being judged.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BigIntegerField, Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from annotator.annotations.models import Assignment, Label, Span, SpanEvent, SpanQuerySet

from .models import ReviewEvent

REVIEW_KINDS = [SpanEvent.Kind.APPROVED, SpanEvent.Kind.REJECTED, SpanEvent.Kind.RELABELED]


@dataclass
class Rate:
    name: str
    approved: int  # as tagged
    relabelled: int
    rejected: int

    @property
    def decided(self) -> int:
        return self.approved + self.relabelled + self.rejected

    @property
    def rate(self) -> float | None:
        """Approved as tagged, in percent; None before any decision."""
        return 100 * self.approved / self.decided if self.decided else None


def decided_spans() -> SpanQuerySet:
    """Live spans a reviewer has decided, with the label the analyst gave them.

    Spans a reviewer drew (added_by) are not the analyst's tags, so they are not judged.
    """
    reviewer_relabels = (
        SpanEvent.objects.filter(span=OuterRef("pk"), kind=SpanEvent.Kind.RELABELED)
        .exclude(actor=OuterRef("annotator"))
        .order_by("id")
    )
    return (
        Span.objects.live()
        .exclude(status=Span.Status.PENDING)
        .filter(added_by__isnull=True)
        .annotate(
            tagged_label=Coalesce(
                Subquery(reviewer_relabels.values("label_before_id")[:1]),
                F("label_id"),
                output_field=BigIntegerField(),
            ),
            relabelled=Exists(reviewer_relabels),
        )
    )


RATE_COUNTS = {
    "n_approved": Count("pk", filter=Q(status=Span.Status.APPROVED, relabelled=False)),
    "n_relabelled": Count("pk", filter=Q(status=Span.Status.APPROVED, relabelled=True)),
    "n_rejected": Count("pk", filter=Q(status=Span.Status.REJECTED)),
}


def _rate(name: str, row: Mapping[str, Any]) -> Rate:
    return Rate(name, row["n_approved"], row["n_relabelled"], row["n_rejected"])


def rates_per_label() -> list[Rate]:
    labels = {label.pk: label for label in Label.objects.all()}
    # decided_spans() annotates `tagged_label`; the plugin checks names against the fields.
    rows = (
        decided_spans()
        .values("tagged_label")  # type: ignore[misc]
        .annotate(**RATE_COUNTS)
        .order_by()
    )
    rates = [_rate(labels[row["tagged_label"]].name, row) for row in rows]
    order = {label.name: (label.order, label.name) for label in labels.values()}
    return sorted(rates, key=lambda rate: order[rate.name])


def rates_per_analyst() -> list[Rate]:
    rows = (
        decided_spans()
        .values("annotator__username")
        .annotate(**RATE_COUNTS)
        .order_by("annotator__username")
    )
    return [_rate(row["annotator__username"], row) for row in rows]


def decisions_per_reviewer() -> list[dict[str, Any]]:
    """Span decisions and item outcomes per reviewer, most active first."""
    spans = (
        SpanEvent.objects.filter(kind__in=REVIEW_KINDS)
        .exclude(actor=F("assignment__analyst"))  # an analyst relabelling their own span
        .values("actor__username")
        .annotate(
            approved=Count("pk", filter=Q(kind=SpanEvent.Kind.APPROVED)),
            rejected=Count("pk", filter=Q(kind=SpanEvent.Kind.REJECTED)),
            relabelled=Count("pk", filter=Q(kind=SpanEvent.Kind.RELABELED)),
            last=Max("at"),
        )
        .order_by()
    )
    items = (
        ReviewEvent.objects.values("actor__username")
        .annotate(
            items_approved=Count("pk", filter=Q(kind=ReviewEvent.Kind.APPROVED)),
            items_returned=Count("pk", filter=Q(kind=ReviewEvent.Kind.RETURNED)),
            last=Max("at"),
        )
        .order_by()
    )
    zero = {"approved": 0, "rejected": 0, "relabelled": 0, "items_approved": 0, "items_returned": 0}
    merged: dict[str, dict[str, Any]] = {}
    for values in [*spans, *items]:
        row: dict[str, Any] = dict(values)  # a copy to pop from (mypy sees TypedDicts)
        name = row.pop("actor__username")
        entry = merged.setdefault(name, {**zero, "reviewer": name, "last": row["last"]})
        entry["last"] = max(entry["last"], row.pop("last"))
        entry.update(row)
    for entry in merged.values():
        entry["decisions"] = entry["approved"] + entry["rejected"] + entry["relabelled"]
    return sorted(merged.values(), key=lambda e: (-e["decisions"], e["reviewer"]))


def overview(now: datetime) -> dict[str, Any]:
    live_claim = Assignment.live_claim(now)
    counts = Assignment.objects.submitted().aggregate(
        waiting=Count("pk", filter=~live_claim), in_review=Count("pk", filter=live_claim)
    )
    oldest = (
        Assignment.objects.waiting(now).oldest_first().select_related("article", "analyst").first()
    )
    return {
        **counts,
        "oldest": oldest,
        "oldest_wait": now - oldest.submitted_at if oldest and oldest.submitted_at else None,
        "reviewing": list(
            Assignment.objects.in_review(now)
            .select_related("article", "analyst", "claimed_by")
            .order_by("claim_expires_at", "id")
        ),
        "per_reviewer": decisions_per_reviewer(),
        "per_label": rates_per_label(),
        "per_analyst": rates_per_analyst(),
    }
