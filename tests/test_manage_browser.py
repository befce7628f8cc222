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


def test_admin_adds_a_choice_attribute_with_two_choices_by_keyboard(
    page, login_as, admin_user, labels, live_server
):
    casualty = labels["Casualty figure"]
    login_as(admin_user)
    page.goto("/manage/labels/")
    page.locator(f"a[href='/manage/labels/{casualty.pk}/attributes/']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/manage/labels/{casualty.pk}/attributes/")
    page.locator(f"a[href='/manage/labels/{casualty.pk}/attributes/new/']").focus()
    page.keyboard.press("Enter")

    # The form from the keyboard: a key already taken is refused, the focus on it.
    page.locator("#id_key").focus()
    page.keyboard.type("kind")
    page.keyboard.press("Tab")  # the type: typing picks an option
    page.keyboard.type("Choice")
    page.keyboard.press("Tab")
    page.keyboard.type("Cause")
    page.keyboard.press("Tab")
    page.keyboard.type("Cause")
    page.keyboard.press("Enter")
    expect(page.locator("main [role=alert]")).to_contain_text("already has the key")
    expect(page.locator("#id_key")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("cause")
    page.keyboard.press("Enter")

    # Its page opens to add its choices.
    page.wait_for_url(f"{live_server.url}/manage/attributes/*/")
    expect(page.locator(".messages")).to_contain_text("Add its choices below.")
    cause = casualty.attributes.get(key="cause")
    assert (cause.type, cause.name_fr) == ("choice", "Cause")
    for key, name, name_fr in [("flood", "flood", "crue"), ("storm", "storm", "tempête")]:
        page.locator("#id_choice-key").focus()
        page.keyboard.type(key)
        page.keyboard.press("Tab")
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        page.keyboard.type(name_fr)
        page.keyboard.press("Enter")
        expect(page.locator(f"tr#choice-{key}")).to_be_visible()
    expect(page.locator(".message-success")).to_contain_text("storm")

    page.locator(f"main a[href='/manage/labels/{casualty.pk}/attributes/']").first.focus()
    page.keyboard.press("Enter")
    row = page.locator("tr#attribute-cause")
    expect(row).to_contain_text("Choice")
    expect(row.locator("ul.choices li")).to_have_text(["flood flood", "storm storm"])
    expect(page.locator(".history")).to_contain_text("Added choice “Cause › storm (storm)”.")
    assert list(cause.choices.values_list("key", "name_fr", "order")) == [
        ("flood", "crue", 0),
        ("storm", "tempête", 1),
    ]
