"""The annotation rules, on the service functions (views are tested separately)."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.refusal import Refused

pytestmark = pytest.mark.django_db


def offsets(article, phrase):
    start = article.text.index(phrase)
    return start, start + len(phrase)


def test_create_records_snapshot_and_history(assignment, analyst, labels):
    start, end = offsets(assignment.article, "1\u202f850 habitants")
    span, created = spans.create_span(
        assignment.pk, analyst, label=labels["Casualty figure"], start=start, end=end
    )
    assert created
    span.refresh_from_db()
    assert span.text == "1\u202f850 habitants"
    assert (span.article_id, span.annotator_id, span.status) == (
        assignment.article_id,
        analyst.pk,
        "pending",
    )
    event = SpanEvent.objects.get(span=span)
    assert (event.kind, event.actor, event.label_after) == ("created", analyst, span.label)


def test_identical_span_is_not_repeated(assignment, analyst, labels):
    start, end = offsets(assignment.article, "M. Roussel")
    spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=start, end=end)
    _span, created = spans.create_span(
        assignment.pk, analyst, label=labels["Claim"], start=start, end=end
    )
    assert not created
    assert Span.objects.count() == 1


def test_different_labels_may_overlap(assignment, analyst, labels):
    quote = offsets(assignment.article, "« Nous n’avions jamais vu ça »")
    spans.create_span(assignment.pk, analyst, label=labels["Quote"], start=quote[0], end=quote[1])
    spans.create_span(
        assignment.pk, analyst, label=labels["Claim"], start=quote[0] + 2, end=quote[1] - 2
    )
    assert Span.objects.filter(deleted_at__isnull=True).count() == 2


def test_replayed_action_id_is_applied_once(assignment, analyst, labels):
    action = uuid.uuid4()
    start, end = offsets(assignment.article, "Les pompiers")
    first, _ = spans.create_span(
        assignment.pk, analyst, label=labels["Claim"], start=start, end=end, action_id=action
    )
    spans.delete_span(assignment.pk, analyst, first.pk)
    again, created = spans.create_span(
        assignment.pk, analyst, label=labels["Claim"], start=start, end=end, action_id=action
    )
    assert not created and again.pk == first.pk
    assert Span.objects.count() == 1


def test_delete_hides_and_keeps_history(assignment, analyst, labels):
    span, _ = spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=0, end=5)
    spans.delete_span(assignment.pk, analyst, span.pk)
    span.refresh_from_db()
    assert span.deleted_at is not None
    assert list(span.events.values_list("kind", flat=True)) == ["created", "deleted"]


def test_undo_walks_back_create_relabel_delete(assignment, analyst, labels):
    span, _ = spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=0, end=5)
    spans.relabel_span(assignment.pk, analyst, span.pk, label=labels["Quote"])
    spans.delete_span(assignment.pk, analyst, span.pk)

    spans.undo_last(assignment.pk, analyst)  # undo delete → restored
    span.refresh_from_db()
    assert span.deleted_at is None and span.label == labels["Quote"]
    spans.undo_last(assignment.pk, analyst)  # undo relabel → Claim again
    span.refresh_from_db()
    assert span.label == labels["Claim"]
    spans.undo_last(assignment.pk, analyst)  # undo create → hidden
    span.refresh_from_db()
    assert span.deleted_at is not None
    assert spans.undo_last(assignment.pk, analyst) is None
    kinds = list(span.events.values_list("kind", flat=True))
    assert kinds == ["created", "relabeled", "deleted", "restored", "relabeled", "deleted"]
    assert span.events.filter(undoes__isnull=False).count() == 3


def test_submitted_article_is_read_only(assignment, analyst, labels):
    spans.submit(assignment.pk, analyst, empty_ok=True)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED and assignment.submitted_at
    with pytest.raises(Refused, match="read-only"):
        spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=0, end=5)
    assert not Span.objects.exists()


def test_returned_article_is_editable_again(assignment, analyst, labels):
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.RETURNED)
    _span, created = spans.create_span(
        assignment.pk, analyst, label=labels["Claim"], start=0, end=5
    )
    assert created


def test_another_analysts_assignment_is_not_found(assignment, other_analyst, labels):
    from django.http import Http404

    with pytest.raises(Http404):
        spans.create_span(assignment.pk, other_analyst, label=labels["Claim"], start=0, end=5)


# --- What the database itself refuses ------------------------------------------------------


def test_database_refuses_span_text_that_differs_from_article(assignment, analyst, labels):
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.create(
            assignment=assignment,
            article=assignment.article,
            annotator=analyst,
            label=labels["Claim"],
            start=0,
            end=5,
            text="Pluie",
        )


def test_database_refuses_span_past_the_end(assignment, analyst, labels):
    n = len(assignment.article.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.create(
            assignment=assignment,
            article=assignment.article,
            annotator=analyst,
            label=labels["Claim"],
            start=n - 1,
            end=n + 1,
            text=assignment.article.text[-1] + "x",
        )


def test_database_refuses_empty_or_reversed_span(assignment, analyst, labels):
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.create(
            assignment=assignment,
            article=assignment.article,
            annotator=analyst,
            label=labels["Claim"],
            start=5,
            end=5,
            text="",
        )


def test_database_refuses_span_on_someone_elses_assignment(assignment, other_analyst, labels):
    def insert_and_check():
        with transaction.atomic():
            Span.objects.create(
                assignment=assignment,
                article=assignment.article,
                annotator=other_analyst,
                label=labels["Claim"],
                start=0,
                end=5,
                text=assignment.article.text[:5],
            )
            # The composite key is checked at commit (deferred, like Django's own keys).
            connection.check_constraints()

    with pytest.raises(IntegrityError):
        insert_and_check()
    assert not Span.objects.exists()


def test_history_is_append_only(assignment, analyst, labels):
    span, _ = spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=0, end=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpanEvent.objects.filter(span=span).update(reason="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpanEvent.objects.filter(span=span).delete()
    assert SpanEvent.objects.filter(span=span, reason="").count() == 1


def test_article_text_is_immutable(article):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(article).objects.filter(pk=article.pk).update(text="Autre texte")
    article.refresh_from_db()
    assert article.text.startswith("Crue de la Lironde")


def test_analyst_relabel_after_return_makes_the_span_pending_again(
    assignment, analyst, reviewer, labels
):
    span, _ = spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=0, end=5)
    Span.objects.filter(pk=span.pk).update(status="approved", reviewed_by=reviewer)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.RETURNED)
    spans.relabel_span(assignment.pk, analyst, span.pk, label=labels["Quote"])
    span.refresh_from_db()
    assert (span.status, span.reviewed_by, span.label) == ("pending", None, labels["Quote"])


def test_an_article_without_spans_is_submitted_only_when_confirmed(assignment, analyst, labels):
    with pytest.raises(spans.EmptySubmission, match="tagged nothing"):
        spans.submit(assignment.pk, analyst)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS
    spans.submit(assignment.pk, analyst, empty_ok=True)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
