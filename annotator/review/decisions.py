"""What reviewing means: decide on spans, then approve the article or return it.

Every function is one transaction that first locks the assignment row (SELECT … FOR UPDATE):
the claim is checked and used under that lock, so a decision cannot race a lease that expires
and is re-claimed, nor a second reviewer, nor the analyst's own editing (annotations.spans
locks the same row). Span decisions are SpanEvents written in the same transaction; how an
item ends is a ReviewEvent.

Only the reviewer holding an unexpired claim may decide. Each decision renews the lease, so
a reviewer who keeps working does not lose the item halfway through. Anything else raises
Refused, saying why.
"""

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from annotator.annotations.models import Assignment, Label, Span, SpanEvent
from annotator.annotations.spans import change_values, drop_values, record
from annotator.refusal import Refused

from .models import ReviewEvent
from .queue import lease

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Decision(models.TextChoices):
    APPROVE = "approve", gettext_lazy("Approve")
    REJECT = "reject", gettext_lazy("Reject")
    RELABEL = "relabel", gettext_lazy("Relabel")


def refuse_own_work(assignment: Assignment, reviewer: "User") -> None:
    """Separation of duties: nobody reviews their own work (the database refuses it too)."""
    if assignment.analyst_id == reviewer.pk:
        raise Refused(_("You cannot review your own work."), status=403)


def _lock(assignment_id: int, reviewer: "User") -> Assignment:
    """The assignment, locked; refused (403) when it is the reviewer's own work."""
    assignment = get_object_or_404(Assignment.objects.select_for_update(), pk=assignment_id)
    refuse_own_work(assignment, reviewer)
    return assignment


def _hold(assignment: Assignment, reviewer: "User", now: datetime) -> None:
    """Refuse unless the reviewer holds an unexpired claim; then renew the lease."""
    if assignment.status != Assignment.Status.SUBMITTED:
        raise Refused(
            _("This article is no longer waiting for review (it is now “%(status)s”).")
            % {"status": assignment.get_status_display()}
        )
    if assignment.claimed_by_id != reviewer.pk:
        if assignment.claim_is_live(now):
            raise Refused(
                _("Another reviewer is reviewing this article; your change was not saved.")
            )
        raise Refused(
            _("You are not reviewing this article. Use “Start reviewing” to claim an item.")
        )
    if not assignment.claim_is_live(now):
        raise Refused(
            _(
                "Your time on this article ran out and it went back to the queue; your change "
                "was not saved. Use “Start reviewing” to claim an item again."
            )
        )
    assignment.claim_expires_at = now + lease()
    assignment.save(update_fields=["claim_expires_at"])


def _apply(
    span: Span,
    reviewer: "User",
    now: datetime,
    *,
    status: str,
    label: Label | None = None,
    reason: str = "",
    action_id: uuid.UUID | None = None,
) -> bool:
    """Set the span's decision and record it; returns False when nothing would change."""
    label = label or span.label
    # A reason explains a rejection or a new label; an approval as tagged needs none.
    relabelled = label.pk != span.label_id
    reason = reason if status == Span.Status.REJECTED or relabelled else ""
    if (status, label.pk, reason) == (span.status, span.label_id, span.reject_reason):
        return False
    before_status, before_label = span.status, span.label
    if label.pk != before_label.pk and (
        Span.objects.live()
        .filter(assignment_id=span.assignment_id, label=label, start=span.start, end=span.end)
        .exclude(pk=span.pk)
        .exists()
    ):
        raise Refused(
            _("The analyst already tagged the same text with that label: reject one instead.")
        )
    span.status = status
    span.label = label
    # Values answer the label's questions: a new label starts without (the reviewer may
    # fill them in, set_attributes below).
    values = drop_values(span) if label.pk != before_label.pk else {}
    span.reject_reason = reason
    span.reviewed_by = reviewer
    span.reviewed_at = now
    span.save(
        update_fields=[
            "status",
            "label",
            "attributes",
            "reject_reason",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ]
    )
    if label.pk != before_label.pk:
        kind = SpanEvent.Kind.RELABELED
    elif status == Span.Status.APPROVED:
        kind = SpanEvent.Kind.APPROVED
    else:
        kind = SpanEvent.Kind.REJECTED
    record(
        span,
        kind,
        reviewer,
        action_id=action_id,
        status_before=before_status,
        status_after=status,
        label_before=before_label,
        label_after=label,
        reason=reason,
        **values,
    )
    return True


