"""The review page and its decision endpoints, through the Django client (htmx and plain)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotator.accounts.roles import Role
from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.review import decisions
from annotator.review.models import ReviewEvent
from tests.factories import give_role, live_spans

HTMX = {"HX-Request": "true"}


def item_url(assignment):
    return reverse("review:item", args=[assignment.pk])


def decide_url(assignment, span):
    return reverse("review:decide", args=[assignment.pk, span.pk])


def decided_events():
    return SpanEvent.objects.exclude(kind=SpanEvent.Kind.CREATED)


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


# --- The page -----------------------------------------------------------------------------


def test_the_page_shows_the_article_and_the_analysts_spans(rita, claimed):
    response = rita.get(item_url(claimed))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Crue de la Lironde</h1>" in html
    for span in live_spans(claimed):
        assert f'id="span-{span.pk}"' in html
        assert f'data-spans="{span.pk}"' in html  # highlighted in the text
        assert decide_url(claimed, span) in html
    assert "0 of 3 spans decided" in html
    assert "js/review.js" in html


def test_the_page_shows_each_spans_timeline(rita, claimed, reviewer):
    span = live_spans(claimed)[0]
    decisions.decide(claimed.pk, reviewer, span.pk, decisions.Decision.REJECT, reason="Too vague.")
    html = rita.get(item_url(claimed)).content.decode()
    row = html[html.index(f'id="span-{span.pk}"') :]
    row = row[: row.index("</li>\n        \n")]
    assert "History: 2 events" in row
    assert "ana · <strong>Created</strong>" in row
    assert "rita · <strong>Rejected</strong>" in row
    assert "status Pending → Rejected" in row
    assert "Too vague." in row


def test_another_reviewer_reads_without_deciding(client, claimed, other_reviewer):
    client.force_login(other_reviewer)
    html = client.get(item_url(claimed)).content.decode()
    assert "rita is reviewing it" in html
    assert "review:decide" not in html and "/decide/" not in html
    assert 'data-can-decide="false"' in html


def test_the_analyst_cannot_open_their_own_work_for_review(client, submission, analyst):
    give_role(analyst, Role.REVIEWER)
    client.force_login(analyst)
    assert client.get(item_url(submission)).status_code == 403


def test_work_never_submitted_is_not_found(rita, submission):
    Assignment.objects.filter(pk=submission.pk).update(status="in_progress", submitted_at=None)
    assert rita.get(item_url(submission)).status_code == 404


def test_earlier_returns_are_shown(rita, claimed, reviewer, analyst):
    from annotator.annotations import spans as annotating
    from annotator.review import queue

    decisions.return_to_analyst(claimed.pk, reviewer, comment="Missing the prefect.")
    annotating.submit(claimed.pk, analyst)
    queue.claim_next(reviewer)
    html = rita.get(item_url(claimed)).content.decode()
    assert "Earlier reviews of this article" in html
    assert "Missing the prefect." in html


# --- Span decisions -----------------------------------------------------------------------


def test_approve_returns_the_row_its_sentence_and_the_progress(rita, claimed, reviewer):
    span = live_spans(claimed)[0]
    response = rita.post(decide_url(claimed, span), {"decision": "approve"}, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<li class="span-row is-approved d-approved" id="span-{span.pk}"' in html
    assert 'class="sent" id="s-1"' in html and 'hx-swap-oob="true"' in html
    assert 'id="progress"' in html and "1 of 3 spans decided" in html
    # The message region, emptied.
    assert (
        'id="messages" class="messages" role="status" aria-live="polite" hx-swap-oob="true"' in html
    )
    assert 'class="message ' not in html
    span.refresh_from_db()
    assert (span.status, span.reviewed_by) == ("approved", reviewer)


def test_reject_with_a_reason(rita, claimed):
    span = live_spans(claimed)[1]
    action = "0f6e4b1c-8a53-4c1e-9a7e-7d7b6f1d2c3a"
    data = {"decision": "reject", "reason": "Paraphrase, not a quote.", "action_id": action}
    response = rita.post(decide_url(claimed, span), data, headers=HTMX)
    assert response.status_code == 200
    assert "Paraphrase, not a quote." in response.content.decode()
    # The same request again (a retry) changes nothing.
    assert rita.post(decide_url(claimed, span), data, headers=HTMX).status_code == 200
    event = decided_events().get()
    assert (event.kind, event.reason, str(event.action_id)) == (
        "rejected",
        "Paraphrase, not a quote.",
        action,
    )


def test_relabel_re_renders_the_sentence_with_the_new_label(rita, claimed, labels):
    span = next(s for s in live_spans(claimed) if s.label.name == "Claim")
    response = rita.post(
        decide_url(claimed, span),
        {"decision": "relabel", "label": labels["Policy stance"].pk},
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    # The text shows the analyst's label and the reviewer's, in words (tag and title).
    assert 'data-tag="Claim → Policy stance"' in html
    assert 'title="Policy stance: relabelled by the reviewer"' in html
    span.refresh_from_db()
    assert (span.label.name, span.status) == ("Policy stance", "approved")


def test_without_htmx_a_decision_redirects_back_to_the_page(rita, claimed):
    span = live_spans(claimed)[0]
    response = rita.post(decide_url(claimed, span), {"decision": "approve"})
    assert response.status_code == 302
    assert response["Location"] == item_url(claimed)
    span.refresh_from_db()
    assert span.status == "approved"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "maybe"}, "Say whether to approve, reject or relabel the span."),
        ({"decision": "relabel"}, "Choose the label the span should have."),
        ({"decision": "relabel", "label": "999"}, "That label does not exist"),
        ({"decision": "approve", "action_id": "not-a-uuid"}, "broken request id"),
    ],
)
def test_invalid_decisions_are_refused_with_a_message(rita, claimed, data, message):
    span = live_spans(claimed)[0]
    response = rita.post(decide_url(claimed, span), data, headers=HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response["HX-Retarget"] == "#messages"
    assert not decided_events().exists()


def test_a_decision_without_the_claim_is_refused_into_the_message_region(
    client, claimed, other_reviewer
):
    client.force_login(other_reviewer)
    span = live_spans(claimed)[0]
    response = client.post(decide_url(claimed, span), {"decision": "approve"}, headers=HTMX)
    assert response.status_code == 409
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#messages", "outerHTML")
    assert "Another reviewer is reviewing this article" in response.content.decode()
    assert not decided_events().exists()


def test_an_expired_claim_is_refused(rita, claimed):
    Assignment.objects.filter(pk=claimed.pk).update(
        claim_expires_at=timezone.now() - timedelta(seconds=1)
    )
    span = live_spans(claimed)[0]
    response = rita.post(decide_url(claimed, span), {"decision": "approve"})
    assert response.status_code == 409
    assert "ran out" in response.content.decode()
    assert not decided_events().exists()


def test_a_span_of_another_item_is_not_found(rita, claimed, analyst, other_analyst):
    from tests.factories import make_submission

    elsewhere = make_submission(other_analyst, "Elsewhere")
    span = live_spans(elsewhere)[0]
    response = rita.post(decide_url(claimed, span), {"decision": "approve"})
    assert response.status_code == 404


def test_approve_all(rita, claimed):
    url = reverse("review:approve_all", args=[claimed.pk])
    response = rita.post(url, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="span-row is-approved d-approved"') == 3
    assert "3 of 3 spans decided" in html
    assert set(Span.objects.filter(assignment=claimed).values_list("status", flat=True)) == {
        "approved"
    }


# --- Finishing ----------------------------------------------------------------------------


def test_approving_with_undecided_spans_says_how_many(rita, claimed):
    response = rita.post(reverse("review:approve", args=[claimed.pk]), headers=HTMX)
    assert response.status_code == 409
    assert "3 spans are still undecided" in response.content.decode()
    claimed.refresh_from_db()
    assert claimed.status == "submitted"


def test_approving_the_article(rita, claimed, reviewer):
    decisions.approve_all(claimed.pk, reviewer)
    response = rita.post(reverse("review:approve", args=[claimed.pk]), headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("review:queue")
    claimed.refresh_from_db()
    assert (claimed.status, claimed.reviewed_by) == ("approved", reviewer)
    page = rita.get(reverse("review:queue")).content.decode()
    assert "Approved « Crue de la Lironde »" in page


def test_returning_needs_a_comment(rita, claimed):
    url = reverse("review:return", args=[claimed.pk])
    response = rita.post(url, {"comment": "   "}, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 422
    assert html.lstrip().startswith('<section class="finish" id="finish"')
    assert "Write a comment so the analyst knows what to change." in html
    # Without htmx: the whole page again, with the error.
    response = rita.post(url, {"comment": ""})
    assert response.status_code == 422
    assert "Write a comment" in response.content.decode()
    claimed.refresh_from_db()
    assert claimed.status == "submitted"
    assert not ReviewEvent.objects.exists()


def test_returning_to_the_analyst(rita, claimed, reviewer):
    url = reverse("review:return", args=[claimed.pk])
    response = rita.post(url, {"comment": "Tag the figures in the title too."})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:queue")
    claimed.refresh_from_db()
    assert (claimed.status, claimed.return_comment, claimed.claimed_by) == (
        "returned",
        "Tag the figures in the title too.",
        None,
    )
    assert ReviewEvent.objects.get().kind == "returned"


# --- Claiming from the page ---------------------------------------------------------------


def test_start_reviewing_opens_the_claimed_item(rita, submission, reviewer):
    response = rita.post(reverse("review:start"))
    assert response.status_code == 302
    assert response["Location"] == item_url(submission)
    submission.refresh_from_db()
    assert submission.claimed_by == reviewer


def test_start_reviewing_again_resumes(rita, claimed):
    response = rita.post(reverse("review:start"), follow=True)
    assert response.redirect_chain[-1][0] == item_url(claimed)
    assert "You were already reviewing this article" in response.content.decode()


def test_start_reviewing_with_an_empty_queue(rita, db):
    response = rita.post(reverse("review:start"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("review:queue")
    assert "Nothing is waiting for review" in response.content.decode()


def test_release(rita, claimed):
    response = rita.post(reverse("review:release", args=[claimed.pk]))
    assert response.status_code == 302
    claimed.refresh_from_db()
    assert claimed.claimed_by is None


def test_mutations_are_post_only(rita, claimed):
    span = live_spans(claimed)[0]
    for url in [
        reverse("review:start"),
        decide_url(claimed, span),
        reverse("review:approve_all", args=[claimed.pk]),
        reverse("review:approve", args=[claimed.pk]),
        reverse("review:return", args=[claimed.pk]),
        reverse("review:release", args=[claimed.pk]),
    ]:
        assert rita.get(url).status_code == 405, url


# Session, user with roles; the assignment, its spans, their events, active labels, sentences,
# earlier reviews; the spans' labels' attributes and their choices (two more, needed to name
# the values and choices, read once whatever the number of spans: they are rows of their
# own tables, which neither the spans nor the labels query can bring).
PAGE_QUERIES = 10


@pytest.mark.parametrize("extra_spans", [0, 12])
def test_the_page_query_count_does_not_grow_with_spans(
    rita, claimed, reviewer, labels, extra_spans, django_assert_num_queries
):
    text = claimed.article.text
    for n in range(extra_spans):
        span = Span.objects.create(
            assignment=claimed,
            article=claimed.article,
            annotator=claimed.analyst,
            label=labels["Claim"],
            start=n,
            end=n + 2,
            text=text[n : n + 2],
        )
        SpanEvent.objects.create(
            span=span, assignment=claimed, actor=claimed.analyst, kind="created"
        )
        decisions.decide(claimed.pk, reviewer, span.pk, decisions.Decision.APPROVE)
    with django_assert_num_queries(PAGE_QUERIES):
        assert rita.get(item_url(claimed)).status_code == 200


# --- Decisions shown in the text ------------------------------------------------------------


def mark_of(html, span):
    """The <mark …> opening tag of the highlight where `span` begins."""
    at = html.index(f'data-o="{span.start}" data-spans="{span.pk}"')
    return html[html.rindex("<mark", 0, at) : html.index(">", at) + 1]


def test_each_decision_shows_in_the_text_with_a_word_and_a_sign(rita, claimed, reviewer, labels):
    claim, quote, toll = live_spans(claimed)
    decisions.decide(claimed.pk, reviewer, claim.pk, decisions.Decision.APPROVE)
    decisions.decide(claimed.pk, reviewer, quote.pk, decisions.Decision.REJECT, reason="Non.")
    html = rita.get(item_url(claimed)).content.decode()

    assert 'class="seg hl c-' in mark_of(html, claim)
    assert "d-approved" in mark_of(html, claim)
    assert f'title="{claim.label.name}: approved"' in mark_of(html, claim)
    assert f'data-tag="{claim.label.name} ✓"' in html
    assert "d-rejected" in mark_of(html, quote)
    assert f'title="{quote.label.name}: rejected"' in mark_of(html, quote)
    assert f'data-tag="{quote.label.name} ✗"' in html
    assert "d-pending" in mark_of(html, toll)
    assert f'title="{toll.label.name}: undecided"' in mark_of(html, toll)


def test_a_decision_re_renders_its_sentence_with_the_new_state(rita, claimed, reviewer):
    span = live_spans(claimed)[0]
    response = rita.post(
        decide_url(claimed, span), {"decision": "reject", "reason": "Non."}, headers=HTMX
    )
    html = response.content.decode()
    assert 'hx-swap-oob="true"' in html
    assert "d-rejected" in mark_of(html, span)
    assert f'class="span-row is-rejected d-rejected" id="span-{span.pk}"' in html


def test_relabel_keeps_the_reviewers_reason(rita, claimed, labels):
    span = next(s for s in live_spans(claimed) if s.label.name == "Claim")
    rita.post(
        decide_url(claimed, span),
        {"decision": "relabel", "label": labels["Policy stance"].pk, "reason": "Un avis."},
        headers=HTMX,
    )
    span.refresh_from_db()
    assert (span.label.name, span.reject_reason) == ("Policy stance", "Un avis.")
    html = rita.get(item_url(claimed)).content.decode()
    assert "Un avis." in html
    assert '<del class="was">Claim</del>' in html
