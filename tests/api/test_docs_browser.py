"""In Chromium: the API's interactive page renders from our own files under the app's CSP
(no CDN, no inline script), and lists the endpoints of the schema."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_page_renders_the_schema(page, live_server):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("annotator")
    expect(page.locator(".opblock-summary-path").filter(has_text="/api/v1/labels")).to_be_visible()
    assert refused == [] and outside == []
