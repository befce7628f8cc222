from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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


class ApiTokenScope(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("read and write")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: datetime) -> "ApiTokenQuerySet":
        """Neither revoked nor past its expiry, of an active user."""
        return self.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            revoked_at__isnull=True,
            user__is_active=True,
        )


class ApiToken(models.Model):
    """A personal token for the API (/api/v1/): acts as its user, with their roles.

    Only a SHA-256 of the secret is stored: the secret is shown once, when it is made. A
    secret has 256 random bits, so a fast hash is enough (no salt or stretching needed, as
    for a password a person chose); its first characters, the prefix, name it in lists.
    """

    Scope = ApiTokenScope

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Requests in the current minute (API_REQUESTS_PER_MINUTE): in the database, so that
    # every web node counts the same requests.
    window_start = models.DateTimeField(null=True, blank=True)
    window_used = models.PositiveIntegerField(default=0)
    # Revoked tokens stay, with who revoked them: nothing is deleted without a trace.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=ApiTokenScope.values), name="apitoken_scope_valid"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="apitoken_revoked_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="apitoken_digest_hex"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def can_write(self) -> bool:
        return self.scope == ApiTokenScope.WRITE
