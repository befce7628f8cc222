"""In Chromium: an analyst moves through the built-in suggestions by keyboard, rejects one,
accepts one, accepts the rest of a label at once; nothing is a span before it is accepted."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Assignment, Span, SpanEvent, SuggestionDecision
from tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TEXT = (
    "Séisme dans la vallée de la Brume : au moins 12 morts\n\n"
    "Les secours ont dénombré 30 blessés dans la nuit. "
    "« Nous reconstruirons tout », a déclaré la maire. "
    "Trois pompiers ont été blessés jeudi."
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_suggestions_are_accepted_and_rejected_by_keyboard(
    page, login_as, analyst, admin_user, labels
):
    article = make_article(TEXT, by=admin_user, title="Séisme dans la vallée de la Brume")
    work = Assignment.objects.create(article=article, analyst=analyst)
    login_as(analyst)
    page.goto(f"/annotate/{work.pk}/")
    items = page.locator("#suggestion-items .suggestion-item")
    # The rules' four, in text order: 12 dead, 30 injured, the quote, three firefighters.
    expect(items).to_have_count(4)
    expect(items.nth(0)).to_contain_text("au moins 12 morts")
    expect(items.nth(2)).to_contain_text("Nous reconstruirons tout")
    expect(items.nth(2)).to_contain_text("guillemets + déclaré")
    assert not Span.objects.exists()  # shown, not saved
    # In the text: outlined, with a "suggested" badge where each starts (not colour alone).
    expect(page.locator("#doc mark.sug").first).to_be_visible()
    expect(page.locator("#doc .sug-tag[data-tag='suggested: Quote']")).to_have_count(1)
    expect(page.locator("#doc .sug-tag[data-tag='suggested: Casualty figure']")).to_have_count(3)

    # ] and [ move through them; the focused one is outlined in the text.
    page.keyboard.press("]")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("]")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("[")
    expect(items.nth(0)).to_be_focused()
    first = items.nth(0).get_attribute("data-suggestion")
    expect(page.locator(f"#doc mark.sug.is-current[data-suggestions~='{first}']")).to_have_count(1)

    # r rejects it: it leaves the list and the text; the next one has the focus.
    page.keyboard.press("r")
    expect(items).to_have_count(3)
    expect(page.locator(f"[data-suggestions~='{first}']")).to_have_count(0)
    expect(items.nth(0)).to_be_focused()
    expect(items.nth(0)).to_contain_text("30 blessés")
    assert not Span.objects.exists()

    # a accepts the quote: the analyst's own span, with its speaker and cue.
    page.keyboard.press("]")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("a")
    expect(page.locator("#span-list .span-item")).to_have_count(1)
    expect(items).to_have_count(2)
    span = Span.objects.get()
    assert span.text == "Nous reconstruirons tout"
    assert span.attributes["speaker"]["text"] == "la maire"
    assert span.attributes["cue"]["text"] == "déclaré"
    assert SpanEvent.objects.get(span=span).suggestion.text == "Nous reconstruirons tout"

    # A on a casualty figure accepts both that remain (the page comes back whole).
    page.keyboard.press("[")
    page.keyboard.press("A")
    expect(page.locator("#messages")).to_contain_text("2 suggestions of “Casualty figure” accepted")
    expect(page.locator("#span-list .span-item")).to_have_count(3)
    expect(page.locator("#suggestion-list")).to_be_hidden()
    figures = Span.objects.filter(label=labels["Casualty figure"]).order_by("start")
    assert [(f.text, f.attributes["kind"], f.attributes["min"]) for f in figures] == [
        ("30 blessés", "injured", 30),
        ("Trois pompiers", "injured", 3),
    ]
    assert sorted(SuggestionDecision.objects.values_list("kind", flat=True)) == [
        "accepted", "accepted", "accepted", "rejected",
    ]  # fmt: skip
