"""What the annotation page's edits answer, beyond the span: the status badge, the row to
focus after an undo, refusals of a stale tab (under DEBUG too), empty submissions, and the
reviewer's decisions shown after a return."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Span
from annotator.review import decisions
from tests.factories import live_spans

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(name, assignment):
    return reverse(f"annotations:{name}", args=[assignment.pk])


def tag(assignment, phrase, label, attributes=None):
    start = assignment.article.text.index(phrase)
    span, _ = spans.create_span(
        assignment.pk,
        assignment.analyst,
        label=label,
        start=start,
        end=start + len(phrase),
        attributes=attributes,
    )
    return span


def test_an_edit_answers_with_the_status_badge(client, analyst, assignment, labels):
    client.force_login(analyst)
    phrase = "M. Roussel"
    start = assignment.article.text.index(phrase)
    data = {"label": labels["Claim"].pk, "start": start, "end": start + 10, "text": phrase}
    response = client.post(url("span_create", assignment), data, headers=HTMX)
    assert '<span class="badge status-in_progress" id="status-badge" hx-swap-oob="true">' in (
        response.text
    )


def test_a_refused_edit_of_work_submitted_elsewhere_brings_the_new_status(
    client, analyst, assignment, labels
):
    span = tag(assignment, "M. Roussel", labels["Claim"])
    spans.submit(assignment.pk, analyst)
    client.force_login(analyst)
    response = client.post(url("span_delete", assignment), {"span": span.pk}, headers=HTMX)
    assert response.status_code == 409
    assert "read-only" in response.text
    assert 'id="status-badge" hx-swap-oob="true">Submitted</span>' in response.text
    assert live_spans(assignment) == [span]


def test_a_span_removed_in_another_tab_is_refused_in_words(client, analyst, assignment, labels):
    span = tag(assignment, "M. Roussel", labels["Claim"])
    spans.delete_span(assignment.pk, analyst, span.pk)
    client.force_login(analyst)
    for name, data in [
        ("span_delete", {"span": span.pk}),
        ("span_relabel", {"span": span.pk, "label": labels["Quote"].pk}),
    ]:
        response = client.post(url(name, assignment), data, headers=HTMX)
        assert response.status_code == 404
        assert "That span is no longer in this article" in response.text
    span.refresh_from_db()
    assert span.label == labels["Claim"] and span.deleted_at is not None


def test_a_404_under_htmx_is_the_message_region_even_under_debug(
    client, other_analyst, assignment, labels, settings
):
    settings.DEBUG = True  # Django would answer with its technical 404 page
    span = tag(assignment, "M. Roussel", labels["Claim"])
    client.force_login(other_analyst)
    response = client.post(url("span_delete", assignment), {"span": span.pk}, headers=HTMX)
    assert response.status_code == 404
    assert response.text.lstrip().startswith('<div id="messages"')
    assert "There is nothing here, or it is not yours to see." in response.text
    assert "URLconf" not in response.text
    assert live_spans(assignment) == [span]


def test_undo_names_the_span_to_focus(client, analyst, assignment, labels):
    first = tag(assignment, "Vasselot", labels["Claim"])
    second = tag(assignment, "M. Roussel", labels["Claim"])
    spans.delete_span(assignment.pk, analyst, first.pk)
    client.force_login(analyst)
    response = client.post(url("undo", assignment), headers=HTMX)  # restores `first`
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {
        "annotator:focus-span": {"span": first.pk}
    }
    # `second` created: removed; it was the last row, so the row before it.
    response = client.post(url("undo", assignment), headers=HTMX)
    assert not live_spans(assignment)[1:] and second.pk not in [
        s.pk for s in live_spans(assignment)
    ]
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {
        "annotator:focus-span": {"span": first.pk}
    }


def test_an_empty_article_is_submitted_only_when_confirmed(client, analyst, assignment):
    client.force_login(analyst)
    # Without JavaScript: a page asks, and its form confirms.
    response = client.post(url("submit", assignment))
    assert response.status_code == 200
    assert "Submit without any span?" in response.text
    assert 'name="confirm_empty" value="1"' in response.text
    # Under htmx the page asks before posting; an unconfirmed post is refused in words.
    response = client.post(url("submit", assignment), headers=HTMX)
    assert response.status_code == 409
    assert "tagged nothing" in response.text
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS
    response = client.post(url("submit", assignment), {"confirm_empty": "1"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED


@pytest.fixture
def returned(assignment, analyst, reviewer, labels):
    """Submitted with three spans; the reviewer rejects one, relabels one, then returns it."""
    rejected = tag(assignment, "Vasselot", labels["Claim"])
    relabelled = tag(assignment, "M. Roussel", labels["Claim"])
    tag(assignment, "habitants", labels["Casualty figure"], {"kind": "displaced"})
    spans.submit(assignment.pk, analyst)
    Assignment.objects.filter(pk=assignment.pk).update(
        claimed_by=reviewer, claim_expires_at=timezone.now() + timedelta(hours=1)
    )
    decisions.decide(assignment.pk, reviewer, rejected.pk, "reject", reason="Un lieu <b>seul</b>.")
    decisions.decide(assignment.pk, reviewer, relabelled.pk, "relabel", label=labels["Quote"])
    decisions.return_to_analyst(assignment.pk, reviewer, comment="Deux spans à revoir.")
    return assignment


def test_after_a_return_the_span_list_says_what_the_reviewer_decided(
    client, analyst, returned, django_assert_num_queries
):
    client.force_login(analyst)
    client.get(reverse("annotations:queue"))  # the session and user are warm
    # The decisions come in the span list's own query: the page's count does not change
    # (15: the labels' attributes and their choices are read once, whatever the spans, and
    # the rules read the article on its first open, as test_annotate_views pins them).
    with django_assert_num_queries(15):
        response = client.get(url("annotate", returned))
    text = response.text
    assert "✗ Rejected by the reviewer: Un lieu &lt;b&gt;seul&lt;/b&gt;." in text
    assert "↺ Relabelled by the reviewer: Claim → Quote" in text
    assert text.count('class="review-note"') == 2
    assert text.count('data-review="rejected"') == text.count('data-review="relabelled"') == 1


def test_the_analysts_change_after_a_return_clears_the_decision(client, analyst, returned, labels):
    rejected = Span.objects.get(assignment=returned, status=Span.Status.REJECTED)
    spans.relabel_span(returned.pk, analyst, rejected.pk, label=labels["Quote"])
    client.force_login(analyst)
    text = client.get(url("annotate", returned)).text
    assert "Rejected by the reviewer" not in text
    assert text.count('class="review-note"') == 1
