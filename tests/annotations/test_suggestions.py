"""Suggestions in an analyst's work: computed once, shown, accepted or rejected, counted."""

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator.annotations import spans, suggestions
from annotator.annotations.models import (
    Assignment,
    Span,
    SpanEvent,
    Suggestion,
    SuggestionDecision,
    SuggestionRun,
)
from annotator.refusal import Refused
from annotator.suggestions import rules
from tests.factories import ARTICLE_TEXT, digest, make_article

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

# Nothing here for the built-in rules: the suggestions below are a model's, placed by hand.
PLAIN = (
    "Budget voté à Saint-Ombrel\n\n"
    "Le conseil municipal a adopté le budget mardi soir. "
    "La maire Claire Dufour a défendu une hausse des investissements. "
    "L’opposition a voté contre."
)


def suggest(article, label, phrase, *, source="modele-x", score=0.8, attributes=None):
    start = article.text.index(phrase)
    return Suggestion.objects.create(
        article=article, label=label, start=start, end=start + len(phrase), text=phrase,
        source=source, model_version="v1", score=score, attributes=attributes or {},
    )  # fmt: skip


@pytest.fixture
def plain(admin_user, analyst, labels):
    """PLAIN assigned to ana, with two Claim suggestions and one Quote of a model."""
    article = make_article(PLAIN, by=admin_user, title="Budget voté à Saint-Ombrel")
    work = Assignment.objects.create(article=article, analyst=analyst)
    made = [
        suggest(article, labels["Claim"], "Le conseil municipal a adopté le budget mardi soir."),
        suggest(article, labels["Claim"], "L’opposition a voté contre."),
        suggest(article, labels["Quote"], "une hausse des investissements", score=0.4),
    ]
    return work, made


def test_the_rules_run_once_per_article_whoever_opens_it_first(
    admin_user, analyst, other_analyst, labels
):
    article = make_article(ARTICLE_TEXT, by=admin_user)
    first = Assignment.objects.create(article=article, analyst=analyst)
    second = Assignment.objects.create(article=article, analyst=other_analyst)
    shown = suggestions.shown(first)
    found = {(s.label.name, s.text) for s in shown}
    # The quote in guillemets, with its speaker and cue; the figure of the headline.
    assert ("Quote", "Nous n’avions jamais vu ça") in found  # inside the marks
    quote = next(s for s in shown if s.label.name == "Quote")
    assert quote.attributes["speaker"]["text"] == "M. Roussel"
    assert quote.attributes["cue"]["text"] == "déclaré"
    assert quote.source == "rules" and quote.model_version == rules.VERSION and quote.reason
    assert ("Casualty figure", "deux morts") in found
    assert SuggestionRun.objects.filter(article=article, version=rules.VERSION).count() == 1
    stored = Suggestion.objects.count()
    first.refresh_from_db()
    assert first.suggested_at is not None
    # The second analyst's first open finds the run: nothing is computed or stored again.
    assert {(s.label.name, s.text) for s in suggestions.shown(second)} == found
    assert Suggestion.objects.count() == stored
    assert SuggestionRun.objects.count() == 1


def test_accepting_makes_the_analysts_own_span_with_its_values_and_history(plain, analyst, labels):
    work, (_claim, _other, quote) = plain
    action = uuid.uuid4()
    span = suggestions.accept(work.pk, analyst, quote.pk, action_id=action)
    assert (span.label, span.start, span.end, span.text) == (
        labels["Quote"], quote.start, quote.end, quote.text,
    )  # fmt: skip
    created = SpanEvent.objects.get(span=span)
    assert (created.kind, created.suggestion, created.actor) == ("created", quote, analyst)
    decision = SuggestionDecision.objects.get()
    assert (decision.kind, decision.span, decision.suggestion) == ("accepted", span, quote)
    assert quote not in suggestions.shown(work)
    # The same request again (its answer lost) lands once.
    before = digest()
    assert suggestions.accept(work.pk, analyst, quote.pk, action_id=action) == span
    assert digest() == before


