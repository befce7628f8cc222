"""Personas and the shared browser. Tests run against real PostgreSQL and real Chromium.

Data builders live in tests/factories.py; this file holds the fixtures.
"""

import os
import shutil
import socket
from contextlib import contextmanager

import pytest
from django.db import connections

from annotator.accounts.roles import Role
from annotator.annotations import spans
from annotator.annotations.models import Assignment
from annotator.integrity import broken_invariants
from tests.agreement.work import TEXT, at, first_sentence, tag
from tests.factories import PASSWORD, make_article, make_user, seeded_labels

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_configure(config):
    from django.conf import settings

    # Tests serve static files from the source folders (no collectstatic run), whatever
    # DEBUG says in .env, so that browser tests get the real CSS and JavaScript.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.STATIC_ROOT = None
    # Hashing passwords properly takes ~0.3 s a user; tests need a login, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def analyst(db):
    return make_user("ana", Role.ANALYST)


@pytest.fixture
def other_analyst(db):
    return make_user("alex", Role.ANALYST)


@pytest.fixture
def reviewer(db):
    return make_user("rita", Role.REVIEWER)


@pytest.fixture
def admin_user(db):
    return make_user("adam", Role.ADMIN)


@pytest.fixture
def outsider(db):
    """Logged in, but holds no role."""
    return make_user("olga")


# --- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: `apt-get install chromium` (.ci/run does).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # where a loop is running unless told this is fine (it is: the loop is not ours).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_locale():
    """The browser's language (its Accept-Language): English, so that tests read the English
    interface; tests of the French one override this fixture."""
    return "en-US"


@pytest.fixture
def page(browser, live_server, browser_locale):
    """A fresh browser context; the test fails if the page reports a CSP violation or an
    uncaught JavaScript error."""
    context = browser.new_context(base_url=live_server.url, locale=browser_locale)
    page = context.new_page()
    page.set_default_timeout(10_000)
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert violations == [], violations
    assert errors == [], errors


@pytest.fixture
def login_as(page, live_server):
    """Log `user` in through the login form, as a person would."""

    def login(user, password=PASSWORD):
        page.goto("/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        # Logged in once the login page is left (its own URL would match at once).
        page.wait_for_url(lambda url: url.startswith(live_server.url) and "/login/" not in url)
        return page

    return login


# --- Articles, labels and assignments ------------------------------------------------------


@pytest.fixture
def article(admin_user):
    return make_article(by=admin_user)


@pytest.fixture
def labels(db):
    """The four seeded labels by name (transactional tests restore them: see below)."""
    return seeded_labels()


@pytest.fixture
def assignment(article, analyst, labels):
    return Assignment.objects.create(article=article, analyst=analyst)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """ContentType ids are cached per process; a transactional test elsewhere on this
    worker may have flushed and recreated the table under new ids, and a LogEntry written
    with a stale id then breaks the foreign key (seen in the permission matrix)."""
    from django.contrib.contenttypes.models import ContentType

    from annotator.annotations.attributes import Schema

    ContentType.objects.clear_cache()
    # Pinned query counts start from a process that keeps no label's attributes.
    Schema.forget()


# --- Integrity invariants, checked after every test that touches the database ---------------


def check_invariants():
    broken = broken_invariants()
    assert not broken, "Integrity invariants broken: " + "; ".join(
        f"{rule} ({count} rows)" for rule, count in broken.items()
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield  # raises if the test itself failed: nothing more to check then
    uses_db = item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        item.fixturenames
    )
    if uses_db:
        check_invariants()
    return result


def pytest_collection_modifyitems(items):
    # A transactional test without serialized_rollback flushes the rows migrations made
    # (content types, groups, labels), and the next test that restores them then collides
    # with the recreated ones. All transactional tests must restore.
    offenders = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db"))
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if offenders:
        raise pytest.UsageError(
            "Use django_db(transaction=True, serialized_rollback=True): " + ", ".join(offenders)
        )


@pytest.fixture
def database_away():
    """`with database_away():` PostgreSQL stops answering this test's database, for real:
    every open connection to it (the live server's too) is cut, and new ones go to a port
    nobody listens on, until the block ends. The test itself must not query inside it."""
    connection = connections["default"]
    settings_dict = connection.settings_dict  # shared by every thread's connection

    @contextmanager
    def away():
        host, port = settings_dict.get("HOST"), settings_dict.get("PORT")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
        connection.close()
        try:
            yield
        finally:
            settings_dict.update(HOST=host, PORT=port)
            connection.close()

    return away


@pytest.fixture
def two_analysts(analyst, other_analyst, admin_user, labels):
    """ana and alex on the same article: the same whole sentence tagged Claim, a quote
    drawn with and without its guillemets, and the same casualty figure with another min."""
    article = make_article(TEXT, by=admin_user, title="Séisme à Corvenne")
    claim, quote, figure = labels["Claim"], labels["Quote"], labels["Casualty figure"]
    for analyst_, quoted, low in (
        (analyst, "une nuit d’angoisse", 12),
        (other_analyst, "« une nuit d’angoisse »", 10),
    ):
        work = Assignment.objects.create(article=article, analyst=analyst_)
        tag(work, claim, first_sentence(article))
        tag(work, quote, at(quoted))
        tag(work, figure, at("12 morts"), {"kind": "killed", "min": low})
        spans.submit(work.pk, analyst_)
    return article
