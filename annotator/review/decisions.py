"""What reviewing means: decide on spans, then approve the article or return it.

Every function is one transaction that first locks the assignment row (SELECT … FOR UPDATE):
the claim is checked and used under that lock, so a decision cannot race a lease that expires
and is re-claimed, nor a second reviewer, nor the analyst's own editing (annotations.spans
locks the same row). Span decisions are SpanEvents written in the same transaction; how an
item ends is a ReviewEvent.

Only the reviewer holding an unexpired claim may decide. Each decision renews the lease, so
a reviewer who keeps working does not lose the item halfway through.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.annotations.spans import record

from .models import ReviewEvent
from .queue import lease

APPROVE, REJECT, RELABEL = "approve", "reject", "relabel"


class Refused(Exception):
    """The item is not (or no longer) this reviewer's to decide; the message says why."""

    status = 409


def _lock(assignment_id, reviewer):
    """The assignment, locked; 403 when it is the reviewer's own work (separation of duties)."""
    assignment = get_object_or_404(Assignment.objects.select_for_update(), pk=assignment_id)
    if assignment.analyst_id == reviewer.pk:
        raise PermissionDenied(_("You cannot review your own work."))
    return assignment


def _hold(assignment, reviewer, now):
    """Refuse unless the reviewer holds an unexpired claim; then renew the lease."""
    if assignment.status != Assignment.Status.SUBMITTED:
        raise Refused(
            _("This article is no longer waiting for review (it is now “%(status)s”).")
            % {"status": assignment.get_status_display()}
        )
    if assignment.claimed_by_id != reviewer.pk:
        if assignment.claimed_by_id and assignment.claim_expires_at > now:
            raise Refused(
                _("Another reviewer is reviewing this article; your change was not saved.")
            )
        raise Refused(
            _("You are not reviewing this article. Use “Start reviewing” to claim an item.")
        )
    if assignment.claim_expires_at <= now:
        raise Refused(
            _(
                "Your time on this article ran out and it went back to the queue; your change "
                "was not saved. Use “Start reviewing” to claim an item again."
            )
        )
    assignment.claim_expires_at = now + lease()
    assignment.save(update_fields=["claim_expires_at"])


def _replayed(action_id, assignment, reviewer):
    """True when this action id was already applied: a retried request changes nothing."""
    if action_id is None:
        return False
    event = SpanEvent.objects.filter(action_id=action_id).first()
    if event is None:
        return False
    if event.actor_id != reviewer.pk or event.assignment_id != assignment.pk:
        raise Refused(_("This request was already used for another change; reload the page."))
    return True


def _live_spans(assignment):
    return Span.objects.filter(assignment=assignment, deleted_at__isnull=True)


def _apply(span, reviewer, now, *, status, label=None, reason="", action_id=None):
    """Set the span's decision and record it; returns False when nothing would change."""
    label = label or span.label
    reason = reason if status == Span.Status.REJECTED else ""
    if (status, label.pk, reason) == (span.status, span.label_id, span.reject_reason):
        return False
    before_status, before_label = span.status, span.label
    if label.pk != before_label.pk and (
        _live_spans(span.assignment_id)
        .filter(label=label, start=span.start, end=span.end)
        .exclude(pk=span.pk)
        .exists()
    ):
        raise Refused(
            _("The analyst already tagged the same text with that label: reject one instead.")
        )
    span.status = status
    span.label = label
    span.reject_reason = reason
    span.reviewed_by = reviewer
    span.reviewed_at = now
    span.save(
        update_fields=[
            "status",
            "label",
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
    )
    return True


@transaction.atomic
def decide(assignment_id, reviewer, span_id, decision, *, label=None, reason="", action_id=None):
    """Approve, reject (with an optional reason) or relabel one live span.

    Relabelling approves the span under the new label: the reviewer vouches for the corrected
    tag. The analyst's label stays in the history (label_before). Returns the span.
    """
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()  # after the lock: the time the decision actually takes effect
    span = get_object_or_404(
        _live_spans(assignment).select_related("label"), pk=span_id, assignment=assignment
    )
    if _replayed(action_id, assignment, reviewer):
        return span
    _hold(assignment, reviewer, now)
    if decision == APPROVE:
        _apply(span, reviewer, now, status=Span.Status.APPROVED, action_id=action_id)
    elif decision == REJECT:
        _apply(span, reviewer, now, status=Span.Status.REJECTED, reason=reason, action_id=action_id)
    elif decision == RELABEL:
        _apply(span, reviewer, now, status=Span.Status.APPROVED, label=label, action_id=action_id)
    else:
        raise ValueError(decision)
    return span


@transaction.atomic
def approve_all(assignment_id, reviewer, *, action_id=None):
    """Approve every live span still pending; returns their ids (none on a replay)."""
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()
    if _replayed(action_id, assignment, reviewer):
        return []
    _hold(assignment, reviewer, now)
    pending = list(_live_spans(assignment).filter(status=Span.Status.PENDING).order_by("id"))
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


def undecided_count(assignment):
    return _live_spans(assignment).filter(status=Span.Status.PENDING).count()


@transaction.atomic
def approve(assignment_id, reviewer):
    """Close the item as approved; refused while any live span is undecided."""
    assignment = _lock(assignment_id, reviewer)
    now = timezone.now()
    _hold(assignment, reviewer, now)
    if undecided := undecided_count(assignment):
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
def return_to_analyst(assignment_id, reviewer, *, comment):
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


def _close(assignment, reviewer, now, status, *, comment=""):
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
