"""In Chromium: a reviewer corrects a span's value with the keyboard, then approves it."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from annotator.annotations.models import Span, SpanEvent
from tests.factories import make_submission

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reviewer_corrects_a_value_and_approves(page, login_as, live_server, analyst, reviewer):
    item = make_submission(analyst, "Pont de Brévaine", ago=timedelta(hours=1))
    figure = Span.objects.get(assignment=item, label__name="Casualty figure")
    login_as(reviewer)
    page.goto("/review/")
    page.get_by_role("button", name="Start reviewing").click()
    page.wait_for_url(f"{live_server.url}/review/items/{item.pk}/")

    row = page.locator(f"#span-{figure.pk}")
    expect(row.locator(".values")).to_have_text("displaced")
    row.focus()
    page.keyboard.press("v")
    panel = page.locator("#attribute-panel")
    kind = panel.locator('input[name="value-kind"]')
    expect(kind.nth(3)).to_be_focused()  # the stored answer: displaced
    page.keyboard.press("1")  # killed
    expect(kind.first).to_be_checked()
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(row.locator(".values")).to_have_text("killed")
    expect(row).to_be_focused()

    page.keyboard.press("a")
    expect(row.locator(".status")).to_have_text("Approved")
    figure.refresh_from_db()
    assert figure.attributes == {"kind": "killed"}
    assert figure.status == Span.Status.APPROVED
    changed = SpanEvent.objects.get(span=figure, kind=SpanEvent.Kind.ATTRIBUTES)
    assert changed.actor == reviewer and changed.attributes_after == {"kind": "killed"}
