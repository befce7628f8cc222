"""In Chromium: a reviewer reads the agreement figures, opens the article the analysts agree
on least, and moves among its differences by keyboard."""

import csv
import io
from pathlib import Path

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
    page.wait_for_load_state()  # the keys work once compare.js has run
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_curator_adjudicates_by_keyboard_and_finishes(page, login_as, reviewer, two_analysts):
    from annotator.agreement.models import Curation, GoldSpan

    login_as(reviewer)
    page.goto("/agreement/gold/")
    page.get_by_role("button", name="Start adjudicating").click()
    page.wait_for_url("**/agreement/gold/*/")
    page.wait_for_load_state()  # the keys work once compare.js has run
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gold version of")
    rows = page.locator("tr.compare-row")
    expect(rows).to_have_count(3)
    # A: every span both analysts drew alike (the whole sentence); the page comes back.
    page.keyboard.press("A")
    expect(rows.nth(0).locator(".gold-cell")).to_contain_text("La mairie")
    # The casualty figure (third row): accept the first analyst's version with 1.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(2)).to_be_focused()
    page.keyboard.press("1")
    expect(rows.nth(2).locator(".gold-cell")).to_contain_text("12 morts")
    expect(rows.nth(2)).to_be_focused()  # back on the row it acted on
    # v opens its values in the attribute panel: another min, saved with Enter.
    page.keyboard.press("v")
    panel = page.locator("#attribute-panel")
    expect(panel).to_contain_text("Values: Casualty figure")
    panel.get_by_role("textbox", name="Min").fill("10")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Values saved in the gold version")
    expect(rows.nth(2)).to_be_focused()
    expect(rows.nth(2).locator(".gold-cell .values")).to_contain_text("10")
    # The quote (second row): no majority between two versions, said in the page; reject it.
    page.keyboard.press("k")
    page.keyboard.press("m")
    expect(page.locator("#messages")).to_contain_text("No version of this span has a majority")
    page.keyboard.press("x")
    expect(rows.nth(1).locator(".gold-cell")).to_contain_text("rejected")
    # e opens the row's gold span for editing, on its label.
    page.keyboard.press("j")
    page.keyboard.press("e")
    expect(rows.nth(2).locator("details.edit-gold select")).to_be_focused()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish the gold version").click()
    expect(page.locator("#gold-state")).to_contain_text("Finished by rita")
    assert Curation.objects.get(article=two_analysts).status == "finished"
    assert GoldSpan.objects.live().count() == 2
    assert GoldSpan.objects.live().get(text="12 morts").attributes == {"kind": "killed", "min": 10}
    # The gold version downloads from the export page.
    page.goto("/exports/")
    page.get_by_label("Gold spans, of finished gold versions").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(r["text"], r["source"]) for r in rows] == [
        ("La mairie a ouvert trois gymnases pour les sinistrés.", "gold"),
        ("12 morts", "gold"),
    ]
