import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_security_headers_on_every_page(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # Every script tag carries this response's nonce; no inline handlers anywhere.
    nonce = csp.split("'nonce-")[1].split("'")[0]
    for tag in response.text.split("<script")[1:]:
        src_or_nonce = tag.split(">")[0]
        assert "src=" in src_or_nonce
    assert f'nonce="{nonce}"' in response.text
    assert " onclick=" not in response.text and "hx-on" not in response.text
    assert " style=" not in response.text


def test_login_rotates_the_session_and_logout_ends_it(analyst):
    client = Client()
    client.get(reverse("login"))
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    client.post(reverse("login"), {"username": "ana", "password": "correct-horse-battery"})
    session_key = client.cookies["sessionid"].value
    assert session_key != "attacker-chosen-session-key"
    client.post(reverse("logout"))
    stolen = Client()
    stolen.cookies["sessionid"] = session_key
    assert stolen.get(reverse("home")).status_code == 302


def test_password_change_ends_other_sessions(analyst):
    other_device = Client()
    other_device.force_login(analyst)
    assert other_device.get(reverse("home")).status_code == 200
    user = get_user_model().objects.get(pk=analyst.pk)
    user.set_password("a-brand-new-passphrase")
    user.save()
    assert other_device.get(reverse("home")).status_code == 302


def test_failed_logins_are_throttled_alike_for_known_and_unknown_users(settings):
    from tests.factories import make_user

    make_user("ana")
    settings.AXES_FAILURE_LIMIT = 3
    responses = {}
    for username in ("ana", "nobody"):
        client = Client()
        for _ in range(3):
            client.post(reverse("login"), {"username": username, "password": "wrong"})
        responses[username] = client.post(
            reverse("login"), {"username": username, "password": "correct-horse-battery"}
        )
    assert responses["ana"].status_code == responses["nobody"].status_code == 429
    main = {name: r.text.split("<main")[1].split("</main>")[0] for name, r in responses.items()}
    assert main["ana"] == main["nobody"]  # the page says nothing about who exists
    assert "Too many failed logins" in responses["ana"].text


def test_production_cookies_are_secure_and_hsts_is_on():
    import subprocess
    import sys

    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY)"
    )
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "a.example",
        "PATH": "/usr/bin",
        "DJANGO_SETTINGS_MODULE": "annotator.settings",
        "DATABASE_URL": settings.DATABASE_URL,
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stdout.split() == ["True", "True", "True", "True", "True"]