def test_values_are_carried_into_the_span(admin_user, analyst, labels):
    article = make_article(PLAIN, by=admin_user)
    work = Assignment.objects.create(article=article, analyst=analyst)
    phrase = "une hausse des investissements"
    values = {"kind": "indirect", "speaker": {"text": "Claire Dufour", "start": None, "end": None}}
    made = suggest(article, labels["Quote"], phrase, attributes=values)
    span = suggestions.accept(work.pk, analyst, made.pk)
    assert span.attributes == values


def test_rejecting_records_the_decision_and_makes_no_span(plain, analyst):
    work, (claim, *_rest) = plain
    suggestion, _work = suggestions.reject(work.pk, analyst, claim.pk)
    assert suggestion == claim
    assert not Span.objects.exists()
    assert SuggestionDecision.objects.get().kind == "rejected"
    assert claim not in suggestions.shown(work)


def test_a_decided_suggestion_is_refused_in_words_and_nothing_is_written(plain, analyst):
    work, (claim, *_rest) = plain
    suggestions.reject(work.pk, analyst, claim.pk)
    before = digest()
    with pytest.raises(Refused, match="no longer waiting"):
        suggestions.accept(work.pk, analyst, claim.pk)
    with pytest.raises(Refused, match="no longer waiting"):
        suggestions.reject(work.pk, analyst, claim.pk)
    assert digest() == before


def test_accepting_all_of_a_label(plain, analyst, labels):
    work, (first, second, quote) = plain
    made = suggestions.accept_label(work.pk, analyst, labels["Claim"], action_id=uuid.uuid4())
    assert sorted(s.text for s in made) == sorted([first.text, second.text])
    assert [s.pk for s in suggestions.shown(work)] == [quote.pk]


def test_what_is_not_shown(plain, analyst, admin_user, labels):
    work, (first, second, quote) = plain
    # A span drawn by hand where a suggestion lies: nothing left to decide there.
    spans.create_span(work.pk, analyst, label=labels["Claim"], start=first.start, end=first.end)
    assert [s.pk for s in suggestions.shown(work)] == [quote.pk, second.pk]  # text order
    # A label whose suggestions an admin switched off.
    labels["Quote"].suggest = False
    labels["Quote"].save()
    assert [s.pk for s in suggestions.shown(work)] == [second.pk]
    # Work assigned without suggestions (an unprimed study): none, and no rules run.
    other = make_article(ARTICLE_TEXT, by=admin_user)
    unprimed = Assignment.objects.create(article=other, analyst=analyst, suggestions=False)
    assert suggestions.shown(unprimed) == []
    assert not SuggestionRun.objects.filter(article=other).exists()
    with pytest.raises(Refused, match="no longer waiting"):
        suggestions.accept(unprimed.pk, analyst, second.pk)
    # Handed-in work shows none.
    Assignment.objects.filter(pk=work.pk).update(status="submitted")
    work.refresh_from_db()
    assert suggestions.shown(work) == []


def test_the_database_keeps_the_rules(plain, analyst, labels, other_analyst, admin_user):
    work, (claim, second, _quote) = plain
    suggestions.reject(work.pk, analyst, claim.pk)
    decision = SuggestionDecision.objects.get()
    cases = [
        # Decisions are append-only.
        lambda: SuggestionDecision.objects.filter(pk=decision.pk).update(kind="accepted"),
        lambda: SuggestionDecision.objects.filter(pk=decision.pk).delete(),
        # A suggestion's text is the article's at its offsets.
        lambda: Suggestion.objects.filter(pk=second.pk).update(text="L’opposition a voté pour."),
        # A score is a share.
        lambda: Suggestion.objects.filter(pk=second.pk).update(score=1.5),
        # Values are values of the label's attributes.
        lambda: Suggestion.objects.filter(pk=second.pk).update(attributes={"nope": 1}),
    ]
    other = make_article("Un autre article.\n\nRien ici.", by=admin_user)
    elsewhere = Assignment.objects.create(article=other, analyst=other_analyst)
    # A decision about the suggestion of another article's work.
    cases.append(
        lambda: SuggestionDecision.objects.create(
            suggestion=second, assignment=elsewhere, kind="rejected", actor=other_analyst
        )
    )
    for change in cases:
        with pytest.raises(IntegrityError), transaction.atomic():
            change()


