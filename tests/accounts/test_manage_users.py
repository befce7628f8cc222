"""The Users and roles pages: admins (the role, not Django staff) manage people in the app."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse

from annotator.accounts import people
from annotator.accounts.roles import Role
from annotator.refusal import Refused
from tests.factories import digest, give_role, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-long-enough-passphrase"


def roles(user):
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def new_user_data(**changes):
    data = {
        "username": "nadia",
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "nadia@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "roles": ["analyst", "reviewer"],
    }
    return {**data, **changes}


def test_admin_role_alone_opens_the_user_pages(client, admin_user, analyst):
    assert not admin_user.is_staff
    client.force_login(admin_user)
    page = client.get(reverse("users"))
    assert page.status_code == 200
    row = page.text[page.text.index(">ana<") :]
    assert "Analyst" in row[: row.index("</tr>")]


def test_other_roles_get_403_and_logged_out_go_to_login(client, analyst, reviewer):
    assert client.get(reverse("users"))["Location"].startswith(reverse("login"))
    for person in (analyst, reviewer):
        client.force_login(person)
        assert client.get(reverse("users")).status_code == 403
        response = client.post(reverse("user_create"), new_user_data())
        assert response.status_code == 403
    assert not User.objects.filter(username="nadia").exists()


def test_admin_creates_a_user_with_roles_and_it_is_in_the_history(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("user_create"), new_user_data(), follow=True)
    assert "Created nadia." in response.text
    nadia = User.objects.get(username="nadia")
    assert nadia.check_password(NEW_PASSWORD)
    assert (nadia.get_full_name(), nadia.email) == ("Nadia Benali", "nadia@example.org")
    assert roles(nadia) == {"analyst", "reviewer"}
    assert not nadia.is_staff
    entry = LogEntry.objects.get(object_id=str(nadia.pk))
    assert entry.user == admin_user and entry.is_addition()
    assert "Added role “analyst”." in entry.get_change_message()
    assert "nadia" in response.text[response.text.index("Recent changes") :]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"password1": "123", "password2": "123"}, "This password is too short."),
        ({"password2": "something-else-entirely"}, "The two password fields didn’t match."),
        ({"username": "ANA"}, "A user with that username already exists."),
        ({"username": ""}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"roles": ["editor"]}, "Select a valid choice."),
    ],
)
def test_bad_new_user_is_refused_in_the_form_and_nothing_is_saved(
    client, admin_user, analyst, changes, error
):
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("user_create"), new_user_data(**changes))
    assert response.status_code == 422
    assert error in response.text
    assert 'role="alert"' in response.text
    assert digest() == before
    assert not LogEntry.objects.exists()


def test_admin_changes_roles_and_details(client, admin_user, analyst):
    client.force_login(admin_user)
    response = client.post(
        reverse("user_edit", args=[analyst.pk]),
        {"first_name": "Ana", "last_name": "", "email": "", "roles": ["reviewer", "admin"]},
    )
    assert response.status_code == 302
    assert roles(analyst) == {"reviewer", "admin"}
    assert User.objects.get(pk=analyst.pk).first_name == "Ana"
    messages = [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(analyst.pk))]
    assert "Changed first name." in messages
    assert "Added role “admin”. Added role “reviewer”. Deleted role “analyst”." in messages


def test_other_groups_than_roles_are_kept(client, admin_user, analyst):
    give_role(analyst, "translators")  # a group that is not a role
    client.force_login(admin_user)
    client.post(reverse("user_edit", args=[analyst.pk]), {"roles": []})
    assert roles(analyst) == {"translators"}


def test_an_admin_cannot_remove_their_own_admin_role(client, admin_user):
    make_user("ines", Role.ADMIN)  # another admin: the refusal is about oneself
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("user_edit", args=[admin_user.pk]), {"roles": ["analyst"]})
    assert response.status_code == 409
    assert "You cannot remove your own admin role" in response.text
    assert digest() == before
    assert not LogEntry.objects.exists()


def test_the_last_active_admin_keeps_the_role(admin_user):
    """Two admins demoting each other at once: the second request, checked as an admin when
    it came in, finds it would leave nobody and is refused (people.update locks the role)."""
    ines = make_user("ines", Role.ADMIN)
    people.update(ines, [], [], by=admin_user)
    before = digest()
    with pytest.raises(Refused, match="adam is the last active admin"):
        people.update(admin_user, [], [Role.ANALYST], by=ines)
    with pytest.raises(Refused, match="adam is the last active admin"):
        people.set_active(admin_user, False, by=ines)
    assert digest() == before
    assert roles(admin_user) == {"admin"}


def test_a_superuser_counts_as_an_admin(admin_user):
    root = User.objects.create_superuser("root", password="x")
    people.update(admin_user, [], [], by=root)
    assert roles(admin_user) == set()


def test_an_admin_cannot_deactivate_themselves(client, admin_user):
    make_user("ines", Role.ADMIN)
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("user_active", args=[admin_user.pk]), {"active": "0"})
    assert response.status_code == 409
    assert "You cannot deactivate your own account." in response.text
    assert digest() == before
    assert not LogEntry.objects.exists()


def test_deactivate_and_reactivate_never_delete(client, admin_user, analyst):
    ana_client = type(client)()
    ana_client.force_login(analyst)
    client.force_login(admin_user)
    response = client.post(reverse("user_active", args=[analyst.pk]), {"active": "0"}, follow=True)
    assert "ana is deactivated" in response.text
    assert User.objects.filter(pk=analyst.pk, is_active=False).exists()
    # Their open session ends: the next page asks them to log in.
    assert ana_client.get(reverse("home"))["Location"].startswith(reverse("login"))
    client.post(reverse("user_active", args=[analyst.pk]), {"active": "0"})  # a double click
    assert LogEntry.objects.filter(object_id=str(analyst.pk)).count() == 1
    client.post(reverse("user_active", args=[analyst.pk]), {"active": "1"})
    assert User.objects.get(pk=analyst.pk).is_active
    history = client.get(reverse("users")).text
    assert "Deactivated." in history and "Reactivated." in history


def test_the_active_switch_needs_a_choice(client, admin_user, analyst):
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("user_active", args=[analyst.pk]), {})
    assert response.status_code == 422
    assert "Say whether to deactivate or reactivate." in response.text
    assert digest() == before


def test_only_a_superuser_changes_a_superuser(client, admin_user):
    root = User.objects.create_superuser("root", password="x")
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("user_active", args=[root.pk]), {"active": "0"})
    assert response.status_code == 403
    assert "root is a superuser" in response.text
    response = client.post(reverse("user_edit", args=[root.pk]), {"roles": ["analyst"]})
    assert response.status_code == 403
    assert digest() == before


def test_the_list_offers_no_deactivate_button_for_oneself(client, admin_user, analyst):
    client.force_login(admin_user)
    page = client.get(reverse("users")).text
    assert reverse("user_active", args=[analyst.pk]) in page
    assert reverse("user_active", args=[admin_user.pk]) not in page
