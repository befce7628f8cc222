"""In Chromium: the review page on a laptop screen with a long list, and decisions in the text."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_long_list_shows_four_rows_and_keeps_the_finish_controls_in_view(
    laptop, login_as, long_item, reviewer
):
    item = long_item
    login_as(reviewer)
    laptop.goto(f"/review/items/{item.pk}/")
    rows = laptop.locator("#span-list > .span-row")
    expect(rows).to_have_count(16)
    expect(rows.first).to_be_focused()

    def fully_visible():
        return sum(
            1 for i in range(16) if laptop.evaluate(VISIBLE_IN_LIST, rows.nth(i).element_handle())
        )

    assert fully_visible() >= 4
    # Walk down the whole list by keyboard; the finish controls never leave the screen.
    for _ in range(15):
        laptop.keyboard.press("j")
    expect(rows.last).to_be_focused()
    laptop.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert fully_visible() >= 4
    for name in ("Approve article", "Return to analyst"):
        expect(laptop.get_by_role("button", name=name)).to_be_in_viewport(ratio=1)
    expect(laptop.get_by_label("Comment for the analyst")).to_be_in_viewport(ratio=1)


# True when the element lies wholly inside the window and inside every scrolling ancestor.
VISIBLE_IN_LIST = """(el) => {
  const r = el.getBoundingClientRect();
  if (r.top < 0 || r.bottom > window.innerHeight || r.height === 0) return false;
  for (let p = el.parentElement; p; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (/(auto|scroll|hidden)/.test(s.overflowY)) {
      const b = p.getBoundingClientRect();
      if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) return false;
    }
  }
  return true;
}"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_decisions_show_in_the_text_as_the_reviewer_decides(laptop, login_as, long_item, reviewer):
    item = long_item
    first, second, third = list(item.spans.order_by("start"))[:3]
    login_as(reviewer)
    laptop.goto(f"/review/items/{item.pk}/")

    def mark(span):
        return laptop.locator(f'#doc mark[data-spans="{span.pk}"]')

    expect(mark(first)).to_have_attribute("title", "Claim: undecided")
    laptop.keyboard.press("a")
    expect(mark(first)).to_have_attribute("title", "Claim: approved")
    expect(mark(first).locator(".tag")).to_have_attribute("data-tag", "Claim ✓")

    expect(laptop.locator(f"#span-{second.pk}")).to_be_focused()
    laptop.keyboard.press("r")
    laptop.keyboard.type("Hors sujet")
    laptop.keyboard.press("Enter")
    expect(mark(second)).to_have_attribute("title", "Claim: rejected")
    expect(mark(second)).to_have_css("text-decoration-line", "line-through")

    expect(laptop.locator(f"#span-{third.pk}")).to_be_focused()
    laptop.keyboard.press("2")  # Quote
    expect(mark(third)).to_have_attribute("title", "Quote: relabelled by the reviewer")
    expect(mark(third).locator(".tag")).to_have_attribute("data-tag", "Claim → Quote")
    expect(laptop.locator(f"#span-{third.pk}")).to_contain_text("relabelled by the reviewer")
