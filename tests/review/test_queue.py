"""review.queue: oldest first, never one's own work, one claim per reviewer, leases expire."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.accounts.roles import Role
from annotator.annotations.models import Assignment
from annotator.review import queue
from tests.factories import give_role, make_submission, make_user


@pytest.fixture
def three(analyst, other_analyst, labels):
    """Three submissions, submitted 3, 2 and 1 hours ago."""
    return [
        make_submission(analyst, "Oldest", ago=timedelta(hours=3)),
        make_submission(other_analyst, "Middle", ago=timedelta(hours=2)),
        make_submission(analyst, "Newest", ago=timedelta(hours=1)),
    ]


def test_claims_the_oldest_submission_first(three, reviewer):
    item, resumed = queue.claim_next(reviewer)
    assert (item.pk, resumed) == (three[0].pk, False)
    item.refresh_from_db()
    assert item.claimed_by == reviewer
    lease = item.claim_expires_at - timezone.now()
    assert timedelta(minutes=29) < lease <= timedelta(minutes=30)


def test_lease_length_comes_from_settings(three, reviewer, settings):
    settings.REVIEW_LEASE_MINUTES = 5
    item, _ = queue.claim_next(reviewer)
    item.refresh_from_db()
    assert item.claim_expires_at - timezone.now() <= timedelta(minutes=5)


def test_two_reviewers_get_different_items(three, reviewer, other_reviewer):
    first, _ = queue.claim_next(reviewer)
    second, _ = queue.claim_next(other_reviewer)
    assert [first.pk, second.pk] == [three[0].pk, three[1].pk]


def test_a_reviewer_holding_a_claim_gets_it_back(three, reviewer):
    first, _ = queue.claim_next(reviewer)
    again, resumed = queue.claim_next(reviewer)
    assert (again.pk, resumed) == (first.pk, True)
    assert Assignment.objects.filter(claimed_by=reviewer).count() == 1


def test_a_reviewer_never_gets_their_own_work(three, analyst):
    """ana also reviews: she is skipped past her own two submissions."""
    give_role(analyst, Role.REVIEWER)
    item, _ = queue.claim_next(analyst)
    assert item.pk == three[1].pk
    assert queue.claim_next(make_user("yann", Role.REVIEWER))[0].pk == three[0].pk


def test_the_database_refuses_a_claim_on_ones_own_work(submission, analyst):
    with pytest.raises(IntegrityError, match="assignment_no_self_claim"), transaction.atomic():
        Assignment.objects.filter(pk=submission.pk).update(
            claimed_by=analyst, claim_expires_at=timezone.now()
        )


def test_an_expired_lease_is_reclaimable(three, reviewer, other_reviewer):
    first, _ = queue.claim_next(reviewer)
    Assignment.objects.filter(pk=first.pk).update(
        claim_expires_at=timezone.now() - timedelta(seconds=1)
    )
    item, resumed = queue.claim_next(other_reviewer)
    assert (item.pk, resumed) == (first.pk, False)
    item.refresh_from_db()
    assert item.claimed_by == other_reviewer


def test_an_expired_claim_is_not_resumed_when_someone_else_took_it(three, reviewer, other_reviewer):
    first, _ = queue.claim_next(reviewer)
    Assignment.objects.filter(pk=first.pk).update(claim_expires_at=timezone.now())
    queue.claim_next(other_reviewer)
    item, resumed = queue.claim_next(reviewer)
    assert (item.pk, resumed) == (three[1].pk, False)


def test_nothing_to_claim(reviewer, db):
    assert queue.claim_next(reviewer) == (None, False)


def test_only_submitted_items_are_claimed(submission, reviewer):
    Assignment.objects.filter(pk=submission.pk).update(status=Assignment.Status.RETURNED)
    assert queue.claim_next(reviewer) == (None, False)


def test_waiting_and_in_review(three, reviewer):
    now = timezone.now()
    queue.claim_next(reviewer)
    assert Assignment.objects.waiting(now).count() == 2
    assert list(Assignment.objects.in_review(now)) == [three[0]]
    assert list(Assignment.objects.held_by(reviewer, now)) == [three[0]]
    later = now + timedelta(minutes=31)
    assert Assignment.objects.waiting(later).count() == 3
    assert not Assignment.objects.in_review(later).exists()


def test_release_puts_the_item_back(claimed, reviewer, other_reviewer):
    assert not queue.release(claimed.pk, other_reviewer)
    assert queue.release(claimed.pk, reviewer)
    claimed.refresh_from_db()
    assert (claimed.claimed_by, claimed.claim_expires_at) == (None, None)
    assert queue.claim_next(other_reviewer)[0].pk == claimed.pk


def test_filters(analyst, other_analyst, labels):
    a = make_submission(
        analyst, "A", source="Ouest", tags=[("Quote", "« Nous n’avions jamais vu ça »")]
    )
    b = make_submission(other_analyst, "B", source="Est")
    items = Assignment.objects.submitted()
    assert set(queue.filtered(items, analyst=analyst)) == {a}
    assert set(queue.filtered(items, source="Est")) == {b}
    assert set(queue.filtered(items, label=labels["Claim"])) == {b}
    assert set(queue.filtered(items, label=labels["Quote"])) == {a, b}
    assert set(queue.filtered(items, analyst=analyst, label=labels["Claim"])) == set()
