"""What the annotation page's span list shows, and which of its rows an edit changed."""

from typing import Any, Literal, NamedTuple

from django.db.models import OuterRef, Subquery

from .attributes import Schema
from .models import Assignment, Span, SpanEvent
from .panel import ShownValue, shown_values


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
    label_id: int = 0
    # Its values, compactly (panel.shown_values), and the names of the required ones it
    # lacks: submitting is refused until they are filled in or marked unknown.
    values: tuple[ShownValue, ...] = ()
    missing: tuple[str, ...] = ()


FIELDS = (
    "id",
    "start",
    "end",
    "text",
    "label__name",
    "label__color",
    "status",
    "reject_reason",
    "label_id",
    "attributes",
    "label__attributes_version",
)
_LABEL, _VERSION = FIELDS.index("label_id"), FIELDS.index("label__attributes_version")


def shown_spans(assignment: Assignment, *, only: int | None = None) -> list[ShownSpan]:
    """The live spans as the page shows them, in page order.

    Tuples of the shown fields: building 300 Span and Label objects was a sixth of the
    page's time. Work a reviewer has decided on also gets, in the same query, the label a
    reviewer's relabelling replaced (the decision is a SpanEvent, kept in this app, so the
    annotation page reads it without importing review).

    Each row carries its label's attributes_version, so the values are named, and the
    missing ones found, from what the process keeps of the labels' attributes (Schema):
    no query more once they are kept. With `only`, the values of that span alone (an
    edit sends its one row; the others serve for positions and marks).
    """
    return spans_from_rows(page_rows(assignment), only=only)


def page_rows(assignment: Assignment) -> list[tuple[Any, ...]]:
    """The rows shown_spans builds on (its FIELDS, and the relabelling's label last)."""
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
    return list(rows.values_list(*fields))


def row_versions(rows: list[tuple[Any, ...]]) -> dict[int, int]:
    """label id → attributes_version, of the labels of page_rows' rows."""
    return {row[_LABEL]: row[_VERSION] for row in rows}


def spans_from_rows(
    rows: list[tuple[Any, ...]], schema: Schema | None = None, *, only: int | None = None
) -> list[ShownSpan]:
    """`schema`: the attributes of the rows' labels, if already at hand; `only`: as for
    shown_spans."""
    if only is not None:
        detailed = [row for row in rows if row[0] == only]
        schema = Schema.at(row_versions(detailed))
        return [_shown(schema, *row) if row[0] == only else _bare(*row) for row in rows]
    if schema is None:
        schema = Schema.at(row_versions(rows))
    return [_shown(schema, *row) for row in rows]


def _bare(pk: int, start: int, end: int, text: str, label: str, color: int, *_: Any) -> ShownSpan:
    """A row as a position and a mark only (no values, no review state)."""
    return ShownSpan(pk, start, end, text, ShownLabel(label, color))


def _shown(
    schema: Schema,
    pk: int,
    start: int,
    end: int,
    text: str,
    label: str,
    color: int,
    status: str,
    reason: str,
    label_id: int,
    values: dict[str, Any],
    _version: int,
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
        label_id=label_id,
        values=tuple(shown_values(schema.of(label_id), values)) if values else (),
        missing=tuple(schema.missing(label_id, values)),
    )


class LackingSpan(NamedTuple):
    """A span that lacks a required value, in the list shown when submitting is refused."""

    pk: int
    text: str
    label: str
    missing: tuple[str, ...]  # the attributes' names


def lacking_values(assignment: Assignment) -> list[LackingSpan]:
    """The spans submitting refuses (SpanQuerySet.missing_required), in page order."""
    rows = list(
        Span.objects.filter(assignment=assignment)
        .missing_required()
        .in_page_order()
        .values_list(
            "id", "text", "label__name", "label_id", "attributes", "label__attributes_version"
        )
    )
    schema = Schema.at({row[3]: row[5] for row in rows})
    return [
        LackingSpan(pk, text, label, tuple(schema.missing(label_id, values)))
        for pk, text, label, label_id, values, _version in rows
    ]


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
