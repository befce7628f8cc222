"""What annotating means: create, delete, relabel, set values, undo and submit, each one
transaction.

Every function locks the assignment row first (SELECT … FOR UPDATE): that serialises all
changes to one analyst's work on one article, so a submission cannot race a late span, and
two identical requests (a double key press) find each other instead of both inserting.
A change the current state does not allow raises Refused.
"""

import uuid
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotator.refusal import Refused

from .models import Assignment, Label, Span, SpanEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import Suggestion


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
    attributes: Mapping[str, Any] | None = None,
    action_id: uuid.UUID | None = None,
    suggestion: "Suggestion | None" = None,
) -> tuple[Span, bool]:
    """Tag text[start:end]; returns (span, created). Identical live spans are not repeated
    (the existing one is returned as it is, without `attributes`). `suggestion`: the one
    accepted to make it, recorded in its history.

    `text` is what the analyst's page shows there; a page that disagrees with the article
    is out of date. Checked here, on the row just locked, so the view loads it only once.
    `attributes`: first values, as set_attributes takes them.
    """
    assignment, replay = _begin(assignment_id, analyst, action_id)
    article_text = assignment.article.text
    if end > len(article_text):
        raise Refused(_("The span ends after the end of the article."), status=422)
    if text is not None and article_text[start:end] != text:
        raise Refused(_("The page is out of date with the article: reload it and try again."))
    values = label.validate_attributes(attributes or {}, article_text)
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
        attributes=values,
    )
    record(
        span,
        SpanEvent.Kind.CREATED,
        analyst,
        action_id=action_id,
        label_after=label,
        attributes_after=values,
        suggestion=suggestion,
    )
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
    span = (
        Span.objects.live()
        .select_related("label")
        .filter(pk=span_id, assignment=assignment)
        .first()
    )
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
    changes = drop_values(span)
    span.save(update_fields=["label", "attributes", "updated_at", *_reset_review(span)])
    record(
        span,
        SpanEvent.Kind.RELABELED,
        analyst,
        action_id=action_id,
        label_before=before,
        label_after=label,
        **changes,
    )
    return span


def drop_values(span: Span) -> dict[str, Any]:
    """A relabelled span starts with no values: they were answers to the other label's
    questions (an undo brings them back). Returns the event's attributes_before/_after."""
    if not span.attributes:
        return {}
    before, span.attributes = span.attributes, {}
    return {"attributes_before": before, "attributes_after": {}}


@transaction.atomic
def set_attributes(
    assignment_id: int,
    analyst: "User",
    span_id: int,
    *,
    values: Mapping[str, Any],
    clear: Collection[str] = (),
    action_id: uuid.UUID | None = None,
) -> Span:
    """Change some of a span's values: each key of `values` gets its value (None: marked
    unknown), each key of `clear` is removed (not filled in); other keys stay as they are.

    Values arrive as a form sends them ("213" for a number) and are stored cleaned; what
    cannot be stored raises InvalidValues (a Refused, 422) naming each field. On a span
    already decided by a reviewer (returned work), the change makes it pending again.

    >>> set_attributes(a.pk, ana, span.pk, values={"min": "12", "max": None}, clear=["kind"])
    """
    assignment, replay = _begin(assignment_id, analyst, action_id)
    if replay:
        return _of(replay.span, assignment)
    span = _live_span(assignment, span_id)
    change_values(
        span,
        analyst,
        assignment.article.text,
        values=values,
        clear=clear,
        action_id=action_id,
        also=_reset_review,
    )
    return span


def change_values(
    span: Span,
    actor: "User",
    article_text: str,
    *,
    values: Mapping[str, Any],
    clear: Collection[str] = (),
    action_id: uuid.UUID | None = None,
    also: Callable[[Span], list[str]] | None = None,
) -> bool:
    """set_attributes on a span already locked and allowed: validate, save, record an
    ATTRIBUTES event. `also` changes more fields of the span with it (returns their names).
    False when nothing would change (nothing is written). The review app calls it too."""
    if both := set(values) & set(clear):
        raise Refused(
            _("A field cannot be both set and cleared: %(keys)s.")
            % {"keys": ", ".join(sorted(both))},
            status=422,
        )
    before = span.attributes
    kept = {key: value for key, value in before.items() if key not in clear}
    after = {**kept, **span.label.validate_attributes(values, article_text, stored=kept)}
    if after == before:
        return False
    span.attributes = after
    span.save(update_fields=["attributes", "updated_at", *(also(span) if also else [])])
    record(
        span,
        SpanEvent.Kind.ATTRIBUTES,
        actor,
        action_id=action_id,
        label_before=span.label,
        label_after=span.label,
        attributes_before=before,
        attributes_after=after,
    )
    return True


