"""What the review page shows of each span's decision, in the text and in the list.

A decision is never shown by colour alone: each state has a word (in the highlight's title
and the list) and a sign beside the label tag; a rejected span is struck through.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from annotator.annotations.models import Label, Span

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class ReviewedMark:
    """A span as articles.layout marks it, with its decision (a layout.Mark)."""

    span: Span
    state: str  # pending, approved, rejected, relabelled, corrected, added
    original: Label | None  # the analyst's label, when a reviewer changed it

    @property
    def pk(self) -> int:
        return self.span.pk

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def label(self) -> Label:
        return self.span.label

    @property
    def sign(self) -> str:
        """Shown after the label tag: ✓ approved, ✗ rejected, → the reviewer's label."""
        return SIGNS[self.state]

    @property
    def tag(self) -> str:
        if self.original is not None:
            return f"{self.original.name} → {self.label.name}"
        return f"{self.label.name} {self.sign}".strip()

    @property
    def state_name(self) -> "StrOrPromise":
        return state_names()[self.state]


SIGNS = {
    "pending": "",
    "approved": "✓",
    "rejected": "✗",
    "relabelled": "→",
    "corrected": "✗",
    "added": "✓",
}


def state_names() -> dict[str, "StrOrPromise"]:
    return {
        "pending": _("undecided"),
        "approved": _("approved"),
        "rejected": _("rejected"),
        "relabelled": _("relabelled by the reviewer"),
        "corrected": _("replaced by the reviewer’s correction"),
        "added": _("added by the reviewer"),
    }


def analyst_label(span: Span) -> Label | None:
    """The analyst's latest label for the span, from its (prefetched) history."""
    for event in reversed(span.events.all()):
        if event.actor_id == span.annotator_id and event.label_after is not None:
            return event.label_after
    return None


def reviewed_mark(span: Span) -> ReviewedMark:
    """The span's decision as the review page shows it; reads span.events (prefetch them)."""
    if span.added_by_id is not None:
        return ReviewedMark(span, "added", None)
    if span.status == Span.Status.REJECTED:
        corrected = getattr(span, "correction", None) is not None
        return ReviewedMark(span, "corrected" if corrected else "rejected", None)
    if span.status == Span.Status.PENDING:
        return ReviewedMark(span, "pending", None)
    original = analyst_label(span)
    if original is not None and original.pk != span.label_id:
        return ReviewedMark(span, "relabelled", original)
    return ReviewedMark(span, "approved", None)
