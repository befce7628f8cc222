"""What annotating means: create, delete, relabel, undo and submit, each one transaction.

Every function locks the assignment row first (SELECT … FOR UPDATE): that serialises all
changes to one analyst's work on one article, so a submission cannot race a late span, and
two identical requests (a double key press) find each other instead of both inserting.
A change the current state does not allow raises Refused.
"""

import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from annotator.refusal import Refused

from .models import Assignment, Label, Span, SpanEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def lock_assignment(assignment_id: int, analyst: "User") -> Assignment:
    """The analyst's own assignment, locked for this transaction; 404 for anyone else's."""
    return get_object_or_404(
        Assignment.objects.select_for_update().select_related("article"),
        pk=assignment_id,
        analyst=analyst,
    )


def lock_editable(assignment_id: int, analyst: "User") -> Assignment:
    """lock_assignment, refused unless its analyst may still change it."""
    assignment = lock_assignment(assignment_id, analyst)
    if not assignment.is_editable:
        raise Refused(_("This article was submitted; it is read-only until a reviewer returns it."))
    return assignment


def _begin(
    assignment_id: int, analyst: "User", action_id: uuid.UUID | None
) -> tuple[Assignment, SpanEvent | None]:
    """Where every edit starts: the assignment locked (refused unless its analyst may still
    edit it), and the event of an earlier request with this action id, if this is a retry."""
    assignment = lock_editable(assignment_id, analyst)
    return assignment, SpanEvent.objects.replayed(action_id, actor=analyst, assignment=assignment)


def _of(span: Span, assignment: Assignment) -> Span:
    """The span with its locked assignment (and article) attached: views render from it."""
    span.assignment = assignment
    return span


def record(
    span: Span,
    kind: str,
    actor: "User",
    *,
    action_id: uuid.UUID | None = None,
    undoes: SpanEvent | None = None,
    **changes: Any,
) -> SpanEvent:
    """Append one event to the span's history (same transaction as the change)."""
    return SpanEvent.objects.create(
        span=span,
        assignment_id=span.assignment_id,
        actor=actor,
        kind=kind,
        action_id=action_id,
        undoes=undoes,
        **changes,
    )


@transaction.atomic
def create_span(
    assignment_id: int,
    analyst: "User",
    *,
    label: Label,
    start: int,
    end: int,
    text: str | None = None,
    action_id: uuid.UUID | None = None,
) -> tuple[Span, bool]:
    """Tag text[start:end]; returns (span, created). Identical live spans are not repeated.

    `text` is what the analyst's page shows there; a page that disagrees with the article
    is out of date. Checked here, on the row just locked, so the view loads it only once.
    """
    assignment, replay = _begin(assignment_id, analyst, action_id)
    article_text = assignment.article.text
    if end > len(article_text):
        raise Refused(_("The span ends after the end of the article."), status=422)
    if text is not None and article_text[start:end] != text:
        raise Refused(_("The page is out of date with the article: reload it and try again."))
    if replay:
        return _of(replay.span, assignment), False
    existing = (
        Span.objects.live().filter(assignment=assignment, label=label, start=start, end=end).first()
    )
    if existing:
        return _of(existing, assignment), False
    span = Span.objects.create(
        assignment=assignment,
        article_id=assignment.article_id,
        annotator=analyst,
        label=label,
        start=start,
        end=end,
        text=article_text[start:end],
    )
    record(span, SpanEvent.Kind.CREATED, analyst, action_id=action_id, label_after=label)
    return span, True


REVIEW_FIELDS = ["status", "reviewed_by", "reviewed_at", "reject_reason"]


def _reset_review(span: Span) -> list[str]:
    """An analyst's change after a return makes the span new to the reviewer again."""
    span.status = Span.Status.PENDING
    span.reviewed_by = None
    span.reviewed_at = None
    span.reject_reason = ""
    return REVIEW_FIELDS


def _live_span(assignment: Assignment, span_id: int) -> Span:
    # The assignment is the analyst's own (locked above): a span missing from it was removed
    # meanwhile, most often from another tab. Said in words, not a bare 404.
    span = Span.objects.live().filter(pk=span_id, assignment=assignment).first()
    if span is None:
        raise Refused(
            _("That span is no longer in this article (removed in another tab?): reload the page."),
            status=404,
        )
    return _of(span, assignment)


