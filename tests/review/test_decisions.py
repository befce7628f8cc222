"""review.decisions: what each decision changes and records, and who may make it."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from annotator.annotations import spans as annotating
from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.refusal import Refused
from annotator.review import decisions, queue
from annotator.review.models import ReviewEvent
from tests.factories import live_spans

APPROVE, REJECT, RELABEL = decisions.Decision


def review_events():
    return SpanEvent.objects.exclude(kind=SpanEvent.Kind.CREATED).order_by("id")


def test_approve_records_who_when_and_before_after(claimed, reviewer):
    span = live_spans(claimed)[0]
    decisions.decide(claimed.pk, reviewer, span.pk, APPROVE)

    span.refresh_from_db()
    assert (span.status, span.reviewed_by, span.reject_reason) == ("approved", reviewer, "")
    event = review_events().get()
    assert (event.kind, event.actor, event.span, event.assignment_id) == (
        "approved",
        reviewer,
        span,
        claimed.pk,
    )
    assert (event.status_before, event.status_after) == ("pending", "approved")
    assert event.label_before == event.label_after == span.label
    assert abs(event.at - span.reviewed_at) < timedelta(seconds=1)


def test_reject_keeps_the_reason(claimed, reviewer):
    span = live_spans(claimed)[0]
    decisions.decide(claimed.pk, reviewer, span.pk, REJECT, reason="Not a number of people.")

    span.refresh_from_db()
    assert (span.status, span.reject_reason) == ("rejected", "Not a number of people.")
    event = review_events().get()
    assert (event.kind, event.status_before, event.status_after, event.reason) == (
        "rejected",
        "pending",
        "rejected",
        "Not a number of people.",
    )


def test_relabel_approves_under_the_new_label_and_keeps_the_original(claimed, reviewer, labels):
    span = next(s for s in live_spans(claimed) if s.label.name == "Claim")
    decisions.decide(claimed.pk, reviewer, span.pk, RELABEL, label=labels["Policy stance"])

    span.refresh_from_db()
    assert (span.label.name, span.status) == ("Policy stance", "approved")
    event = review_events().get()
    assert event.kind == "relabeled"
    assert (event.label_before.name, event.label_after.name) == ("Claim", "Policy stance")
    assert (event.status_before, event.status_after) == ("pending", "approved")
    # The analyst's own creation is still there, untouched.
    created = SpanEvent.objects.get(span=span, kind="created")
    assert (created.actor_id, created.label_after.name) == (claimed.analyst_id, "Claim")


def test_relabel_to_the_same_label_is_an_approval(claimed, reviewer):
    span = live_spans(claimed)[0]
    decisions.decide(claimed.pk, reviewer, span.pk, RELABEL, label=span.label)
    assert review_events().get().kind == "approved"


def test_relabel_onto_an_identical_span_is_refused(claimed, reviewer, analyst, labels):
    """Two spans on the same text would become duplicates; the reviewer is told why."""
    Assignment.objects.filter(pk=claimed.pk).update(
        status="in_progress", claimed_by=None, claim_expires_at=None
    )
    quote = next(s for s in live_spans(claimed) if s.label.name == "Quote")
    annotating.create_span(
        claimed.pk, analyst, label=labels["Claim"], start=quote.start, end=quote.end
    )
    annotating.submit(claimed.pk, analyst)
    queue.claim_next(reviewer)

    with pytest.raises(Refused, match="same text"):
        decisions.decide(claimed.pk, reviewer, quote.pk, RELABEL, label=labels["Claim"])
    assert not review_events().exists()


def test_changing_a_decision_is_another_event(claimed, reviewer):
    span = live_spans(claimed)[0]
    decisions.decide(claimed.pk, reviewer, span.pk, REJECT, reason="No.")
    decisions.decide(claimed.pk, reviewer, span.pk, APPROVE)
    decisions.decide(claimed.pk, reviewer, span.pk, APPROVE)  # no change, no event

    assert [(e.kind, e.status_before, e.status_after) for e in review_events()] == [
        ("rejected", "pending", "rejected"),
        ("approved", "rejected", "approved"),
    ]
    span.refresh_from_db()
    assert span.reject_reason == ""


def test_a_replayed_action_id_is_applied_once(claimed, reviewer):
    span = live_spans(claimed)[0]
    action = uuid.uuid4()
    decisions.decide(claimed.pk, reviewer, span.pk, REJECT, reason="once", action_id=action)
    decisions.decide(claimed.pk, reviewer, span.pk, REJECT, reason="once", action_id=action)
    assert review_events().count() == 1
    assert review_events().get().action_id == action


def test_an_action_id_from_someone_else_is_refused(claimed, reviewer, analyst):
    taken = SpanEvent.objects.filter(kind="created").first()
    action = uuid.uuid4()
    # Events are append-only, so borrow an id by creating a fresh event carrying it.
    annotating.record(taken.span, SpanEvent.Kind.RESTORED, analyst, action_id=action)
    span = live_spans(claimed)[0]
    with pytest.raises(Refused):
        decisions.decide(claimed.pk, reviewer, span.pk, APPROVE, action_id=action)


def test_approve_all_approves_only_the_undecided(claimed, reviewer):
    first, *rest = live_spans(claimed)
    decisions.decide(claimed.pk, reviewer, first.pk, REJECT, reason="no")

    approved = decisions.approve_all(claimed.pk, reviewer, action_id=uuid.uuid4())

    assert sorted(approved) == sorted(s.pk for s in rest)
    statuses = dict(Span.objects.filter(assignment=claimed).values_list("pk", "status"))
    assert statuses == {first.pk: "rejected", **{s.pk: "approved" for s in rest}}
    events = review_events().filter(kind="approved")
    assert sorted(e.span_id for e in events) == sorted(s.pk for s in rest)
    assert all(e.actor == reviewer and e.status_before == "pending" for e in events)


def test_approve_all_replayed_changes_nothing(claimed, reviewer):
    action = uuid.uuid4()
    decisions.approve_all(claimed.pk, reviewer, action_id=action)
    Span.objects.filter(assignment=claimed).update(status="pending")  # as if someone undid it
    assert decisions.approve_all(claimed.pk, reviewer, action_id=action) == []
    assert review_events().count() == 3


def test_deleted_spans_are_not_reviewed(claimed, reviewer):
    span = live_spans(claimed)[0]
    Span.objects.filter(pk=span.pk).update(deleted_at=timezone.now())
    with pytest.raises(Http404):
        decisions.decide(claimed.pk, reviewer, span.pk, APPROVE)
    assert len(decisions.approve_all(claimed.pk, reviewer)) == 2
    decisions.approve(claimed.pk, reviewer)  # the deleted span does not hold it up
    span.refresh_from_db()
    assert span.status == "pending"


# --- Who may decide -----------------------------------------------------------------------


def test_only_the_reviewer_holding_the_claim_may_decide(claimed, other_reviewer):
    span = live_spans(claimed)[0]
    for attempt in [
        lambda: decisions.decide(claimed.pk, other_reviewer, span.pk, APPROVE),
        lambda: decisions.approve_all(claimed.pk, other_reviewer),
        lambda: decisions.approve(claimed.pk, other_reviewer),
        lambda: decisions.return_to_analyst(claimed.pk, other_reviewer, comment="x"),
    ]:
        with pytest.raises(Refused, match="Another reviewer"):
            attempt()
    assert not review_events().exists()
    claimed.refresh_from_db()
    assert claimed.status == "submitted"


def test_an_unclaimed_item_cannot_be_decided(submission, reviewer):
    span = live_spans(submission)[0]
    with pytest.raises(Refused, match="not reviewing this article"):
        decisions.decide(submission.pk, reviewer, span.pk, APPROVE)


def test_an_expired_claim_cannot_decide(claimed, reviewer):
    Assignment.objects.filter(pk=claimed.pk).update(claim_expires_at=timezone.now())
    span = live_spans(claimed)[0]
    with pytest.raises(Refused, match="ran out"):
        decisions.decide(claimed.pk, reviewer, span.pk, APPROVE)
    assert not review_events().exists()


def test_each_decision_renews_the_lease(claimed, reviewer):
    soon = timezone.now() + timedelta(minutes=1)
    Assignment.objects.filter(pk=claimed.pk).update(claim_expires_at=soon)
    decisions.decide(claimed.pk, reviewer, live_spans(claimed)[0].pk, APPROVE)
    claimed.refresh_from_db()
    assert claimed.claim_expires_at > soon + timedelta(minutes=28)


def test_separation_of_duties_on_every_decision(submission, analyst):
    """The analyst, even if they also review, cannot decide on their own work."""
    span = live_spans(submission)[0]
    for attempt in [
        lambda: decisions.decide(submission.pk, analyst, span.pk, APPROVE),
        lambda: decisions.approve_all(submission.pk, analyst),
        lambda: decisions.approve(submission.pk, analyst),
        lambda: decisions.return_to_analyst(submission.pk, analyst, comment="fine"),
    ]:
        with pytest.raises(Refused, match="your own work") as refusal:
            attempt()
        assert refusal.value.status == 403
    assert not review_events().exists()


def test_the_database_refuses_self_review(submission, analyst):
    with pytest.raises(IntegrityError, match="assignment_no_self_review"), transaction.atomic():
        Assignment.objects.filter(pk=submission.pk).update(reviewed_by=analyst)


def test_a_decided_item_cannot_be_decided_again(claimed, reviewer):
    decisions.approve_all(claimed.pk, reviewer)
    decisions.approve(claimed.pk, reviewer)
    with pytest.raises(Refused, match="no longer waiting"):
        decisions.decide(claimed.pk, reviewer, live_spans(claimed)[0].pk, REJECT)


# --- Finishing ----------------------------------------------------------------------------


def test_approve_needs_every_span_decided(claimed, reviewer):
    decisions.decide(claimed.pk, reviewer, live_spans(claimed)[0].pk, APPROVE)
    with pytest.raises(Refused, match="2 spans are still undecided"):
        decisions.approve(claimed.pk, reviewer)
    claimed.refresh_from_db()
    assert claimed.status == "submitted"


def test_approve_closes_the_item(claimed, reviewer):
    first = live_spans(claimed)[0]
    decisions.decide(claimed.pk, reviewer, first.pk, REJECT, reason="no")
    decisions.approve_all(claimed.pk, reviewer)

    decisions.approve(claimed.pk, reviewer)

    claimed.refresh_from_db()
    assert claimed.status == "approved"
    assert (claimed.reviewed_by, claimed.claimed_by, claimed.claim_expires_at) == (
        reviewer,
        None,
        None,
    )
    outcome = ReviewEvent.objects.get()
    assert (outcome.kind, outcome.actor, outcome.submitted_at) == (
        "approved",
        reviewer,
        claimed.submitted_at,
    )
    assert not Assignment.objects.waiting(timezone.now()).exists()


def test_return_and_resubmit(claimed, reviewer, other_reviewer, analyst, labels):
    first, second, third = live_spans(claimed)
    decisions.decide(claimed.pk, reviewer, first.pk, APPROVE)
    decisions.decide(claimed.pk, reviewer, second.pk, REJECT, reason="Not a quote.")

    decisions.return_to_analyst(claimed.pk, reviewer, comment="Tag the prefect's warning too.")

    claimed.refresh_from_db()
    assert (claimed.status, claimed.return_comment) == (
        "returned",
        "Tag the prefect's warning too.",
    )
    assert (claimed.claimed_by, claimed.reviewed_by) == (None, reviewer)
    assert claimed.is_editable
    assert not Assignment.objects.waiting(timezone.now()).exists()

    # The analyst edits again and resubmits, through the annotation code.
    annotating.delete_span(claimed.pk, analyst, second.pk)
    start = claimed.article.text.index("Le ministère")
    annotating.create_span(
        claimed.pk, analyst, label=labels["Policy stance"], start=start, end=start + 12
    )
    annotating.submit(claimed.pk, analyst)

    item, _ = queue.claim_next(other_reviewer)
    assert item.pk == claimed.pk
    # Decisions were kept: only the new span waits for a decision.
    statuses = {s.text: s.status for s in live_spans(claimed)}
    assert statuses == {first.text: "approved", third.text: "pending", "Le ministère": "pending"}
    assert Span.objects.undecided().filter(assignment=claimed).count() == 2
    assert [(e.kind, e.comment) for e in ReviewEvent.objects.all()] == [
        ("returned", "Tag the prefect's warning too.")
    ]


def test_return_needs_a_comment(claimed, reviewer):
    with pytest.raises(ValueError, match="comment"):
        decisions.return_to_analyst(claimed.pk, reviewer, comment="  ")


def test_review_history_is_append_only(claimed, reviewer):
    decisions.return_to_analyst(claimed.pk, reviewer, comment="Again.")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ReviewEvent.objects.update(comment="rewritten")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        ReviewEvent.objects.all().delete()
