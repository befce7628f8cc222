"""Personal API tokens: made, shown once, checked, revoked (annotator.api reads them).

A secret is "ann_" and 43 URL-safe characters (256 random bits). The database keeps only
its SHA-256, and its first 12 characters to name it in lists; a token that leaks from a
backup of the database gives nothing away.
"""

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotator.refusal import Refused

from .models import ApiToken
from .roles import Role, has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PREFIX = "ann_"
SHOWN = 12  # characters of the secret kept to name it
MAX_SECRET = 100  # longer is no secret of ours: refused before hashing


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create(
    user: "User", name: str, scope: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token of `user`, and its secret: the only time the secret exists in clear."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        expires_at=expires_at,
        prefix=secret[:SHOWN],
        digest=digest_of(secret),
    )
    return token, secret


def authenticate(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token of this secret (its user loaded), or None."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET:
        return None
    now = now or timezone.now()
    return (
        ApiToken.objects.usable(now).select_related("user").filter(digest=digest_of(secret)).first()
    )


# One statement per request: this minute's count, and the last use.
COUNT_SQL = """
UPDATE accounts_apitoken SET
    window_used = CASE WHEN window_start = %(minute)s THEN window_used + 1 ELSE 1 END,
    window_start = %(minute)s,
    last_used_at = %(now)s
WHERE id = %(id)s
RETURNING window_used
"""


def count_use(token: ApiToken, now: datetime | None = None) -> int:
    """Count a request of `token` in the current minute; how many it has made in it."""
    now = now or timezone.now()
    minute = now.replace(second=0, microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, {"minute": minute, "now": now, "id": token.pk})
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@transaction.atomic
def revoke(token_id: int, by: "User") -> ApiToken:
    """Its owner, or an admin, revokes a token; the row stays, with who and when."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or (token.user_id != by.pk and not has_role(by, Role.ADMIN)):
        raise Refused(_("That token does not exist, or is not yours to revoke."), status=404)
    if token.revoked_at is None:
        token.revoked_at, token.revoked_by = timezone.now(), by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token