@transaction.atomic
def delete_span(
    assignment_id: int,
    analyst: "User",
    span_id: int,
    *,
    action_id: uuid.UUID | None = None,
) -> Span:
    assignment, replay = _begin(assignment_id, analyst, action_id)
    if replay:
        return _of(replay.span, assignment)
    span = _live_span(assignment, span_id)
    span.deleted_at = timezone.now()
    span.save(update_fields=["deleted_at", "updated_at"])
    record(span, SpanEvent.Kind.DELETED, analyst, action_id=action_id, label_before=span.label)
    return span


@transaction.atomic
def relabel_span(
    assignment_id: int,
    analyst: "User",
    span_id: int,
    *,
    label: Label,
    action_id: uuid.UUID | None = None,
) -> Span:
    assignment, replay = _begin(assignment_id, analyst, action_id)
    if replay:
        return _of(replay.span, assignment)
    span = _live_span(assignment, span_id)
    if span.label_id == label.pk:
        return span
    _refuse_clash(span, label)
    before = span.label
    span.label = label
    span.save(update_fields=["label", "updated_at", *_reset_review(span)])
    record(
        span,
        SpanEvent.Kind.RELABELED,
        analyst,
        action_id=action_id,
        label_before=before,
        label_after=label,
    )
    return span


def _refuse_clash(span: Span, label: Label) -> None:
    clash = (
        Span.objects.live()
        .filter(assignment_id=span.assignment_id, label=label, start=span.start, end=span.end)
        .exclude(pk=span.pk)
    )
    if clash.exists():
        raise Refused(_("The same text already has that label."))


UNDOABLE = [SpanEvent.Kind.CREATED, SpanEvent.Kind.DELETED, SpanEvent.Kind.RELABELED]


@transaction.atomic
def undo_last(
    assignment_id: int, analyst: "User", *, action_id: uuid.UUID | None = None
) -> SpanEvent | None:
    """Reverse the analyst's latest change not yet undone; None when there is nothing left.

    Undo is itself recorded (as deleted/restored/relabelled with `undoes` set), so the
    history keeps both the action and its reversal.
    """
    assignment, replay = _begin(assignment_id, analyst, action_id)
    if replay:
        _of(replay.span, assignment)
        return replay
    event = (
        SpanEvent.objects.filter(
            assignment=assignment,
            actor=analyst,
            kind__in=UNDOABLE,
            undoes__isnull=True,
            undone_by__isnull=True,
        )
        .select_related("span", "label_before")
        .order_by("-id")
        .first()
    )
    if event is None:
        return None
    span = _of(event.span, assignment)
    if event.kind == SpanEvent.Kind.CREATED:
        span.deleted_at = timezone.now()
        span.save(update_fields=["deleted_at", "updated_at"])
        kind, changes = SpanEvent.Kind.DELETED, {"label_before": span.label}
    elif event.kind == SpanEvent.Kind.DELETED:
        _refuse_clash(span, span.label)
        span.deleted_at = None
        span.save(update_fields=["deleted_at", "updated_at", *_reset_review(span)])
        kind, changes = SpanEvent.Kind.RESTORED, {"label_after": span.label}
    else:
        previous = event.label_before
        assert previous is not None  # a relabelling records the label it replaced
        _refuse_clash(span, previous)
        changes = {"label_before": span.label, "label_after": previous}
        span.label = previous
        span.save(update_fields=["label", "updated_at", *_reset_review(span)])
        kind = SpanEvent.Kind.RELABELED
    return record(span, kind, analyst, action_id=action_id, undoes=event, **changes)


class EmptySubmission(Refused):
    """Submitting work without a single span: allowed, but only when confirmed."""


@transaction.atomic
def submit(assignment_id: int, analyst: "User", *, empty_ok: bool = False) -> Assignment:
    """Hand the work in for review; an article with no live span only when `empty_ok`
    (the analyst confirmed there is nothing to tag: a slip of Shift+Enter is likelier)."""
    assignment = lock_editable(assignment_id, analyst)
    if not empty_ok and not Span.objects.live().filter(assignment=assignment).exists():
        raise EmptySubmission(
            _("You have tagged nothing in this article: confirm that you want to submit it empty.")
        )
    assignment.status = Assignment.Status.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    return assignment
