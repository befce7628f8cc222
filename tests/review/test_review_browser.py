"""End to end in Chromium: a reviewer decides by keyboard, and the analyst sees the outcome."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Span, SpanEvent
from annotator.review.models import ReviewEvent
from tests.factories import make_submission

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reviewer_decides_by_keyboard_and_approves(page, login_as, live_server, analyst, reviewer):
    item = make_submission(analyst, "Crue de la Lironde", ago=timedelta(hours=1))
    spans = list(item.spans.order_by("start"))

    login_as(reviewer)
    page.goto("/review/")
    expect(page.locator("#queue-length")).to_have_text("1")
    page.get_by_role("button", name="Start reviewing").click()
    page.wait_for_url(f"{live_server.url}/review/items/{item.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crue de la Lironde")

    rows = [page.locator(f"#span-{span.pk}") for span in spans]
    # The first undecided span has the focus: approve it and the next one by keyboard.
    expect(rows[0]).to_be_focused()
    page.keyboard.press("a")
    expect(rows[0].locator(".status")).to_have_text("Approved")
    expect(rows[1]).to_be_focused()
    page.keyboard.press("a")
    expect(rows[1].locator(".status")).to_have_text("Approved")
    expect(page.locator("#progress")).to_contain_text("2 of 3 spans decided")

    # Reject the third with a reason.
    expect(rows[2]).to_be_focused()
    page.keyboard.press("r")
    reason = page.get_by_label("Reason (optional)").locator("visible=true")
    expect(reason).to_be_focused()
    page.keyboard.type("Une promesse, pas un fait.")
    page.keyboard.press("Enter")
    expect(rows[2].locator(".status")).to_have_text("Rejected")
    expect(rows[2]).to_contain_text("Une promesse, pas un fait.")
    expect(page.locator("#progress")).to_contain_text("3 of 3 spans decided")
    # The history is in the row.
    rows[2].get_by_text(re.compile(r"History: 2 events")).click()
    expect(rows[2].locator(".timeline")).to_contain_text("rita · Rejected")

    page.get_by_role("button", name="Approve article").click()
    page.wait_for_url(f"{live_server.url}/review/queue/")
    expect(page.locator("#messages")).to_contain_text("Approved « Crue de la Lironde »")

    statuses = list(Span.objects.filter(assignment=item).order_by("start").values_list("status"))
    assert statuses == [("approved",), ("approved",), ("rejected",)]
    assert list(
        SpanEvent.objects.exclude(kind="created").order_by("id").values_list("kind", "reason")
    ) == [("approved", ""), ("approved", ""), ("rejected", "Une promesse, pas un fait.")]
    assert ReviewEvent.objects.get().kind == "approved"

    # The analyst sees the outcome on their work queue.
    page.context.clear_cookies()
    login_as(analyst)
    page.goto("/annotate/")
    row = page.locator("tr, li").filter(has_text="Crue de la Lironde")
    expect(row.first).to_contain_text("Approved")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_relabel_by_digit_and_refusal_message(page, login_as, live_server, analyst, reviewer):
    item = make_submission(analyst, "Crue de la Lironde")
    first = item.spans.order_by("start").first()

    login_as(reviewer)
    page.goto("/review/")
    page.get_by_role("button", name="Start reviewing").click()
    page.wait_for_url(f"{live_server.url}/review/items/{item.pk}/")
    row = page.locator(f"#span-{first.pk}")
    expect(row).to_be_focused()
    page.keyboard.press("4")  # Policy stance
    expect(row.locator(".badge")).to_have_text("Policy stance")
    mark = page.locator(f'#doc mark[data-spans="{first.pk}"]')
    expect(mark).to_have_attribute("title", "Policy stance: relabelled by the reviewer")
    expect(mark.locator(".tag")).to_have_attribute(
        "data-tag", f"{first.label.name} → Policy stance"
    )

    # Trying to approve the article with spans undecided says how many.
    page.get_by_role("button", name="Approve article").click()
    expect(page.locator("#messages")).to_contain_text("2 spans are still undecided")
    # Shift+A approves the rest, and clears the message.
    page.locator(f"#span-{first.pk}").focus()
    page.keyboard.press("Shift+A")
    expect(page.locator("#progress")).to_contain_text("3 of 3 spans decided")
    expect(page.locator("#messages")).to_be_empty()
    first.refresh_from_db()
    assert (first.label.name, first.status) == ("Policy stance", "approved")
