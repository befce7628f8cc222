"""In Chromium: the main pages in French for a French browser or after choosing Français,
in English otherwise; no JavaScript error and no CSP violation either way."""

import re

import pytest
from playwright.sync_api import expect

from annotator.accounts.roles import Role
from annotator.annotations.models import Assignment
from tests.factories import PASSWORD, make_article, make_submission, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NBSP = "\u00a0"
FRENCH_QUOTES = f'"«{NBSP}" "{NBSP}»"'


def quotes_of_article_text(page):
    """The quote marks Chromium puts around the first span text of a review page."""
    return page.locator("q[lang=fr]").first.evaluate("q => getComputedStyle(q).quotes")


@pytest.fixture
def sam(labels):
    """Holds every role, so that every main page is open to them."""
    return make_user("sam", Role.ANALYST, Role.REVIEWER, Role.ADMIN)


def main_pages(sam, analyst):
    article = make_article(by=sam, title="Crue de la Lironde")
    assignment = Assignment.objects.create(article=article, analyst=sam)
    waiting = make_submission(analyst, "Grève à Vasselot")
    return [
        ("/", {"fr": "Bienvenue, sam", "en": "Welcome, sam"}),
        ("/articles/", {"fr": "Déposer des articles", "en": "Upload articles"}),
        (article.get_absolute_url(), {"fr": "Modifier les informations", "en": "Edit details"}),
        (
            f"/annotate/{assignment.pk}/",
            {"fr": "Aucun passage pour l’instant.", "en": "No spans yet."},
        ),
        ("/articles/upload/", {"fr": "Déposer des articles", "en": "Upload articles"}),
        ("/review/", {"fr": "Tableau de bord de la relecture", "en": "Review dashboard"}),
        ("/review/queue/", {"fr": "File de relecture", "en": "Review queue"}),
        (f"/review/items/{waiting.pk}/", {"fr": "Passages de ana", "en": "Spans by ana"}),
        ("/exports/", {"fr": "Exporter les passages", "en": "Export spans"}),
    ]


def log_in(page, username, labels):
    page.goto("/login/")
    page.get_by_label(labels["username"]).fill(username)
    page.get_by_label(labels["password"]).fill(PASSWORD)
    page.get_by_role("button", name=labels["log_in"], exact=True).click()
    page.wait_for_url("**/")


FRENCH_LOGIN = {
    "username": "Nom d’utilisateur",
    "password": "Mot de passe",
    "log_in": "Se connecter",
}
ENGLISH_LOGIN = {"username": "Username", "password": "Password", "log_in": "Log in"}


def check_pages(page, pages, language):
    for url, known in pages:
        page.goto(url)
        expect(page.locator("html"), url).to_have_attribute("lang", language)
        expect(page.locator("main"), url).to_contain_text(known[language])


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_a_french_browser_gets_every_main_page_in_french(page, sam, analyst, browser_locale):
    pages = main_pages(sam, analyst)
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Se connecter")
    log_in(page, "sam", FRENCH_LOGIN)
    check_pages(page, pages, "fr")
    # Span texts are quoted « » with no-break spaces inside.
    page.goto(pages[-2][0])
    assert quotes_of_article_text(page).startswith(FRENCH_QUOTES)


def test_an_english_browser_gets_every_main_page_in_english(page, sam, analyst):
    pages = main_pages(sam, analyst)
    log_in(page, "sam", ENGLISH_LOGIN)
    check_pages(page, pages, "en")
    # The article text is French in an English interface too: « », not “ ”.
    page.goto(pages[-2][0])
    assert quotes_of_article_text(page).startswith(FRENCH_QUOTES)


def test_choosing_francais_on_the_login_page_then_english_again(page, sam):
    page.goto("/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/login/$"))
    log_in(page, "sam", FRENCH_LOGIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, sam")
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, sam")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_choice_follows_the_user_to_another_browser(browser, live_server, sam):
    first = browser.new_context(base_url=live_server.url, locale="en-US")
    page = first.new_page()
    log_in(page, "sam", ENGLISH_LOGIN)
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, sam")
    first.close()

    other = browser.new_context(base_url=live_server.url, locale="en-US")  # no cookie
    page = other.new_page()
    log_in(page, "sam", ENGLISH_LOGIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, sam")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    other.close()