def _refuse_clash(span: Span, label: Label) -> None:
    clash = (
        Span.objects.live()
        .filter(assignment_id=span.assignment_id, label=label, start=span.start, end=span.end)
        .exclude(pk=span.pk)
    )
    if clash.exists():
        raise Refused(_("The same text already has that label."))


UNDOABLE = [
    SpanEvent.Kind.CREATED,
    SpanEvent.Kind.DELETED,
    SpanEvent.Kind.RELABELED,
    SpanEvent.Kind.ATTRIBUTES,
]


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
    changes: dict[str, Any]
    if event.kind == SpanEvent.Kind.CREATED:
        span.deleted_at = timezone.now()
        span.save(update_fields=["deleted_at", "updated_at"])
        kind, changes = SpanEvent.Kind.DELETED, {"label_before": span.label}
    elif event.kind == SpanEvent.Kind.DELETED:
        _refuse_clash(span, span.label)
        span.deleted_at = None
        span.save(update_fields=["deleted_at", "updated_at", *_reset_review(span)])
        kind, changes = SpanEvent.Kind.RESTORED, {"label_after": span.label}
    elif event.kind == SpanEvent.Kind.ATTRIBUTES:
        # Back to the values before, but for those no longer valid (switched off since).
        restored = span.label.keep_valid_attributes(
            event.attributes_before or {}, assignment.article.text
        )
        changes = {
            "label_before": span.label,
            "label_after": span.label,
            "attributes_before": span.attributes,
            "attributes_after": restored,
        }
        span.attributes = restored
        span.save(update_fields=["attributes", "updated_at", *_reset_review(span)])
        kind = SpanEvent.Kind.ATTRIBUTES
    else:
        previous = event.label_before
        assert previous is not None  # a relabelling records the label it replaced
        _refuse_clash(span, previous)
        changes = {"label_before": span.label, "label_after": previous}
        span.label = previous
        # The values the relabelling dropped come back, but for an attribute or a choice
        # switched off since.
        restored = previous.keep_valid_attributes(
            event.attributes_before or {}, assignment.article.text
        )
        if span.attributes or restored:
            changes |= {"attributes_before": span.attributes, "attributes_after": restored}
        span.attributes = restored
        span.save(update_fields=["label", "attributes", "updated_at", *_reset_review(span)])
        kind = SpanEvent.Kind.RELABELED
    return record(span, kind, analyst, action_id=action_id, undoes=event, **changes)


class EmptySubmission(Refused):
    """Submitting work without a single span: allowed, but only when confirmed."""


class MissingValues(Refused):
    """Submitting work while spans lack a required value: `span_ids` says which."""

    def __init__(self, span_ids: list[int]) -> None:
        n = len(span_ids)
        super().__init__(
            ngettext(
                "%(n)d span lacks a required value: fill it in, or mark it unknown, "
                "then submit again.",
                "%(n)d spans lack a required value: fill them in, or mark them unknown, "
                "then submit again.",
                n,
            )
            % {"n": n}
        )
        self.span_ids = span_ids


@transaction.atomic
def submit(assignment_id: int, analyst: "User", *, empty_ok: bool = False) -> Assignment:
    """Hand the work in for review; an article with no live span only when `empty_ok`
    (the analyst confirmed there is nothing to tag: a slip of Shift+Enter is likelier)."""
    assignment = lock_editable(assignment_id, analyst)
    if not empty_ok and not Span.objects.live().filter(assignment=assignment).exists():
        raise EmptySubmission(
            _("You have tagged nothing in this article: confirm that you want to submit it empty.")
        )
    # Said here in words; migration 0007's trigger refuses the same submission regardless.
    missing = Span.objects.filter(assignment=assignment).missing_required()
    if span_ids := list(missing.order_by("start", "end", "id").values_list("id", flat=True)):
        raise MissingValues(span_ids)
    assignment.status = Assignment.Status.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["status", "submitted_at"])
    return assignment
