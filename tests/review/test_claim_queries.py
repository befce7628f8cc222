"""Claiming the next article is a hot path (every reviewer, every article): its queries are
pinned."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.factories import make_submission

pytestmark = pytest.mark.django_db

# The session, the user, the reviewer's row locked, the claim returning the whole row; and
# the transaction's savepoint and its release (a BEGIN and COMMIT in production).
QUERIES = 6


def test_start_reviewing_runs_a_fixed_number_of_queries(
    client, reviewer, analyst, labels, django_assert_num_queries
):
    for hours in (3, 2, 1):
        make_submission(analyst, f"Article {hours}", ago=timedelta(hours=hours))
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES):
        response = client.post(reverse("review:start"))
    assert response.status_code == 302


def test_the_claimed_and_the_resumed_item_come_back_whole(reviewer, analyst, labels):
    from annotator.review import queue

    submission = make_submission(analyst, "Article", ago=timedelta(hours=1))
    for expected_resumed in (False, True):
        item, resumed = queue.claim_next(reviewer)
        assert (item.pk, resumed) == (submission.pk, expected_resumed)
        # Not reloaded: the row as the claim left it.
        assert (item.claimed_by_id, item.article_id) == (reviewer.pk, submission.article_id)
        assert item.claim_expires_at is not None
