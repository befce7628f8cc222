"""In Chromium, the whole study on the demo: ana and alex annotate the same demo article by
keyboard and hand it in, the reviewer reads their agreement, adjudicates a gold version and
downloads it."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from annotator.annotations.models import Assignment
from annotator.articles.models import Sentence
from annotator.demo.users import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


PANEL_HAS_FOCUS = """() => {
  const panel = document.getElementById("attribute-panel");
  return Boolean(panel && !panel.hidden && panel.contains(document.activeElement));
}"""


def tag_sentences(page, presses):
    """In sentence mode, `j` moves to the next sentence and `1` tags it Claim; the values
    panel that opens is closed with Esc before the next keys."""
    expect(page.locator("#span-list")).to_be_visible()
    for tagged, moves in enumerate(presses, start=1):
        for _ in range(moves):
            page.keyboard.press("j")
        page.keyboard.press("1")
        expect(page.locator("#span-list .span-item")).to_have_count(tagged)
        page.wait_for_function(PANEL_HAS_FOCUS)
        page.keyboard.press("Escape")
        expect(page.locator("#attribute-panel")).to_be_hidden()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_demo_analysts_agree_on_one_sentence_and_it_becomes_gold(
    page, login_as, settings, labels
):
    settings.DEBUG = True
    call_command("setup_demo", stdout=io.StringIO())
    settings.DEBUG = False
    people = {u.username: u for u in get_user_model().objects.all()}
    work = {
        a.analyst.username: a
        for a in Assignment.objects.filter(article__title__startswith="Affrontements")
    }
    assert set(work) == {"ana", "alex"}
    article = work["ana"].article
    body = list(Sentence.objects.filter(article=article).order_by("index"))[1:]
    first = article.text[body[0].start : body[0].end]

    # ana tags the first two body sentences (j twice passes the headline), alex the first
    # and the third; each hands the article in with Shift+Enter.
    for name, presses in (("ana", [2, 1]), ("alex", [2, 2])):
        page.context.clear_cookies()
        login_as(people[name], DEMO_PASSWORD)
        page.goto(f"/annotate/{work[name].pk}/")
        tag_sentences(page, presses)
        page.keyboard.press("Shift+Enter")
        opened = f"/annotate/{work[name].pk}/"
        page.wait_for_url(lambda url, opened=opened: opened not in url)
        work[name].refresh_from_db()
        assert work[name].status == "submitted"

    # One sentence in common out of two each: exact F1 0.50, on a chart and in its table.
    page.context.clear_cookies()
    login_as(people["rita"], DEMO_PASSWORD)
    page.goto("/agreement/")
    expect(page.locator("#overall-exact")).to_have_text("0.50")
    expect(page.get_by_role("img", name="F1 (exact and overlap) and αu per label")).to_be_visible()
    expect(page.locator("#article-table")).to_contain_text("Affrontements")

    # rita adjudicates: A accepts what both drew alike; the other two are left out.
    page.goto("/agreement/gold/")
    page.get_by_role("button", name="Start adjudicating").click()
    page.wait_for_url("**/agreement/gold/*/")
    page.wait_for_load_state()  # the keys work once compare.js has run
    expect(page.get_by_role("heading", level=1)).to_contain_text("Affrontements")
    rows = page.locator("tr.compare-row")
    expect(rows).to_have_count(3)
    page.keyboard.press("A")
    expect(rows.nth(0).locator(".gold-cell")).to_contain_text(first[:30])
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finish the gold version").click()
    expect(page.locator("#gold-state")).to_contain_text("Finished by rita")

    page.goto("/exports/")
    page.get_by_label("Gold spans, of finished gold versions").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [(r["label"], r["text"], r["source"]) for r in exported] == [("Claim", first, "gold")]
