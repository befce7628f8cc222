"""The interface language: chosen in the header, remembered on the user, carried by a cookie.

LocaleMiddleware reads the cookie on every request (no query); the stored choice is read only
when the user logs in, so that it follows them to another browser.
"""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpResponse

from .models import LanguagePreference


def stored_language(user: AbstractBaseUser) -> str | None:
    """The language this user last chose, or None if they never used the switch."""
    return (
        LanguagePreference.objects.filter(user_id=user.pk)
        .values_list("language", flat=True)
        .first()
    )


def store_language(user: AbstractBaseUser, language: str) -> None:
    LanguagePreference.objects.update_or_create(user_id=user.pk, defaults={"language": language})


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",  # sent on the links that bring someone to the site, like the session
    )
