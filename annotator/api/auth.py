"""Who an API request is: its bearer token's user, with that user's roles.

Only a token opens the API: a session cookie is not read here (so no request can be forged
from a page the user has open, and the API needs no CSRF token), and a token opens no page
(Django's session middleware never reads the Authorization header).
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from annotator.accounts import tokens
from annotator.accounts.models import ApiToken


class Throttled(Exception):
    """More requests this minute than API_REQUESTS_PER_MINUTE allows a token."""

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.authenticate(token)
        if found is None:
            return None
        limit = settings.API_REQUESTS_PER_MINUTE
        now = timezone.now()
        if tokens.count_use(found, now) > limit > 0:
            raise Throttled(retry_after=60 - now.second)
        # The pages' role checks (accounts.roles) read request.user.
        request.user = found.user
        return found


def token_of(request: Any) -> ApiToken:
    found: ApiToken = request.auth
    return found