@transaction.atomic
def decide(
    assignment_id: int,
    reviewer: "User",
    span_id: int,
    decision: str,
    *,
    label: Label | None = None,
    reason: str = "",
    action_id: uuid.UUID | None = None,
) -> Span:
    """Approve, reject or relabel one live span (the last two with an optional reason).

    Relabelling approves the span under the new label: the reviewer vouches for the corrected
    tag. The analyst's label stays in the history (label_before). Returns the span.
    """
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()  # after the lock: the time the decision actually takes effect
    span = get_object_or_404(
        Span.objects.live().select_related("label", "correction"),
        pk=span_id,
        assignment=assignment,
    )
    if SpanEvent.objects.replayed(action_id, actor=reviewer, assignment=assignment):
        return span
    _hold(assignment, reviewer, now)
    # Approving both versions would export both: a corrected span stays rejected.
    if decision != Decision.REJECT and getattr(span, "correction", None) is not None:
        raise Refused(_("A correction replaces this span: decide on the correction instead."))
    if decision == Decision.APPROVE:
        _apply(span, reviewer, now, status=Span.Status.APPROVED, action_id=action_id)
    elif decision == Decision.REJECT:
        _apply(span, reviewer, now, status=Span.Status.REJECTED, reason=reason, action_id=action_id)
    elif decision == Decision.RELABEL:
        _apply(
            span,
            reviewer,
            now,
            status=Span.Status.APPROVED,
            label=label,
            reason=reason,
            action_id=action_id,
        )
    else:
        raise ValueError(decision)
    return span


@transaction.atomic
def set_attributes(
    assignment_id: int,
    reviewer: "User",
    span_id: int,
    *,
    values: Mapping[str, Any],
    clear: Collection[str] = (),
    action_id: uuid.UUID | None = None,
) -> Span:
    """Correct a live span's values while holding the item; as annotations.spans'
    set_attributes for the analyst (same arguments, same InvalidValues). The span's
    decision stays: the reviewer approves or rejects it as they judge."""
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()
    span = get_object_or_404(
        Span.objects.live().select_related("label", "correction"),
        pk=span_id,
        assignment=assignment,
    )
    if SpanEvent.objects.replayed(action_id, actor=reviewer, assignment=assignment):
        return span
    _hold(assignment, reviewer, now)
    if getattr(span, "correction", None) is not None:
        raise Refused(_("A correction replaces this span: correct the correction instead."))
    change_values(
        span,
        reviewer,
        assignment.article.text,
        values=values,
        clear=clear,
        action_id=action_id,
    )
    return span


@transaction.atomic
def approve_all(
    assignment_id: int, reviewer: "User", *, action_id: uuid.UUID | None = None
) -> list[int]:
    """Approve every live span still pending; returns their ids (none on a replay)."""
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()
    if SpanEvent.objects.replayed(action_id, actor=reviewer, assignment=assignment):
        return []
    _hold(assignment, reviewer, now)
    pending = list(Span.objects.undecided().filter(assignment=assignment).order_by("id"))
    Span.objects.filter(pk__in=[span.pk for span in pending]).update(
        status=Span.Status.APPROVED, reviewed_by=reviewer, reviewed_at=now, updated_at=now
    )
    # The action id marks the first event only (it is unique): enough to spot a replay.
    SpanEvent.objects.bulk_create(
        SpanEvent(
            span=span,
            assignment=assignment,
            actor=reviewer,
            kind=SpanEvent.Kind.APPROVED,
            status_before=span.status,
            status_after=Span.Status.APPROVED,
            label_before_id=span.label_id,
            label_after_id=span.label_id,
            action_id=action_id if i == 0 else None,
        )
        for i, span in enumerate(pending)
    )
    return [span.pk for span in pending]


@transaction.atomic
def approve(assignment_id: int, reviewer: "User") -> Assignment:
    """Close the item as approved; refused while any live span is undecided."""
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()
    _hold(assignment, reviewer, now)
    if undecided := Span.objects.undecided().filter(assignment=assignment).count():
        raise Refused(
            ngettext(
                "%(n)d span is still undecided: approve, reject or relabel it first.",
                "%(n)d spans are still undecided: approve, reject or relabel them first.",
                undecided,
            )
            % {"n": undecided}
        )
    return _close(assignment, reviewer, now, Assignment.Status.APPROVED)


@transaction.atomic
def return_to_analyst(assignment_id: int, reviewer: "User", *, comment: str) -> Assignment:
    """Send the article back to its analyst with a comment; their spans become editable.

    Span decisions are kept: the next reviewer sees them and only needs to look at what the
    analyst changed or added (new spans arrive pending).
    """
    if not comment.strip():
        raise ValueError("a return needs a comment")
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()
    _hold(assignment, reviewer, now)
    return _close(assignment, reviewer, now, Assignment.Status.RETURNED, comment=comment)


