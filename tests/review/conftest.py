"""Submissions waiting for review, built through the annotation code as an analyst would."""

from datetime import timedelta

import pytest

from annotator.accounts.roles import Role
from annotator.review import queue
from tests.factories import make_submission, make_user


@pytest.fixture
def other_reviewer(db):
    return make_user("ruth", Role.REVIEWER)


@pytest.fixture
def submission(analyst, labels):
    """ana's three spans on one article, waiting for review."""
    return make_submission(analyst, "Crue de la Lironde", ago=timedelta(hours=2))


@pytest.fixture
def claimed(submission, reviewer):
    """The submission, claimed by rita."""
    item, _resumed = queue.claim_next(reviewer)
    assert item.pk == submission.pk
    submission.refresh_from_db()
    return submission
