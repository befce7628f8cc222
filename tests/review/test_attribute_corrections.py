"""A reviewer corrects a span's values while holding the item: decisions.set_attributes, and
what relabelling or redrawing a span does to its values."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.refusal import Refused
from annotator.review import decisions
from tests.factories import live_spans

pytestmark = pytest.mark.django_db


def figure_of(assignment):
    return next(s for s in live_spans(assignment) if s.label.name == "Casualty figure")


def test_the_reviewer_corrects_values_and_the_decision_stays(claimed, reviewer):
    figure = figure_of(claimed)
    assert figure.attributes == {"kind": "displaced"}
    action = uuid.uuid4()
    for _ in range(2):  # a retry changes nothing more
        decisions.set_attributes(
            claimed.pk,
            reviewer,
            figure.pk,
            values={"min": "1850", "precision": "exact"},
            action_id=action,
        )
    figure.refresh_from_db()
    assert figure.attributes == {"kind": "displaced", "min": 1850, "precision": "exact"}
    assert figure.status == Span.Status.PENDING
    event = SpanEvent.objects.get(span=figure, kind=SpanEvent.Kind.ATTRIBUTES)
    assert (event.actor, event.attributes_before, event.attributes_after) == (
        reviewer,
        {"kind": "displaced"},
        figure.attributes,
    )


def test_a_reviewer_without_the_claim_changes_nothing(submission, reviewer, other_reviewer):
    figure = figure_of(submission)
    with pytest.raises(Refused, match="not reviewing"):
        decisions.set_attributes(submission.pk, reviewer, figure.pk, values={"min": 1})
    Assignment.objects.filter(pk=submission.pk).update(
        claimed_by=other_reviewer, claim_expires_at=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(Refused, match="Another reviewer"):
        decisions.set_attributes(submission.pk, reviewer, figure.pk, values={"min": 1})
    assert Span.objects.get(pk=figure.pk).attributes == {"kind": "displaced"}


def test_the_analyst_cannot_correct_their_own_work_as_a_reviewer(claimed, analyst):
    with pytest.raises(Refused) as refusal:
        decisions.set_attributes(claimed.pk, analyst, figure_of(claimed).pk, values={"min": 1})
    assert refusal.value.status == 403


def test_invalid_values_are_refused_in_words(claimed, reviewer):
    with pytest.raises(Refused, match="“Min” cannot be less than 0"):
        decisions.set_attributes(claimed.pk, reviewer, figure_of(claimed).pk, values={"min": -1})


def test_relabelling_drops_the_values(claimed, reviewer, labels):
    figure = figure_of(claimed)
    decisions.decide(claimed.pk, reviewer, figure.pk, "relabel", label=labels["Claim"])
    figure.refresh_from_db()
    assert (figure.label, figure.attributes) == (labels["Claim"], {})
    event = SpanEvent.objects.get(span=figure, kind=SpanEvent.Kind.RELABELED)
    assert (event.attributes_before, event.attributes_after) == ({"kind": "displaced"}, {})


def test_redrawn_bounds_keep_the_values(claimed, reviewer):
    figure = figure_of(claimed)
    start = claimed.article.text.index("évacué 1 850 habitants")
    new, _old = decisions.add_span(
        claimed.pk,
        reviewer,
        label=figure.label,
        start=start,
        end=start + len("évacué 1 850 habitants"),
        corrects=figure.pk,
    )
    new.refresh_from_db()
    assert new.attributes == {"kind": "displaced"}
    created = SpanEvent.objects.get(span=new, kind=SpanEvent.Kind.CREATED)
    assert created.attributes_after == {"kind": "displaced"}
    with pytest.raises(Refused, match="correct the correction"):
        decisions.set_attributes(claimed.pk, reviewer, figure.pk, values={"min": 1})
