"""The annotation and review pages through a database outage, in headless Chromium: an
action the server answers 503 is sent again with the same action id while the page says
it is reconnecting, and lands once when PostgreSQL answers again; if it never does, the
page says so."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Assignment, Span, SpanEvent
from tests.factories import make_article, make_submission

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = "Crue à Vasselot\n\nLe fleuve a débordé mardi soir. Les secours sont sur place."


@pytest.fixture
def opened(page, login_as, analyst, admin_user, labels):
    article = make_article(TEXT, by=admin_user, title="Crue à Vasselot")
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    login_as(analyst)
    page.goto(f"/annotate/{assignment.pk}/")
    page.keyboard.press("j")  # focus the first sentence
    return assignment


def test_an_action_during_an_outage_is_sent_again_and_lands_once(
    page, opened, database_away, settings
):
    settings.ACTION_RETRY_DELAYS = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
    page.reload()  # the page reads the delays when rendered
    page.keyboard.press("j")
    with database_away():
        page.keyboard.press("1")  # tag the focused sentence as a claim
        expect(page.locator("#messages")).to_contain_text("Reconnecting")
    expect(page.locator("#span-items .span-item")).to_have_count(1)
    expect(page.locator("#messages")).not_to_contain_text("Reconnecting")
    assert Span.objects.count() == 1
    assert SpanEvent.objects.filter(kind=SpanEvent.Kind.CREATED).count() == 1


def test_an_outage_longer_than_the_retries_says_the_action_was_not_saved(
    page, opened, database_away, settings
):
    settings.ACTION_RETRY_DELAYS = [0.2, 0.2]
    page.reload()
    page.keyboard.press("j")
    with database_away():
        page.keyboard.press("1")
        expect(page.locator("#messages .message-error")).to_contain_text("error 503")
    assert Span.objects.count() == 0


def test_a_review_decision_during_an_outage_is_sent_again_and_lands_once(
    page, login_as, live_server, analyst, reviewer, labels, database_away, settings
):
    settings.ACTION_RETRY_DELAYS = [0.5] * 8
    item = make_submission(analyst, "Crue de la Lironde", ago=timedelta(hours=1))
    first = item.spans.order_by("start").first()
    login_as(reviewer)
    page.goto("/review/")
    page.get_by_role("button", name="Start reviewing").click()
    page.wait_for_url(f"{live_server.url}/review/items/{item.pk}/")
    row = page.locator(f"#span-{first.pk}")
    expect(row).to_be_focused()
    with database_away():
        page.keyboard.press("a")
        expect(page.locator("#messages")).to_contain_text("Reconnecting")
    expect(row.locator(".status")).to_have_text("Approved")
    assert SpanEvent.objects.filter(span=first, kind=SpanEvent.Kind.APPROVED).count() == 1
