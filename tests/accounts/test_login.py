import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


@pytest.mark.django_db
def test_login_then_home_shows_roles(client, analyst):
    response = client.post(
        reverse("login"), {"username": "ana", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert "Welcome, ana" in home.text
    assert 'class="badge">Analyst' in home.text


@pytest.mark.django_db
def test_wrong_password_does_not_say_whether_user_exists(client, analyst):
    known = client.post(reverse("login"), {"username": "ana", "password": "nope"})
    unknown = client.post(reverse("login"), {"username": "nobody", "password": "nope"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


@pytest.mark.django_db
def test_next_never_leaves_the_site(client, analyst):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "ana", "password": "correct-horse-battery", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_logout_is_post_only_and_ends_the_session(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_navigation_follows_roles(client, analyst, admin_user):
    """Role admins get the app's Administration pages; only superusers the Django admin."""
    client.force_login(analyst)
    page = client.get(reverse("home")).text
    assert reverse("annotations:manage") not in page
    assert reverse("admin:index") not in page
    client.force_login(admin_user)
    page = client.get(reverse("home")).text
    assert f'href="{reverse("annotations:manage")}">Administration<' in page
    assert reverse("admin:index") not in page
    root = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(root)
    page = client.get(reverse("home")).text
    assert reverse("annotations:manage") in page
    assert f'href="{reverse("admin:index")}">Django admin<' in page


def _main(response, username):
    """The page's <main>, without the typed username (echoed in its field) or the CSRF token."""
    main = response.text.split("<main")[1].split("</main>")[0].replace(username, "NAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", main)


@pytest.mark.django_db
@pytest.mark.parametrize("length", [256, 100_000])
def test_an_overlong_username_is_a_wrong_login_like_any_other(client, analyst, length):
    from axes.models import AccessAttempt

    wrong = client.post(reverse("login"), {"username": "ana", "password": "nope"})
    username = "a" * length
    response = client.post(reverse("login"), {"username": username, "password": "nope"})
    assert response.status_code == wrong.status_code == 200
    assert response.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    assert _main(response, username) == _main(wrong, "ana")
    # One failed attempt, as for a wrong password, of a key that fits the column and is
    # longer than any username could be.
    attempt = AccessAttempt.objects.exclude(username="ana").get()
    assert attempt.failures_since_start == 1
    assert 150 < len(attempt.username) <= 255
    assert attempt.username.startswith("a" * 150)


@pytest.mark.django_db
def test_the_django_admin_login_bounds_the_username_too(client):
    from axes.models import AccessAttempt

    response = client.post(reverse("admin:login"), {"username": "a" * 300, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text
    assert all(len(a.username) <= 255 for a in AccessAttempt.objects.all())
