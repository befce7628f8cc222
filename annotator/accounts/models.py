from django.conf import settings
from django.db import models
from django.db.models import Q


class LanguagePreference(models.Model):
    """The interface language a user chose with the header's switch.

    Read once, at login, to set the language cookie (annotator.accounts.language): the pages
    themselves only read the cookie, so this costs no query per request.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference"
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="language_preference_known_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"
