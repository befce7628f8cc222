"""In Chromium: every refusal and every validation error shows in the page, htmx or not."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.factories import make_article, make_submission

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_refused_filter_on_the_article_list_says_why(page, login_as, analyst, admin_user):
    make_article(by=admin_user)
    login_as(analyst)
    page.goto("/articles/")
    # Each change re-filters through htmx; the second leaves an impossible range.
    page.fill("input[name=published_from]", "2026-05-01")
    with page.expect_response(lambda r: "published_to=2026-01-01" in r.url) as answer:
        page.fill("input[name=published_to]", "2026-01-01")
    assert answer.value.status == 400
    expect(page.locator("#results [role=alert]")).to_contain_text(
        "The start date is after the end date."
    )
    expect(page.locator("#results")).to_contain_text("0 articles")


def test_a_refused_filter_on_the_review_queue_says_why(page, login_as, analyst, reviewer):
    make_submission(analyst, "Crue de la Lironde", ago=timedelta(hours=1))
    login_as(reviewer)
    page.goto("/review/queue/")
    # A choice that no longer exists, as on a page left open while that analyst was removed.
    page.evaluate(
        """() => {
          const select = document.querySelector("select[name=analyst]");
          select.add(new Option("gone", "gone"));
        }"""
    )
    with page.expect_response(lambda r: "analyst=gone" in r.url) as answer:
        page.select_option("select[name=analyst]", "gone")
    assert answer.value.status == 400
    expect(page.locator("#results [role=alert]")).to_contain_text(
        "There is no analyst with that name."
    )


def test_a_page_the_role_does_not_allow_is_refused_in_the_message_region(
    page, login_as, analyst, admin_user
):
    """A 403 under htmx (an admin action from an analyst's stale page) says so in place."""
    article = make_article(by=admin_user)
    login_as(analyst)
    page.goto("/articles/")
    page.evaluate(
        """(article) => {
          const form = document.createElement("form");
          form.setAttribute("hx-post", "/annotate/assign/");
          form.innerHTML = `<input name="articles" value="${article}">`;
          document.querySelector("main").append(form);
          htmx.process(form);
          htmx.trigger(form, "submit");
        }""",
        article.pk,
    )
    expect(page.locator("#messages .message-error")).to_contain_text(
        "Your role does not allow this page."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles")
