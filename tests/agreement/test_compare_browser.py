"""In Chromium: a reviewer reads the agreement figures, opens the article the analysts agree
on least, and moves among its differences by keyboard."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_figures_lead_to_the_differences_by_keyboard(page, login_as, reviewer, two_analysts):
    login_as(reviewer)
    page.goto("/agreement/")
    expect(page.locator("#overall-exact")).to_have_text("0.67")
    expect(page.get_by_role("img", name="F1 (exact and overlap) and αu per label")).to_be_visible()
    page.locator("#article-table").get_by_role("link", name="« Séisme à Corvenne »").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("side by side")
    differing = page.locator("tr.differs")
    expect(differing).to_have_count(2)
    page.keyboard.press("j")
    expect(differing.nth(0)).to_be_focused()
    expect(differing.nth(0)).to_contain_text("other bounds")
    page.keyboard.press("j")
    expect(differing.nth(1)).to_be_focused()
    expect(differing.nth(1)).to_contain_text("other values")
    page.keyboard.press("j")  # stays on the last
    expect(differing.nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(differing.nth(0)).to_be_focused()
