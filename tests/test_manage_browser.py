"""In Chromium: an admin (the role, not Django staff) manages the app from its own pages.

Selectors are names and ids, and the checks are on data, so the walk holds in any language.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from annotator.annotations.models import Label, Workflow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSPHRASE = "a-long-enough-passphrase"


def submit(page):
    page.locator("main form.card button[type=submit]").click()


def test_admin_adds_a_label_gives_a_role_and_switches_self_assignment_off(
    page, login_as, admin_user, labels, live_server
):
    errors = []  # uncaught errors fail the page fixture; console errors are this test's
    # The refused form's 422 is logged as a failed load: an answer, not a script error.
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    assert not admin_user.is_staff
    login_as(admin_user)
    page.locator("header nav a[href='/manage/']").click()
    page.wait_for_url(f"{live_server.url}/manage/")

    # A label: a key already taken is refused in the form, then fixed from the keyboard.
    page.locator(".manage-nav a[href='/manage/labels/']").click()
    page.locator("a[href='/manage/labels/new/']").click()
    page.fill("#id_name", "Rumeur")
    page.fill("#id_description", "Une affirmation transmise sans source.")
    page.select_option("#id_color", "5")
    page.fill("#id_key", "1")
    page.press("#id_key", "Enter")
    expect(page.locator("main [role=alert]")).to_contain_text("Claim")
    assert not Label.objects.filter(name="Rumeur").exists()
    page.fill("#id_key", "5")
    page.press("#id_key", "Enter")
    page.wait_for_url(f"{live_server.url}/manage/labels/")
    row = page.locator("tr.label-row", has_text="Rumeur")
    expect(row.locator("kbd")).to_have_text("5")
    expect(row.locator(".badge.c-5")).to_be_visible()
    expect(page.locator(".history")).to_contain_text("Rumeur")

    # A new user, then a role for them.
    page.locator(".manage-nav a[href='/manage/users/']").click()
    page.locator("a[href='/manage/users/new/']").click()
    page.fill("#id_username", "nadia")
    page.fill("#id_password1", PASSPHRASE)
    page.fill("#id_password2", PASSPHRASE)
    submit(page)
    page.wait_for_url(f"{live_server.url}/manage/users/")
    page.locator("tr.user-row a", has_text="nadia").click()
    page.check("input[name=roles][value=reviewer]")
    submit(page)
    page.wait_for_url(f"{live_server.url}/manage/users/")
    expect(page.locator(".message-success")).to_contain_text("nadia")
    page.locator("tr.user-row a", has_text="nadia").click()
    expect(page.locator("input[name=roles][value=reviewer]")).to_be_checked()
    expect(page.locator("input[name=roles][value=analyst]")).not_to_be_checked()
    nadia = get_user_model().objects.get(username="nadia")
    assert list(nadia.groups.values_list("name", flat=True)) == ["reviewer"]

    # The workflow switch.
    page.locator(".manage-nav a[href='/manage/workflow/']").click()
    expect(page.locator("#id_self_assignment")).to_be_checked()
    page.uncheck("#id_self_assignment")
    submit(page)
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("#id_self_assignment")).not_to_be_checked()
    expect(page.locator(".history")).to_contain_text("adam")
    assert Workflow.current().self_assignment is False
    assert errors == []
