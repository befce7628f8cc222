"""What the annotation page's span list shows, and which of its rows an edit changed."""

from typing import Any, Literal, NamedTuple

from .models import Assignment, Span


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


def shown_spans(assignment: Assignment) -> list[ShownSpan]:
    """The live spans as the page shows them, in page order.

    Tuples of the shown fields: building 300 Span and Label objects was a sixth of the
    page's time.
    """
    rows = (
        Span.objects.live()
        .filter(assignment=assignment)
        .in_page_order()
        .values_list("id", "start", "end", "text", "label__name", "label__color")
    )
    return [ShownSpan(*row[:4], ShownLabel(*row[4:])) for row in rows]


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
