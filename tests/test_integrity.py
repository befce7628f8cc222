"""The integrity invariants each catch the rows that break their promise.

conftest.py runs them after every test that touches the database; here, each is shown to
fire on a row broken on purpose, inside a transaction that is then rolled back.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from annotator.annotations.models import Assignment, Span
from annotator.integrity import broken_invariants
from annotator.review import decisions, queue
from tests.factories import make_submission, make_user

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Leaves the transaction of broken_by, rolling its change back."""


def broken_by(change):
    """The invariants broken once `change()` has run; the change is then undone."""
    found = {}
    try:
        with transaction.atomic():
            change()
            found = broken_invariants()
            raise Undo
    except Undo:
        pass
    return found


def test_nothing_is_broken_in_ordinary_work(analyst, labels):
    make_submission(analyst, "Crue de la Lironde")
    assert broken_invariants() == {}


def test_a_span_without_its_creation_event_is_caught(analyst, assignment, labels):
    def change():
        Span.objects.create(
            assignment=assignment,
            article=assignment.article,
            annotator=analyst,
            label=labels["Claim"],
            start=0,
            end=4,
            text=assignment.article.text[:4],
        )

    assert broken_by(change) == {"a span has no creation event in its history": 1}


def test_a_sentence_count_that_disagrees_is_caught(article):
    def change():
        type(article).objects.filter(pk=article.pk).update(sentence_count=99)

    assert broken_by(change) == {"an article's sentence count disagrees with its sentences": 1}


def test_a_reviewer_holding_two_claims_is_caught(analyst, other_analyst, reviewer, labels):
    first = make_submission(analyst, "Premier article")
    second = make_submission(other_analyst, "Second article")

    def change():
        Assignment.objects.filter(pk__in=[first.pk, second.pk]).update(
            claimed_by=reviewer, claim_expires_at=timezone.now() + timedelta(minutes=5)
        )

    assert broken_by(change) == {"a reviewer holds more than one live claim": 1}


def test_a_correction_of_other_work_is_caught(analyst, other_analyst, reviewer, labels):
    first = make_submission(analyst, "Premier article")
    second = make_submission(other_analyst, "Second article")
    queue.claim_next(reviewer)
    span = first.spans.order_by("start").first()
    new, _ = decisions.add_span(
        first.pk, reviewer, label=span.label, start=span.start, end=span.end + 1, corrects=span.pk
    )

    def change():
        Span.objects.filter(pk=new.pk).update(corrects=second.spans.order_by("start").first())

    assert broken_by(change) == {"a reviewer's correction replaces a span of other work": 1}


def test_a_reviewer_span_created_by_someone_else_is_caught(analyst, reviewer, labels):
    item = make_submission(analyst, "Premier article")
    queue.claim_next(reviewer)
    new, _ = decisions.add_span(item.pk, reviewer, label=labels["Claim"], start=0, end=7)

    def change():
        Span.objects.filter(pk=new.pk).update(added_by=make_user("ruth", "reviewer"))

    assert broken_by(change) == {"a reviewer's span has no creation event by that reviewer": 1}
