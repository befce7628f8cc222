"""Submissions waiting for review, built through the annotation code as an analyst would."""

from datetime import timedelta

import pytest

from annotator.accounts.roles import Role
from annotator.annotations import spans as annotating
from annotator.annotations.models import Assignment
from annotator.review import queue
from tests.factories import make_article, make_submission, make_user, seeded_labels


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


SENTENCES = [f"Le témoin numéro {n} affirme que la digue a cédé à {n} heures." for n in range(16)]


@pytest.fixture
def long_item(analyst, reviewer, labels):
    """ana tags "la digue a cédé à N heures" in each of 16 sentences and submits; rita
    claims the item."""
    article = make_article("Crue\n" + " ".join(SENTENCES), by=analyst, title="Crue")
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    claim = seeded_labels()["Claim"]
    for n in range(16):
        phrase = f"la digue a cédé à {n} heures"
        start = article.text.index(phrase)
        annotating.create_span(
            assignment.pk, analyst, label=claim, start=start, end=start + len(phrase)
        )
    annotating.submit(assignment.pk, analyst)
    queue.claim_next(reviewer)
    return assignment


@pytest.fixture
def laptop(page):
    """The page at 1280 × 900 (the page fixture fails on any JavaScript error)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    return page
