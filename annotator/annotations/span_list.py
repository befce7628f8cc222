"""What the annotation page's span list shows, and which of its rows an edit changed."""

from typing import Any, Literal, NamedTuple

from django.db.models import OuterRef, Subquery

from .models import Assignment, Span, SpanEvent


class ShownLabel(NamedTuple):
    name: str
    color: int


class ShownSpan(NamedTuple):
    """What the annotation page shows of a live span (a tuple: cheap to build by hundreds)."""

    pk: int
    start: int
    end: int
    text: str
    label: ShownLabel
    # The reviewer's decision, shown to the analyst after a return: a rejection and its
    # reason, or the label the reviewer replaced (empty unless the span is approved under it).
    rejected: bool = False
    reject_reason: str = ""
    relabelled_from: str = ""


FIELDS = ("id", "start", "end", "text", "label__name", "label__color", "status", "reject_reason")


def shown_spans(assignment: Assignment) -> list[ShownSpan]:
    """The live spans as the page shows them, in page order.

    Tuples of the shown fields: building 300 Span and Label objects was a sixth of the
    page's time. Work a reviewer has decided on also gets, in the same query, the label a
    reviewer's relabelling replaced (the decision is a SpanEvent, kept in this app, so the
    annotation page reads it without importing review).
    """
    rows = Span.objects.live().filter(assignment=assignment).in_page_order()
    fields: tuple[str, ...] = FIELDS
    if assignment.reviewed_by_id is not None:
        relabelling = (
            SpanEvent.objects.decisions()
            .filter(span=OuterRef("pk"), kind=SpanEvent.Kind.RELABELED)
            .order_by("-id")
            .values("label_before__name")[:1]
        )
        rows = rows.annotate(relabelled_from=Subquery(relabelling))
        fields = (*FIELDS, "relabelled_from")
    return [_shown(*row) for row in rows.values_list(*fields)]


def _shown(
    pk: int,
    start: int,
    end: int,
    text: str,
    label: str,
    color: int,
    status: str,
    reason: str,
    relabelled_from: str | None = None,
) -> ShownSpan:
    approved = status == Span.Status.APPROVED
    return ShownSpan(
        pk,
        start,
        end,
        text,
        ShownLabel(label, color),
        rejected=status == Span.Status.REJECTED,
        reject_reason=reason,
        relabelled_from=(relabelled_from or "") if approved else "",
    )


How = Literal["added", "removed", "replaced"]


def row_change(how: How, span_id: int, spans: list[ShownSpan]) -> dict[str, Any]:
    """One changed row of the span list, and where it goes (annotate.html#row_change).

    `spans` is the list after the change, in page order. A new first row, or the last one
    gone, replaces the whole <ol> so that "No spans yet" comes and goes with it; otherwise
    a new row goes before the row that follows it in the text, or at the end.
    """
    if how == "removed":
        return {"how": how, "pk": span_id, "empty": not spans}
    at = next(i for i, span in enumerate(spans) if span.pk == span_id)
    following = spans[at + 1].pk if at + 1 < len(spans) else None
    return {"how": how, "span": spans[at], "next": following, "only": len(spans) == 1}
