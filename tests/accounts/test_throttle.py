"""The login lock per address (annotator.accounts.throttle), beside axes' per-username one."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _main(response):
    return response.text.split("<main")[1].split("</main>")[0]


def test_many_usernames_from_one_address_are_refused_after_the_limit(settings, analyst):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    statuses = [
        attacker.post(reverse("login"), {"username": f"user{n}", "password": "guess"}).status_code
        for n in range(25)
    ]
    # Each username failed once, far below AXES_FAILURE_LIMIT; the address as a whole is
    # locked at its 20th failure, as axes locks a username at its limit-th.
    assert statuses == [200] * 19 + [429] * 6
    # The same page whether the user exists or not, even with the right password.
    known = attacker.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    unknown = attacker.post(reverse("login"), {"username": "nobody", "password": PASSWORD})
    assert known.status_code == unknown.status_code == 429
    assert _main(known) == _main(unknown)
    assert "Too many failed logins" in known.text
    assert "_auth_user_id" not in attacker.session
    # Another address is not concerned.
    elsewhere = Client(REMOTE_ADDR="198.51.100.2")
    response = elsewhere.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302


def test_failures_below_the_address_limit_lock_nobody(settings, analyst):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    office = Client(REMOTE_ADDR="203.0.113.8")
    for n in range(19):
        office.post(reverse("login"), {"username": f"user{n}", "password": "typo"})
    response = office.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302


def test_other_pages_never_ask_the_throttle(client):
    user = make_user("ana")
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries if "axes_" in q["sql"]]


def _through_proxy(forwarded_for):
    # Every request reaches the app from the proxy; the proxy appends the client's address.
    return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)


def test_behind_a_proxy_the_lock_is_on_the_clients_address(settings, analyst):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 1
    # The attacker writes a different X-Forwarded-For each time; the proxy's entry is last.
    statuses = [
        _through_proxy(f"192.0.2.{n}, 203.0.113.7")
        .post(reverse("login"), {"username": f"user{n}", "password": "guess"})
        .status_code
        for n in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2
    colleague = _through_proxy("198.51.100.2")
    response = colleague.post(reverse("login"), {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    statuses = [
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        .post(reverse("login"), {"username": f"user{n}", "password": "guess"})
        .status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]


def test_a_forwarded_address_that_is_not_one_falls_back_to_the_proxys(settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    response = _through_proxy("not-an-address").post(
        reverse("login"), {"username": "nobody", "password": "guess"}
    )
    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"
