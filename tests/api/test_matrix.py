"""Every API endpoint × role × token scope: what each answers (a new endpoint missing
from the matrix fails the first test). Read endpoints answer any token; a token never
gives more than its user's roles."""

import pytest
from django.test import Client
from django.urls import reverse

from annotator.accounts import tokens
from tests.factories import digest
from tests.urlwalk import api_url_names

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "analyst", "reviewer", "admin"]
SCOPES = ["read", "write"]
# name: status of a GET, by role (the same whatever the scope, for these read endpoints).
# The schema and its page are public: they describe the API, they hold no data.
MATRIX = {
    "api:api-root": dict.fromkeys(ROLES, 404),  # nothing at /api/v1/ itself
    "api:openapi-json": dict.fromkeys(ROLES, 200),
    "api:openapi-view": dict.fromkeys(ROLES, 200),
    "api:me": {"anonymous": 401, **dict.fromkeys(ROLES[1:], 200)},
    "api:labels": {"anonymous": 401, **dict.fromkeys(ROLES[1:], 200)},
}


def test_every_api_url_is_in_the_matrix():
    assert set(api_url_names()) == set(MATRIX)


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_api_matrix(name, role, scope, analyst, reviewer, admin_user, labels):
    users = {"analyst": analyst, "reviewer": reviewer, "admin": admin_user}
    headers = {}
    if role != "anonymous":
        _token, secret = tokens.create(users[role], "matrix", scope)
        headers = {"Authorization": f"Bearer {secret}"}
    before = digest()
    answer = Client().get(reverse(name), headers=headers)
    assert answer.status_code == MATRIX[name][role], (name, role, scope)
    # Reading writes nothing (last_used_at aside, which digest leaves out).
    assert digest() == before
