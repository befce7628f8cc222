"""An analyst's values on spans: spans.set_attributes, values at creation, relabelling and
undo, and submitting only with every required value (or "unknown")."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.http import Http404

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Attribute, AttributeChoice, Span, SpanEvent
from annotator.refusal import Refused

pytestmark = pytest.mark.django_db

FIGURE = "1\u202f850 habitants"


def tag(assignment, label, phrase, **kwargs):
    start = assignment.article.text.index(phrase)
    span, _ = spans.create_span(
        assignment.pk,
        assignment.analyst,
        label=label,
        start=start,
        end=start + len(phrase),
        **kwargs,
    )
    return span


@pytest.fixture
def figure(assignment, labels):
    return tag(assignment, labels["Casualty figure"], FIGURE)


def values_of(span):
    return Span.objects.get(pk=span.pk).attributes


def test_set_attributes_changes_the_given_keys_and_records_before_and_after(
    figure, assignment, analyst
):
    spans.set_attributes(
        assignment.pk, analyst, figure.pk, values={"kind": "displaced", "min": "1850"}
    )
    spans.set_attributes(
        assignment.pk, analyst, figure.pk, values={"precision": None, "max": 2000}, clear=["min"]
    )
    assert values_of(figure) == {"kind": "displaced", "precision": None, "max": 2000}
    events = list(SpanEvent.objects.filter(span=figure, kind=SpanEvent.Kind.ATTRIBUTES))
    assert [(e.attributes_before, e.attributes_after) for e in events] == [
        ({}, {"kind": "displaced", "min": 1850}),
        (
            {"kind": "displaced", "min": 1850},
            {"kind": "displaced", "precision": None, "max": 2000},
        ),
    ]
    assert {(e.actor, e.label_before, e.label_after) for e in events} == {
        (analyst, figure.label, figure.label)
    }
    assert all(e.at is not None for e in events)


def test_an_unchanged_value_writes_nothing(figure, assignment, analyst):
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed"})
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed"})
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={}, clear=["min"])
    assert SpanEvent.objects.filter(span=figure, kind="attributes").count() == 1


def test_invalid_values_change_nothing(figure, assignment, analyst):
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"min": 10})
    with pytest.raises(Refused, match="“Max” cannot be less than “Min”") as refusal:
        spans.set_attributes(assignment.pk, analyst, figure.pk, values={"max": 5, "kind": "x"})
    assert refusal.value.status == 422
    assert set(refusal.value.errors) == {"max", "kind"}
    with pytest.raises(Refused, match="both set and cleared"):
        spans.set_attributes(assignment.pk, analyst, figure.pk, values={"min": 3}, clear=["min"])
    assert values_of(figure) == {"min": 10}
    assert SpanEvent.objects.filter(span=figure, kind="attributes").count() == 1


def test_values_switched_off_since_may_be_sent_again_unchanged(figure, assignment, analyst):
    spans.set_attributes(
        assignment.pk, analyst, figure.pk, values={"kind": "missing", "min": 3, "precision": None}
    )
    AttributeChoice.objects.filter(attribute__label=figure.label, key="missing").update(
        is_active=False
    )
    Attribute.objects.filter(label=figure.label, key__in=["min", "precision"]).update(
        is_active=False
    )
    # A form sends every field again, with the one the analyst changed.
    form = {"kind": "missing", "min": "3", "precision": None, "max": "8"}
    spans.set_attributes(assignment.pk, analyst, figure.pk, values=form)
    assert values_of(figure) == {"kind": "missing", "min": 3, "precision": None, "max": 8}
    with pytest.raises(Refused, match="“Min” is switched off"):
        spans.set_attributes(assignment.pk, analyst, figure.pk, values={"min": "4"})
    # Once changed, the switched-off answer cannot come back.
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": None})
    with pytest.raises(Refused, match="The answer “missing” to “Kind” is switched off"):
        spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "missing"})


def test_a_replayed_action_id_is_applied_once(figure, assignment, analyst):
    action = uuid.uuid4()
    for _ in range(2):
        spans.set_attributes(
            assignment.pk, analyst, figure.pk, values={"kind": "killed"}, action_id=action
        )
        # Meanwhile another change; the retry must not undo it.
        spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "injured"})
    assert values_of(figure) == {"kind": "injured"}
    assert SpanEvent.objects.filter(span=figure, kind="attributes").count() == 2


def test_another_analysts_work_is_not_theirs_to_change(figure, assignment, other_analyst):
    with pytest.raises(Http404):
        spans.set_attributes(assignment.pk, other_analyst, figure.pk, values={"kind": "killed"})
    assert values_of(figure) == {}


def test_an_action_id_of_someone_else_is_refused(figure, assignment, analyst, other_analyst):
    action = uuid.uuid4()
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"min": 1}, action_id=action)
    theirs = Assignment.objects.create(article=assignment.article, analyst=other_analyst)
    span = tag(theirs, figure.label, FIGURE)
    with pytest.raises(Refused, match="already used"):
        spans.set_attributes(theirs.pk, other_analyst, span.pk, values={"min": 2}, action_id=action)


def test_submitted_work_is_read_only(figure, assignment, analyst):
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed"})
    spans.submit(assignment.pk, analyst)
    with pytest.raises(Refused, match="read-only"):
        spans.set_attributes(assignment.pk, analyst, figure.pk, values={"min": 2})
    assert values_of(figure) == {"kind": "killed"}


def test_a_deleted_span_takes_no_values(figure, assignment, analyst):
    spans.delete_span(assignment.pk, analyst, figure.pk)
    with pytest.raises(Refused, match="no longer in this article") as refusal:
        spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed"})
    assert refusal.value.status == 404


def test_after_a_return_a_changed_value_makes_the_span_pending_again(
    figure, assignment, analyst, reviewer
):
    Span.objects.filter(pk=figure.pk).update(status="approved", reviewed_by=reviewer)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.RETURNED)
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed"})
    figure.refresh_from_db()
    assert (figure.status, figure.reviewed_by, figure.attributes) == (
        "pending",
        None,
        {"kind": "killed"},
    )


# --- At creation ---------------------------------------------------------------------------


def test_values_given_at_creation_are_stored_and_recorded(assignment, labels):
    span = tag(assignment, labels["Casualty figure"], FIGURE, attributes={"kind": "displaced"})
    assert values_of(span) == {"kind": "displaced"}
    created = SpanEvent.objects.get(span=span)
    assert (created.kind, created.attributes_after) == ("created", {"kind": "displaced"})


def test_invalid_values_at_creation_create_nothing(assignment, labels):
    with pytest.raises(Refused, match="“Min” cannot be less than 0"):
        tag(assignment, labels["Casualty figure"], FIGURE, attributes={"min": -3})
    assert not Span.objects.exists()


# --- Relabelling and undo ------------------------------------------------------------------


def test_relabelling_drops_the_values_and_undo_brings_them_back(
    figure, assignment, analyst, labels
):
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed", "min": 2})
    spans.relabel_span(assignment.pk, analyst, figure.pk, label=labels["Claim"])
    assert values_of(figure) == {}
    relabelled = SpanEvent.objects.filter(span=figure, kind="relabeled").get()
    assert (relabelled.attributes_before, relabelled.attributes_after) == (
        {"kind": "killed", "min": 2},
        {},
    )
    spans.undo_last(assignment.pk, analyst)
    figure.refresh_from_db()
    assert (figure.label, figure.attributes) == (
        labels["Casualty figure"],
        {"kind": "killed", "min": 2},
    )


def test_undo_of_a_value_change_restores_the_values_before(figure, assignment, analyst):
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed"})
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "injured", "min": 4})
    event = spans.undo_last(assignment.pk, analyst)
    assert event is not None and event.kind == "attributes" and event.undoes is not None
    assert values_of(figure) == {"kind": "killed"}
    spans.undo_last(assignment.pk, analyst)
    assert values_of(figure) == {}


def test_undo_leaves_out_what_was_switched_off_since(figure, assignment, analyst, labels):
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "missing", "min": 1})
    spans.relabel_span(assignment.pk, analyst, figure.pk, label=labels["Claim"])
    AttributeChoice.objects.filter(attribute__label=figure.label, key="missing").update(
        is_active=False
    )
    spans.undo_last(assignment.pk, analyst)
    assert values_of(figure) == {"min": 1}


# --- Submitting ----------------------------------------------------------------------------


def test_submit_is_refused_while_a_required_value_is_missing(figure, assignment, analyst, labels):
    second = tag(assignment, labels["Casualty figure"], "deux morts")
    tag(assignment, labels["Quote"], "« Nous n’avions jamais vu ça »")  # nothing required
    with pytest.raises(spans.MissingValues, match="2 spans lack a required value") as refusal:
        spans.submit(assignment.pk, analyst)
    assert refusal.value.span_ids == [second.pk, figure.pk]  # in text order
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"kind": "killed"})
    with pytest.raises(spans.MissingValues, match="1 span lacks a required value"):
        spans.submit(assignment.pk, analyst)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS
    # Marked unknown counts as answered.
    spans.set_attributes(assignment.pk, analyst, second.pk, values={"kind": None})
    spans.submit(assignment.pk, analyst)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED


def test_deleted_spans_and_switched_off_attributes_do_not_block_submitting(
    figure, assignment, analyst, labels
):
    gone = tag(assignment, labels["Casualty figure"], "deux morts")
    spans.delete_span(assignment.pk, analyst, gone.pk)
    Attribute.objects.filter(label=labels["Casualty figure"], key="kind").update(is_active=False)
    spans.submit(assignment.pk, analyst)
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.SUBMITTED


def test_the_database_refuses_a_submission_with_missing_values(figure, assignment):
    with pytest.raises(IntegrityError, match="lack a required"), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    Span.objects.filter(pk=figure.pk).update(attributes={"kind": None})
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    # A required attribute added later does not block what was already handed in.
    Attribute.objects.create(
        label=figure.label, key="source", name="Source", type="text", required=True
    )
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.RETURNED)
    with pytest.raises(IntegrityError, match="lack a required"), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
