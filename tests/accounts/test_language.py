"""The interface language: Accept-Language, the header's switch, and the choice kept per user."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from annotator.accounts.models import LanguagePreference
from tests.factories import PASSWORD
from tests.test_settings import PRODUCTION, run_manage

FRENCH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}


def html_lang(response):
    return response.text.split("<html lang=", 1)[1].split(">", 1)[0].strip('"')


@pytest.mark.django_db
def test_a_french_browser_gets_the_french_login_page(client):
    response = client.get(reverse("login"), **FRENCH_BROWSER)
    assert html_lang(response) == "fr"
    assert "Se connecter" in response.text
    assert "Nom d’utilisateur" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["", "de-DE,de;q=0.9", "en-GB,en;q=0.9,fr;q=0.5"])
def test_any_other_browser_gets_english(client, accept):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept)
    assert html_lang(response) == "en"
    assert ">Log in</h1>" in response.text


@pytest.mark.django_db
def test_the_switch_is_on_the_login_page_each_language_named_in_itself(client):
    text = client.get(reverse("login"), **FRENCH_BROWSER).text
    assert f'action="{reverse("set_language")}"' in text
    assert 'value="en" lang="en">English</button>' in text
    assert 'value="fr" lang="fr" aria-current="true">Français</button>' in text


@pytest.mark.django_db
def test_switching_while_logged_out_sets_the_cookie_and_goes_back(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert html_lang(client.get(reverse("login"))) == "fr"
    assert not LanguagePreference.objects.exists()


@pytest.mark.django_db
def test_the_switch_never_sends_you_off_the_site(client):
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_an_unknown_language_is_refused_and_changes_nothing(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 422
    assert "Choose English or French." in response.text
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert not LanguagePreference.objects.exists()


@pytest.mark.django_db
def test_the_choice_follows_the_user_to_a_fresh_browser(client, analyst):
    client.force_login(analyst)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert LanguagePreference.objects.get(user=analyst).language == "fr"

    fresh = Client()  # another browser: no cookie, an English Accept-Language
    response = fresh.post(
        reverse("login"),
        {"username": "ana", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    assert response.status_code == 302
    assert fresh.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    home = fresh.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert html_lang(home) == "fr"
    assert "Bienvenue, ana" in home.text


@pytest.mark.django_db
def test_switching_back_is_remembered_too(client, analyst):
    client.force_login(analyst)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert LanguagePreference.objects.get(user=analyst).language == "en"


@pytest.mark.django_db
def test_without_a_stored_choice_login_leaves_the_browser_language(client, analyst):
    response = client.post(
        reverse("login"), {"username": "ana", "password": PASSWORD}, **FRENCH_BROWSER
    )
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert html_lang(client.get(reverse("home"), **FRENCH_BROWSER)) == "fr"


@pytest.mark.django_db
def test_the_database_refuses_an_unknown_language(analyst):
    with pytest.raises(IntegrityError), transaction.atomic():
        LanguagePreference.objects.create(user=analyst, language="de")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/no-such-page/", "/articles/999999/"])
def test_error_pages_are_in_the_chosen_language(client, analyst, url):
    client.force_login(analyst)
    response = client.get(url, **FRENCH_BROWSER)
    assert response.status_code == 404
    assert html_lang(response) == "fr"
    assert "Introuvable" in response.text


@pytest.mark.django_db
def test_the_logged_out_page_is_in_the_chosen_language(client, analyst):
    client.force_login(analyst)
    response = client.post(reverse("logout"), follow=True, **FRENCH_BROWSER)
    assert html_lang(response) == "fr"
    assert "Se connecter" in response.text


@pytest.mark.django_db
def test_a_form_error_from_django_itself_is_in_french(client, analyst):
    response = client.post(
        reverse("login"), {"username": "ana", "password": "wrong"}, **FRENCH_BROWSER
    )
    assert "Saisissez un nom d’utilisateur et un mot de passe valides." in response.text


@pytest.mark.django_db
def test_a_forbidden_page_is_in_the_chosen_language(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("review:dashboard"), **FRENCH_BROWSER)
    assert response.status_code == 403
    assert html_lang(response) == "fr"
    assert "Votre rôle ne donne pas accès à cette page." in response.text


@pytest.mark.django_db
def test_an_expired_page_is_in_the_chosen_language(analyst):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(analyst)
    response = browser.post(reverse("logout"), **FRENCH_BROWSER)
    assert response.status_code == 403
    assert html_lang(response) == "fr"
    assert "La page avait expiré" in response.text


def test_the_server_error_page_is_in_the_chosen_language(rf):
    with translation.override("fr"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert html_lang(response) == "fr"
    assert "Erreur du serveur" in response.text


def test_the_language_cookie_is_secure_in_production():
    result = run_manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY)",
        **PRODUCTION,
    )
    assert result.stdout.split() == ["True", "True"], result.stderr