def _close(
    assignment: Assignment,
    reviewer: "User",
    now: datetime,
    status: str,
    *,
    comment: str = "",
) -> Assignment:
    assignment.status = status
    assignment.reviewed_by = reviewer
    assignment.reviewed_at = now
    assignment.claimed_by = None
    assignment.claim_expires_at = None
    if status == Assignment.Status.RETURNED:
        assignment.return_comment = comment
    assignment.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "claimed_by",
            "claim_expires_at",
            "return_comment",
        ]
    )
    assert assignment.submitted_at is not None  # _hold checked that it is submitted
    ReviewEvent.objects.create(
        assignment=assignment,
        actor=reviewer,
        kind=ReviewEvent.Kind.APPROVED
        if status == Assignment.Status.APPROVED
        else ReviewEvent.Kind.RETURNED,
        submitted_at=assignment.submitted_at,
        comment=comment,
    )
    return assignment


@transaction.atomic
def add_span(
    assignment_id: int,
    reviewer: "User",
    *,
    label: Label,
    start: int,
    end: int,
    text: str | None = None,
    corrects: int | None = None,
    reason: str = "",
    action_id: uuid.UUID | None = None,
) -> tuple[Span, Span | None]:
    """Tag text the analyst missed or, with `corrects`, redraw one of their spans.

    The new span is the reviewer's (added_by, and the actor of its creation event), approved
    at once; it belongs to the analyst's work, so annotator stays the analyst. A corrected
    span is never changed in place: it stays, rejected with a "corrected" event, and the
    new span points to it (corrects), so exports of approved spans hold the reviewer's
    version only, and the analyst's stays in the history. `text`, when given, is what the
    reviewer's page shows at start:end. Returns (new span, corrected span or None).
    """
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()
    if replay := SpanEvent.objects.replayed(action_id, actor=reviewer, assignment=assignment):
        return replay.span, replay.span.corrects
    _hold(assignment, reviewer, now)
    article_text = assignment.article.text
    if end > len(article_text):
        raise Refused(_("The span ends after the end of the article."), status=422)
    if text is not None and article_text[start:end] != text:
        raise Refused(_("The page is out of date with the article: reload it and try again."))
    if not article_text[start:end].strip():
        raise Refused(_("The span covers only spaces: choose some words."), status=422)
    original = None
    if corrects is not None:
        original = (
            Span.objects.live()
            .select_related("label", "correction")
            .filter(pk=corrects, assignment=assignment)
            .first()
        )
        if original is None:
            raise Refused(_("The span to correct is not in this article any more."), status=422)
        if getattr(original, "correction", None) is not None:
            raise Refused(_("That span was already corrected: correct the correction instead."))
        if (original.start, original.end) == (start, end):
            raise Refused(
                _("The bounds are unchanged: to change only the label, use Relabel."), status=422
            )
    # The same rule as the database's span_unique_live, said in words.
    if (
        Span.objects.live()
        .filter(assignment=assignment, label=label, start=start, end=end)
        .exists()
    ):
        raise Refused(_("A span with that label already covers exactly that text."))
    # Redrawn bounds keep the analyst's answers (those still valid), a new label none.
    values = (
        label.keep_valid_attributes(original.attributes, article_text)
        if original is not None and original.label_id == label.pk
        else {}
    )
    span = Span.objects.create(
        assignment=assignment,
        article_id=assignment.article_id,
        annotator_id=assignment.analyst_id,
        label=label,
        start=start,
        end=end,
        text=article_text[start:end],
        status=Span.Status.APPROVED,
        reviewed_by=reviewer,
        reviewed_at=now,
        reject_reason=reason,
        added_by=reviewer,
        corrects=original,
        attributes=values,
    )
    record(
        span,
        SpanEvent.Kind.CREATED,
        reviewer,
        action_id=action_id,
        label_after=label,
        status_after=Span.Status.APPROVED,
        reason=reason,
        attributes_after=values,
    )
    if original is not None:
        before = original.status
        original.status = Span.Status.REJECTED
        original.reviewed_by = reviewer
        original.reviewed_at = now
        original.reject_reason = reason
        original.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "reject_reason", "updated_at"]
        )
        record(
            original,
            SpanEvent.Kind.CORRECTED,
            reviewer,
            status_before=before,
            status_after=Span.Status.REJECTED,
            label_before=original.label,
            label_after=label,
            reason=reason,
        )
    return span, original
