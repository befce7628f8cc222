"""Claims and decisions under real concurrency: threads, each with its own PostgreSQL connection.

These tests commit for real (transaction=True), since a lock only means something between
separate connections.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from annotator.accounts.roles import Role
from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.refusal import Refused
from annotator.review import decisions, queue
from tests.factories import make_submission, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(work, args_list):
    """Run work(*args) in one thread per args, all released at once; returns results in order."""
    barrier = threading.Barrier(len(args_list))
    results = [None] * len(args_list)
    errors = []

    def run(i, args):
        try:
            barrier.wait(timeout=10)
            results[i] = work(*args)
        except Exception as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()  # each thread opened its own connection

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(args_list)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def claim(reviewer):
    item, _resumed = queue.claim_next(reviewer)
    return item.pk if item else None


def test_eight_reviewers_claiming_at_once_get_eight_different_items(analyst):
    items = [
        make_submission(analyst, f"Article {n}", ago=timedelta(minutes=60 - n)) for n in range(10)
    ]
    reviewers = [make_user(f"reviewer{n}", Role.REVIEWER) for n in range(8)]

    claimed = run_together(claim, [(r,) for r in reviewers])

    assert None not in claimed
    assert len(set(claimed)) == 8
    # The eight oldest went, the two newest still wait.
    assert set(claimed) == {item.pk for item in items[:8]}
    rows = dict(Assignment.objects.filter(claimed_by__isnull=False).values_list("pk", "claimed_by"))
    assert rows == {pk: r.pk for pk, r in zip(claimed, reviewers, strict=True)}


def test_more_reviewers_than_items_leaves_the_rest_empty_handed(analyst):
    items = [make_submission(analyst, f"Article {n}") for n in range(3)]
    reviewers = [make_user(f"reviewer{n}", Role.REVIEWER) for n in range(8)]

    claimed = run_together(claim, [(r,) for r in reviewers])

    assert sorted(pk for pk in claimed if pk) == sorted(item.pk for item in items)
    assert claimed.count(None) == 5


def test_a_double_click_on_start_reviewing_claims_one_item(analyst, reviewer):
    for n in range(4):
        make_submission(analyst, f"Article {n}")

    claimed = run_together(claim, [(reviewer,)] * 4)

    assert len(set(claimed)) == 1
    assert Assignment.objects.filter(claimed_by=reviewer).count() == 1


def test_an_expired_lease_is_reclaimed_by_exactly_one_reviewer(analyst, reviewer):
    item = make_submission(analyst, "Abandoned")
    queue.claim_next(reviewer)
    Assignment.objects.filter(pk=item.pk).update(
        claim_expires_at=timezone.now() - timedelta(minutes=1)
    )
    others = [make_user(f"reviewer{n}", Role.REVIEWER) for n in range(4)]

    claimed = run_together(claim, [(r,) for r in others])

    assert sorted(claimed, key=str) == [item.pk, None, None, None]
    item.refresh_from_db()
    assert item.claimed_by in others
    assert item.claim_expires_at > timezone.now()


def test_a_decision_on_an_item_claimed_by_someone_else_is_refused(client, analyst, reviewer):
    item = make_submission(analyst, "Taken")
    intruder = make_user("ivan", Role.REVIEWER)
    queue.claim_next(reviewer)
    span = item.spans.first()
    client.force_login(intruder)

    response = client.post(
        reverse("review:decide", args=[item.pk, span.pk]), {"decision": "reject"}
    )

    assert response.status_code == 409
    assert "Another reviewer is reviewing this article" in response.content.decode()
    span.refresh_from_db()
    assert span.status == Span.Status.PENDING
    assert not SpanEvent.objects.exclude(kind=SpanEvent.Kind.CREATED).exists()


def test_racing_decisions_on_one_span_write_one_event_per_action(analyst, reviewer):
    """The same key press sent twice at once (a retry) is applied once."""
    item = make_submission(analyst, "Retried")
    queue.claim_next(reviewer)
    span = item.spans.first()
    action_id = "5b0c7e64-3f4e-4a38-9c53-0d7d3e6f9a10"

    def approve():
        return decisions.decide(
            item.pk, reviewer, span.pk, decisions.Decision.APPROVE, action_id=action_id
        ).pk

    run_together(approve, [()] * 4)

    assert SpanEvent.objects.filter(kind=SpanEvent.Kind.APPROVED).count() == 1
    span.refresh_from_db()
    assert span.status == Span.Status.APPROVED


def test_approving_the_item_while_another_tab_rejects_a_span_stays_consistent(analyst, reviewer):
    """Either the rejection lands first and the article is approved with it, or the article
    is approved first and the late rejection is refused; never a change after approval."""
    item = make_submission(analyst, "Two tabs")
    queue.claim_next(reviewer)
    first, *rest = item.spans.order_by("id")
    for span in rest:
        decisions.decide(item.pk, reviewer, span.pk, decisions.Decision.APPROVE)
    decisions.decide(item.pk, reviewer, first.pk, decisions.Decision.APPROVE)

    def reject():
        try:
            decisions.decide(item.pk, reviewer, first.pk, decisions.Decision.REJECT, reason="late")
        except Refused:
            return "refused"
        return "rejected"

    def approve_item():
        decisions.approve(item.pk, reviewer)
        return "approved"

    outcome = run_together(lambda f: f(), [(reject,), (approve_item,)])

    item.refresh_from_db()
    assert item.status == Assignment.Status.APPROVED
    last = SpanEvent.objects.filter(span=first).order_by("-id").first()
    if outcome[0] == "rejected":
        assert last.kind == SpanEvent.Kind.REJECTED
        assert last.at <= item.reviewed_at
    else:
        assert last.kind == SpanEvent.Kind.APPROVED
