"""In Chromium: a reviewer adds a missed span and corrects a span's bounds, by keyboard."""

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Span
from tests.factories import seeded_labels

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Selects the first occurrence of `needle` in the article text, as a mouse drag would.
SELECT = """(needle) => {
  const walker = document.createTreeWalker(document.getElementById("doc"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + needle.length);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    return true;
  }
  return false;
}"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_correct_bounds_from_a_selection_snapped_to_words(laptop, login_as, long_item, reviewer):
    first = long_item.spans.order_by("start").first()
    login_as(reviewer)
    laptop.goto(f"/review/items/{long_item.pk}/")
    expect(laptop.locator(f"#span-{first.pk}")).to_be_focused()

    assert laptop.evaluate(SELECT, "igue a céd")  # inside the first span, cutting words
    laptop.keyboard.press("e")
    expect(laptop.locator("#add-label")).to_be_focused()
    expect(laptop.locator("#add-preview")).to_have_text("« digue a cédé »")
    for _ in range(3):
        laptop.keyboard.press("Tab")
    expect(laptop.get_by_label("Reason for the change (optional)")).to_be_focused()
    laptop.keyboard.type("Sans l’article")
    laptop.keyboard.press("Enter")

    new = laptop.locator("#span-list > .span-row[data-new]")
    expect(new).to_be_focused()
    expect(new).to_contain_text("added by the reviewer")
    expect(laptop.locator(f"#span-{first.pk}")).to_contain_text(
        "replaced by the reviewer’s correction"
    )
    correction = Span.objects.get(corrects=first)
    assert (correction.text, correction.added_by, correction.reject_reason) == (
        "digue a cédé",
        reviewer,
        "Sans l’article",
    )
    first.refresh_from_db()
    assert first.status == "rejected"
    mark = laptop.locator(f'#doc mark[data-spans="{first.pk} {correction.pk}"]')
    expect(mark).to_have_attribute(
        "title", "Claim: replaced by the reviewer’s correction, Claim: added by the reviewer"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_add_a_missed_span_by_keyboard(laptop, login_as, long_item, reviewer):
    login_as(reviewer)
    laptop.goto(f"/review/items/{long_item.pk}/")
    assert laptop.evaluate(SELECT, "témoin numéro 3 aff")
    laptop.keyboard.press("n")
    label = laptop.locator("#add-label")
    expect(label).to_be_focused()
    laptop.keyboard.press("2")  # type-ahead: "2 · Quote"
    expect(label).to_have_value(str(seeded_labels()["Quote"].pk))
    expect(laptop.locator("#add-preview")).to_have_text("« témoin numéro 3 affirme »")
    laptop.locator("#add-reason").focus()
    laptop.keyboard.press("Enter")
    expect(laptop.locator("#span-list > .span-row[data-new]")).to_be_focused()

    added = Span.objects.get(added_by=reviewer)
    assert (added.text, added.label.name, added.status) == (
        "témoin numéro 3 affirme",
        "Quote",
        "approved",
    )
    row = laptop.locator(f"#span-{added.pk}")
    expect(row).to_be_focused()
    expect(laptop.locator(f'#doc mark[data-spans="{added.pk}"]')).to_have_attribute(
        "title", "Quote: added by the reviewer"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_offsets_typed_by_hand_and_a_refusal_in_the_message_region(
    laptop, login_as, long_item, reviewer
):
    first = long_item.spans.order_by("start").first()
    login_as(reviewer)
    laptop.goto(f"/review/items/{long_item.pk}/")
    laptop.keyboard.press("e")  # no selection: the span's own offsets, to edit
    start = laptop.locator("#add-start")
    expect(start).to_be_focused()
    expect(start).to_have_value(str(first.start))
    laptop.keyboard.press("ArrowUp")
    expect(laptop.locator("#add-preview")).to_have_text("« a digue a cédé à 0 heures »")
    laptop.keyboard.press("ArrowDown")
    laptop.keyboard.press("Enter")  # bounds unchanged
    expect(laptop.locator("#messages")).to_contain_text("The bounds are unchanged")
    assert not Span.objects.filter(added_by__isnull=False).exists()
    laptop.keyboard.press("Escape")
    expect(laptop.locator("#add-span")).not_to_have_attribute("open", "")