def test_quality_counts_what_the_analysts_decided(plain, analyst, labels, other_analyst):
    work, (first, second, quote) = plain
    suggestions.shown(work)  # shown to ana
    kept = suggestions.accept(work.pk, analyst, first.pk)
    corrected = suggestions.accept(work.pk, analyst, second.pk)
    spans.set_attributes(work.pk, analyst, corrected.pk, values={"checkworthy": "yes"})
    suggestions.reject(work.pk, analyst, quote.pk)
    # A claim drawn by hand, which the model had not suggested.
    article = work.article
    start = article.text.index("La maire Claire Dufour")
    spans.create_span(work.pk, analyst, label=labels["Claim"], start=start, end=start + 22)
    # Work that never showed suggestions counts nowhere.
    Assignment.objects.create(article=article, analyst=other_analyst)
    rows = {(q.source, q.label): q for q in suggestions.quality()}
    claims, quotes = rows["modele-x", "Claim"], rows["modele-x", "Quote"]
    assert (claims.shown, claims.accepted, claims.corrected, claims.rejected) == (2, 1, 1, 0)
    assert (claims.added, claims.waiting, claims.precision, claims.recall) == (1, 0, 1.0, 2 / 3)
    assert (quotes.shown, quotes.rejected, quotes.precision, quotes.recall) == (1, 1, 0.0, None)
    # A kept span removed since counts as rejected.
    spans.delete_span(work.pk, analyst, kept.pk)
    claims = {(q.source, q.label): q for q in suggestions.quality()}["modele-x", "Claim"]
    assert (claims.accepted, claims.rejected) == (0, 1)


# --- The page and its answers ----------------------------------------------------------


def test_the_page_shows_suggestions_in_the_text_and_in_their_list(client, plain, analyst):
    work, (first, _second, quote) = plain
    client.force_login(analyst)
    html = client.get(reverse("annotations:annotate", args=[work.pk])).text
    assert html.count('class="suggestion-item"') == 3
    assert f'id="suggestion-{quote.pk}"' in html and "modele-x v1 · 0.40" in html
    # In the text: outlined marks naming the suggestion, a "suggested" badge at its start.
    assert f'data-suggestions="{first.pk}"' in html
    assert 'data-tag="suggested: Quote"' in html
    assert "3 suggestions" in html


def test_the_annotate_page_reads_suggestions_in_a_constant_number_of_queries(
    client, admin_user, analyst, labels
):
    def opened(n):
        article = make_article(PLAIN + " Fin." * n, by=admin_user, title=f"Budget {n}")
        work = Assignment.objects.create(article=article, analyst=analyst)
        for k in range(n):
            suggest(article, labels["Claim"], "Fin.", source=f"modele-{k}")
        url = reverse("annotations:annotate", args=[work.pk])
        client.get(url)  # the first open computes (once)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(analyst)
    assert opened(1) == opened(30)


def test_accept_and_reject_answer_with_the_changed_fragments(client, plain, analyst):
    work, (first, second, quote) = plain
    client.force_login(analyst)
    url = reverse("annotations:suggestion_accept", args=[work.pk])
    answer = client.post(
        url, {"suggestion": first.pk, "action_id": str(uuid.uuid4())}, headers=HTMX
    )
    assert answer.status_code == 200
    span = Span.objects.get()
    assert f'id="span-item-{span.pk}"' in answer.text  # the new row
    assert 'id="suggestion-list"' in answer.text and "2 suggestions" in answer.text
    assert f'id="suggestion-{first.pk}"' not in answer.text
    assert "Suggestion accepted" in answer.text
    url = reverse("annotations:suggestion_reject", args=[work.pk])
    answer = client.post(url, {"suggestion": quote.pk}, headers=HTMX)
    assert answer.status_code == 200 and "1 suggestion" in answer.text
    assert f'data-suggestions="{quote.pk}"' not in answer.text  # its sentence, without it
    url = reverse("annotations:suggestion_accept_label", args=[work.pk])
    answer = client.post(url, {"label": second.label_id}, headers=HTMX)
    assert answer["HX-Redirect"] == reverse("annotations:annotate", args=[work.pk])
    assert Span.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "fields", "status", "words"),
    [
        ("suggestion_accept", {}, 422, "Choose the suggestion"),
        ("suggestion_accept", {"suggestion": "٣"}, 422, "digits 0 to 9"),
        ("suggestion_reject", {"suggestion": "999999"}, 409, "no longer waiting"),
        ("suggestion_accept_label", {}, 422, "Choose the label"),
        ("suggestion_accept_label", {"label": "999999"}, 422, "does not exist"),
    ],
)
def test_bad_requests_are_refused_in_words_and_write_nothing(
    client, plain, analyst, name, fields, status, words
):
    work, _made = plain
    client.force_login(analyst)
    before = digest()
    answer = client.post(reverse(f"annotations:{name}", args=[work.pk]), fields, headers=HTMX)
    assert answer.status_code == status
    assert words in answer.text
    assert digest() == before


