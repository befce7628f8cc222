"""Who an API request is: its bearer token's user, with that user's roles.

Only a token opens the API: a session cookie is not read here (so no request can be forged
from a page the user has open, and the API needs no CSRF token), and a token opens no page
(Django's session middleware never reads the Authorization header).
"""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from annotator.accounts import tokens
from annotator.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.authenticate(token)
        if found is None:
            return None
        # The pages' role checks (accounts.roles) read request.user.
        request.user = found.user
        return found


def token_of(request: Any) -> ApiToken:
    found: ApiToken = request.auth
    return found
