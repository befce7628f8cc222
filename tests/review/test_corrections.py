"""A reviewer adds a span the analyst missed, or redraws one: decisions.add_span and its view."""

import uuid

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from annotator.annotations.models import Span, SpanEvent
from annotator.exports.dialects import STANDARD
from annotator.exports.selection import SpanFilter
from annotator.exports.spans_csv import csv_chunks
from annotator.integrity import broken_invariants
from annotator.refusal import Refused
from annotator.review import decisions, stats
from tests.factories import live_spans, parse_csv

HTMX = {"HX-Request": "true"}


def add_url(assignment):
    return reverse("review:add_span", args=[assignment.pk])


def bounds(assignment, phrase):
    start = assignment.article.text.index(phrase)
    return start, start + len(phrase)


def approved_rows():
    return parse_csv(b"".join(csv_chunks(SpanFilter(), STANDARD)))


# --- The service ----------------------------------------------------------------------------


def test_correcting_bounds_keeps_the_analysts_span_and_adds_the_reviewers(
    claimed, reviewer, analyst
):
    toll = next(s for s in live_spans(claimed) if s.text == "1 850 habitants")
    start, end = bounds(claimed, "évacué 1 850 habitants")
    new, old = decisions.add_span(
        claimed.pk,
        reviewer,
        label=toll.label,
        start=start,
        end=end,
        corrects=toll.pk,
        reason="Le verbe compte.",
    )

    toll.refresh_from_db()
    assert old == toll
    assert (toll.status, toll.start, toll.text, toll.deleted_at) == (
        "rejected",
        toll.start,
        "1 850 habitants",
        None,
    )
    assert (new.text, new.status, new.added_by, new.corrects, new.annotator) == (
        "évacué 1 850 habitants",
        "approved",
        reviewer,
        toll,
        analyst,
    )
    assert (new.reviewed_by, new.reject_reason) == (reviewer, "Le verbe compte.")
    created = SpanEvent.objects.get(span=new)
    assert (created.kind, created.actor, created.status_after) == ("created", reviewer, "approved")
    corrected = SpanEvent.objects.get(span=toll, kind="corrected")
    assert (corrected.actor, corrected.status_before, corrected.status_after) == (
        reviewer,
        "pending",
        "rejected",
    )
    assert broken_invariants() == {}


def test_a_span_the_analyst_missed_is_added_approved(claimed, reviewer, labels):
    start, end = bounds(claimed, "le maire")
    new, old = decisions.add_span(
        claimed.pk, reviewer, label=labels["Claim"], start=start, end=end, text="le maire"
    )
    assert old is None
    assert (new.text, new.status, new.added_by, new.corrects) == (
        "le maire",
        "approved",
        reviewer,
        None,
    )


def test_export_holds_the_reviewers_version_only(claimed, reviewer, labels):
    toll = next(s for s in live_spans(claimed) if s.text == "1 850 habitants")
    for span in live_spans(claimed):
        if span != toll:
            decisions.decide(claimed.pk, reviewer, span.pk, decisions.Decision.APPROVE)
    start, end = bounds(claimed, "évacué 1 850 habitants")
    new, _ = decisions.add_span(
        claimed.pk, reviewer, label=labels["Quote"], start=start, end=end, corrects=toll.pk
    )
    decisions.approve(claimed.pk, reviewer)

    rows = {int(r["span_id"]): r for r in approved_rows()}
    assert new.pk in rows
    assert toll.pk not in rows
    # Corrected under another label: the analyst's label is kept in original_label.
    assert (rows[new.pk]["text"], rows[new.pk]["label"], rows[new.pk]["original_label"]) == (
        "évacué 1 850 habitants",
        "Quote",
        "Casualty figure",
    )
    assert rows[new.pk]["reviewer"] == reviewer.username


def test_added_span_has_no_original_label(claimed, reviewer, labels):
    start, end = bounds(claimed, "le maire")
    new, _ = decisions.add_span(claimed.pk, reviewer, label=labels["Claim"], start=start, end=end)
    for span in live_spans(claimed):
        if span.status == "pending":
            decisions.decide(claimed.pk, reviewer, span.pk, decisions.Decision.APPROVE)
    decisions.approve(claimed.pk, reviewer)
    row = next(r for r in approved_rows() if r["span_id"] == str(new.pk))
    assert (row["original_label"], row["review_reason"]) == ("", "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c, s, n: {"start": 0, "end": n + 1}, "after the end of the article"),
        (lambda c, s, n: {"start": s.start, "end": s.end}, "already covers exactly that text"),
        (lambda c, s, n: {"start": s.end, "end": s.end + 1, "text": "x"}, "out of date"),
        (lambda c, s, n: {"start": s.end, "end": s.end + 1}, "only spaces"),
        (
            lambda c, s, n: {"start": s.start, "end": s.end, "corrects": s.pk},
            "bounds are unchanged",
        ),
    ],
)
def test_refusals_change_nothing(claimed, reviewer, change, message):
    span = live_spans(claimed)[0]
    length = len(claimed.article.text)
    before = list(Span.objects.values_list("id", "status", "start", "end"))
    events = SpanEvent.objects.count()
    with pytest.raises(Refused, match=message):
        decisions.add_span(claimed.pk, reviewer, label=span.label, **change(claimed, span, length))
    assert list(Span.objects.values_list("id", "status", "start", "end")) == before
    assert SpanEvent.objects.count() == events


