"""Settings for annotator, one module driven by environment variables.

Variables (all optional in development, see README "Configuration"):
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS.
A `.env` file at the project root (written by `make run`'s database step) is read first;
real environment variables win over it.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from annotator.dotenv import read_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent


_dotenv = read_dotenv(BASE_DIR / ".env")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, _dotenv.get(name, default))


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (a long random string) when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-not-for-production-use"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "annotator.accounts",
    "annotator.articles",
    "annotator.annotations",
    "annotator.review",
    "annotator.agreement",
    "annotator.exports",
    "annotator.demo",
    "annotator.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its Swagger UI's static files, for /api/v1/docs/
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "annotator.articles.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the django_language cookie (set by the switch and at login), else the
    # browser's Accept-Language, else LANGUAGE_CODE. After sessions, before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After locale, CSP and htmx, so that its refusal is a translated page like any other.
    "annotator.refusal.UnstorableCharacterMiddleware",
    "annotator.refusal.RefusalMiddleware",
    # Last, so that a locked-out login is refused before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "annotator.urls"
WSGI_APPLICATION = "annotator.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "annotator.accounts.context_processors.roles",
                "annotator.accounts.context_processors.client",
            ],
            "builtins": [
                "django.templatetags.i18n",
                # |intcomma: displayed counts grouped as the language writes them (1,200 / 1 200).
                "django.contrib.humanize.templatetags.humanize",
            ],
        },
    }
]

# An action the server could not take because the database did not answer (503), or that
# never reached the server, is sent again by the page after these delays in seconds (about
# 30 s in all: a PostgreSQL restart or failover), with the same action id.
ACTION_RETRY_DELAYS = [0.5, 1, 2, 4, 8, 8, 8]

# PostgreSQL only: full-text search, COPY, SKIP LOCKED and constraints rely on it.
DATABASE_URL = env("DATABASE_URL", "postgresql:///annotator")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgresql://...).")
# A request may not hold PostgreSQL for ever: a statement that waits longer than 5 s for a
# row lock, or runs longer than DATABASE_STATEMENT_TIMEOUT seconds, is cancelled, and a
# session left idle inside a transaction is closed after DATABASE_IDLE_TIMEOUT seconds; the
# request then answers 503 (annotator.refusal) and the page sends the action again. 0 turns
# a limit off. manage.py runs without a statement limit (migrations, imports and
# export_spans may run long), and web exports raise theirs to DATABASE_EXPORT_TIMEOUT
# (annotator.exports.selection.export_cursor).
DATABASE_STATEMENT_TIMEOUT = int(env("DATABASE_STATEMENT_TIMEOUT", "30"))
DATABASE_IDLE_TIMEOUT = int(env("DATABASE_IDLE_TIMEOUT", "60"))
DATABASE_EXPORT_TIMEOUT = int(env("DATABASE_EXPORT_TIMEOUT", "1800"))
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c lock_timeout=5000 -c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s"
    f" -c idle_in_transaction_session_timeout={DATABASE_IDLE_TIMEOUT}s"
)
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "test_annotator")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "annotator.accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttle guessing per username+address; the message never says whether the user exists.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# ...and per address, whatever the usernames tried (annotator.accounts.throttle).
AXES_HANDLER = "annotator.accounts.throttle.LoginThrottle"
LOGIN_ADDRESS_FAILURE_LIMIT = int(env("LOGIN_ADDRESS_FAILURE_LIMIT", "30"))
# API calls a token may make per minute (0: no limit); counted in PostgreSQL, on every node.
API_REQUESTS_PER_MINUTE = int(env("API_REQUESTS_PER_MINUTE", "600"))
# Reverse proxies in front of the app that append to X-Forwarded-For (0: none, REMOTE_ADDR is
# the client's address).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "annotator.accounts.throttle.client_address"

# English for a browser that asks for neither language: the fallback everyone can read.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Integers print without grouping, so ids, offsets and data-* attributes stay machine-readable;
# displayed counts group digits explicitly with |intcomma (1,200 / 1 200).
USE_THOUSAND_SEPARATOR = False
# A year: the choice is also stored on the user and set again at each login.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
TIME_ZONE = env("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Files served at the site's root (/favicon.ico, which browsers ask for unprompted).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers. Scripts only from our origin or with the per-request nonce; no inline
# styles either, so label colours come from classes in the stylesheet.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "annotator.refusal.csrf_failure"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Upload limits (bytes unless named otherwise), shown on the upload form. A request over
# UPLOAD_MAX_REQUEST_BYTES is refused before its body is read.
UPLOAD_MAX_FILE_BYTES = int(env("UPLOAD_MAX_FILE_BYTES", str(10 * 1024 * 1024)))
UPLOAD_MAX_REQUEST_BYTES = int(env("UPLOAD_MAX_REQUEST_BYTES", str(50 * 1024 * 1024)))
UPLOAD_MAX_ARCHIVE_MEMBERS = int(env("UPLOAD_MAX_ARCHIVE_MEMBERS", "1000"))
UPLOAD_MAX_UNCOMPRESSED_BYTES = int(env("UPLOAD_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FILES = 200

# Review: a claimed item returns to the queue when its lease runs out.
REVIEW_LEASE_MINUTES = int(env("REVIEW_LEASE_MINUTES", "30"))

# Roles that may export spans (the page, the download and the log).
EXPORT_ROLES = env_list("EXPORT_ROLES", "admin,reviewer")
# Roles that may see the agreement figures and compare the analysts' spans of an article
# (add "analyst" to let analysts see each other's work there).
AGREEMENT_ROLES = env_list("AGREEMENT_ROLES", "admin,reviewer")
# Roles that may adjudicate: build an article's gold version from its analysts' spans.
CURATOR_ROLES = env_list("CURATOR_ROLES", "reviewer")
