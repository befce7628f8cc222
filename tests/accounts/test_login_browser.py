import pytest
from django.conf import settings

from annotator.demo.users import DEMO_PASSWORD, ensure_demo_users

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_analyst_logs_in_and_sees_home(page, live_server):
    ensure_demo_users()
    page.goto("/")
    assert page.url.startswith(f"{live_server.url}{settings.LOGIN_URL}") or "/login/" in page.url
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "Welcome, ana"
    assert page.get_by_role("navigation", name="Main").is_visible()
    # No horizontal scrolling on a 13-inch laptop.
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