def test_a_corrected_span_cannot_be_approved_again(claimed, reviewer):
    span = live_spans(claimed)[0]
    decisions.add_span(
        claimed.pk,
        reviewer,
        label=span.label,
        start=span.start,
        end=span.end + 1,
        corrects=span.pk,
    )
    with pytest.raises(Refused, match="correction replaces this span"):
        decisions.decide(claimed.pk, reviewer, span.pk, decisions.Decision.APPROVE)
    with pytest.raises(Refused, match="already corrected"):
        decisions.add_span(
            claimed.pk,
            reviewer,
            label=span.label,
            start=span.start,
            end=span.end + 2,
            corrects=span.pk,
        )


def test_only_the_claim_holder_may_add(submission, reviewer, labels):
    """Not claimed: refused like any decision."""
    with pytest.raises(Refused, match="not reviewing"):
        decisions.add_span(submission.pk, reviewer, label=labels["Claim"], start=0, end=4)
    assert not Span.objects.filter(added_by__isnull=False).exists()


def test_the_database_refuses_a_reviewer_span_by_its_own_analyst(claimed, analyst):
    span = live_spans(claimed)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.filter(pk=span.pk).update(added_by=analyst)
    with pytest.raises(IntegrityError), transaction.atomic():
        Span.objects.filter(pk=span.pk).update(corrects=live_spans(claimed)[1])


# --- The view ---------------------------------------------------------------------------------


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


def test_adding_answers_with_the_whole_list_and_the_sentence(rita, claimed, labels):
    start, end = bounds(claimed, "le maire")
    response = rita.post(
        add_url(claimed),
        {"label": labels["Claim"].pk, "start": start, "end": end, "text": "le maire"},
        headers=HTMX,
    )
    assert response.status_code == 200
    new = Span.objects.get(added_by__isnull=False)
    html = response.content.decode()
    assert '<ol id="span-list" hx-swap-oob="innerHTML">' in html
    assert f'id="span-{new.pk}" tabindex="0" data-span="{new.pk}"' in html
    assert 'data-new="true"' in html
    assert "added by the reviewer" in html
    assert f'data-spans="{new.pk}"' in html  # its sentence, out of band
    assert 'id="add-span" hx-swap-oob="true"' in html


def test_a_bad_form_is_refused_in_words(rita, claimed, labels):
    response = rita.post(
        add_url(claimed), {"label": labels["Claim"].pk, "start": "9", "end": "3"}, headers=HTMX
    )
    assert response.status_code == 422
    assert "A span must cover at least one character." in response.content.decode()
    response = rita.post(add_url(claimed), {"label": labels["Claim"].pk}, headers=HTMX)
    assert "Say where the span starts" in response.content.decode()
    assert not Span.objects.filter(added_by__isnull=False).exists()


def test_the_page_offers_the_add_form_and_its_keys(rita, claimed):
    html = rita.get(reverse("review:item", args=[claimed.pk])).content.decode()
    assert 'id="add-span-form"' in html
    assert "<kbd>n</kbd>" in html and "<kbd>e</kbd>" in html
    assert "js/selection.js" in html


def test_the_analysts_approval_rate_counts_the_corrected_span_not_the_reviewers(
    claimed, reviewer, labels
):
    span = live_spans(claimed)[0]
    decisions.add_span(
        claimed.pk,
        reviewer,
        label=span.label,
        start=span.start,
        end=span.end + 1,
        corrects=span.pk,
    )
    (rate,) = stats.rates_per_analyst()
    assert (rate.approved, rate.relabelled, rate.rejected) == (0, 0, 1)


def test_a_retried_request_adds_the_span_once(claimed, reviewer, labels):
    start, end = bounds(claimed, "le maire")
    action = uuid.uuid4()
    first, _ = decisions.add_span(
        claimed.pk, reviewer, label=labels["Claim"], start=start, end=end, action_id=action
    )
    again, _ = decisions.add_span(
        claimed.pk, reviewer, label=labels["Claim"], start=start, end=end, action_id=action
    )
    assert again == first
    assert Span.objects.filter(added_by=reviewer).count() == 1


def test_without_htmx_adding_redirects_back_to_the_page(rita, claimed, labels):
    start, end = bounds(claimed, "le maire")
    response = rita.post(
        add_url(claimed), {"label": labels["Claim"].pk, "start": start, "end": end}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("review:item", args=[claimed.pk])
    assert Span.objects.get(added_by__isnull=False).text == "le maire"