def test_another_analysts_work_is_not_found(client, plain, other_analyst):
    work, (first, *_rest) = plain
    client.force_login(other_analyst)
    before = digest()
    url = reverse("annotations:suggestion_accept", args=[work.pk])
    assert client.post(url, {"suggestion": first.pk}, headers=HTMX).status_code == 404
    assert digest() == before


def test_a_batch_is_assigned_with_or_without_suggestions(client, admin_user, analyst, labels):
    shown = make_article(PLAIN, by=admin_user, title="Avec")
    unprimed = make_article(ARTICLE_TEXT, by=admin_user, title="Sans")
    client.force_login(admin_user)
    url = reverse("annotations:assign")
    client.post(url, {"articles": [shown.pk], "analysts": [analyst.pk]})
    client.post(url, {"articles": [unprimed.pk], "analysts": [analyst.pk], "suggestions": "off"})
    assert Assignment.objects.get(article=shown).suggestions is True
    assert Assignment.objects.get(article=unprimed).suggestions is False
    before = digest()
    wrong = client.post(url, {"articles": [shown.pk], "per_article": 2, "suggestions": "maybe"})
    assert wrong.status_code == 422 and "either shown or not shown" in wrong.text
    assert digest() == before


def test_the_dashboard_shows_the_live_figures(client, plain, analyst, reviewer):
    work, (first, _second, quote) = plain
    suggestions.shown(work)
    suggestions.accept(work.pk, analyst, first.pk)
    suggestions.reject(work.pk, analyst, quote.pk)
    client.force_login(reviewer)
    html = client.get(reverse("review:dashboard")).text
    table = html[html.index('id="suggestion-table"') :]
    claim_row = table[table.index('data-label="Claim"') :].split("</tr>")[0]
    assert claim_row.count('class="num">') == 8
    assert ">2<" in claim_row and ">1.00<" in claim_row  # 2 shown; precision 1.00
    quote_row = table[table.index('data-label="Quote"') :].split("</tr>")[0]
    assert ">0.00<" in quote_row


def test_an_admin_switches_a_labels_suggestions_off(client, admin_user, labels):
    client.force_login(admin_user)
    label = labels["Quote"]
    url = reverse("annotations:label_edit", args=[label.pk])
    form = {
        "name": label.name, "description": label.description, "color": label.color,
        "key": label.key, "order": label.order, "is_active": "on",
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    label.refresh_from_db()
    assert label.suggest is False
    assert "show suggestions" in client.get(url).text.lower()


def test_a_span_drawn_where_a_suggestion_lies_takes_it_off_the_list(client, plain, analyst):
    work, (first, second, quote) = plain
    client.force_login(analyst)
    url = reverse("annotations:span_create", args=[work.pk])
    data = {
        "label": first.label_id, "start": first.start, "end": first.end, "text": first.text,
        "action_id": str(uuid.uuid4()),
    }  # fmt: skip
    answer = client.post(url, data, headers=HTMX)
    assert answer.status_code == 200
    assert 'id="suggestion-list"' in answer.text and "2 suggestions" in answer.text
    assert f'id="suggestion-{first.pk}"' not in answer.text
    # Elsewhere, an edit sends back its sentences with their suggestions, not the list.
    start = work.article.text.index("La maire")
    data = {
        "label": first.label_id, "start": start, "end": start + 8, "text": "La maire",
        "action_id": str(uuid.uuid4()),
    }  # fmt: skip
    answer = client.post(url, data, headers=HTMX)
    assert 'id="suggestion-list"' not in answer.text
    assert f'data-suggestions="{quote.pk}"' in answer.text  # in the sentence sent back
    assert f'data-suggestions="{second.pk}"' not in answer.text  # another sentence's
