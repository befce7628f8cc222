"""Every API endpoint × role × token scope: what each answers (a new endpoint missing
from the matrix fails the first test). Read endpoints answer any scope; a token never
gives more than its user's roles ("nobody" holds none)."""

import pytest
from django.test import Client
from django.urls import reverse

from annotator.accounts import tokens
from tests.factories import digest, make_article, make_user
from tests.urlwalk import api_url_names

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "nobody", "analyst", "reviewer", "admin"]
SCOPES = ["read", "write"]
TOKEN_HOLDERS = ROLES[1:]
READERS = ["analyst", "reviewer", "admin"]


def answers(anonymous, nobody, readers):
    return {"anonymous": anonymous, "nobody": nobody, **dict.fromkeys(READERS, readers)}


# name: (path arguments, status of a GET by role). The schema and its page are public:
# they describe the API and hold no data.
MATRIX = {
    "api:api-root": (None, answers(404, 404, 404)),  # nothing at /api/v1/ itself
    "api:openapi-json": (None, answers(200, 200, 200)),
    "api:openapi-view": (None, answers(200, 200, 200)),
    "api:me": (None, answers(401, 200, 200)),
    "api:labels": (None, answers(401, 200, 200)),
    # The article list's roles, as on its page. The upload has the same path (its GET is
    # the list); its POST is in WRITES.
    "api:article_list": (None, answers(401, 403, 200)),
    "api:article_upload": (None, answers(401, 403, 200)),
    "api:article_detail": ("article", answers(401, 403, 200)),
}


# The writes: (name, method) → status by scope and role, sent with an empty body. A read
# token writes nothing (403); with a write token, the roles of the page decide (the
# upload's: analysts and admins, whom the empty form then refuses: 422).
WRITES = {
    ("api:article_upload", "post"): {
        "read": {"anonymous": 401, "nobody": 403, "analyst": 403, "reviewer": 403, "admin": 403},
        "write": {"anonymous": 401, "nobody": 403, "analyst": 422, "reviewer": 403, "admin": 422},
    },
}


def test_every_api_url_is_in_the_matrix():
    assert set(api_url_names()) == set(MATRIX)
    schema = Client().get(reverse("api:openapi-json")).json()
    writes = {
        (path, method) for path, ops in schema["paths"].items() for method in ops if method != "get"
    }
    assert writes == {(reverse(name), method) for name, method in WRITES}


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method"), sorted(WRITES))
def test_api_write_matrix(name, method, role, scope, analyst, reviewer, admin_user):
    users = {"analyst": analyst, "reviewer": reviewer, "admin": admin_user}
    users["nobody"] = make_user("nadia")
    headers = {}
    if role != "anonymous":
        _token, secret = tokens.create(users[role], "matrix", scope)
        headers = {"Authorization": f"Bearer {secret}"}
    before = digest()
    answer = getattr(Client(), method)(reverse(name), headers=headers)
    assert answer.status_code == WRITES[name, method][scope][role], (name, role, scope)
    assert digest() == before  # refused: nothing written


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_api_matrix(name, role, scope, analyst, reviewer, admin_user, labels):
    users = {"analyst": analyst, "reviewer": reviewer, "admin": admin_user}
    users["nobody"] = make_user("nadia")
    article = make_article(by=admin_user)
    target, expected = MATRIX[name]
    kwargs = {"article_id": article.pk} if target == "article" else None
    headers = {}
    if role != "anonymous":
        _token, secret = tokens.create(users[role], "matrix", scope)
        headers = {"Authorization": f"Bearer {secret}"}
    before = digest()
    answer = Client().get(reverse(name, kwargs=kwargs), headers=headers)
    assert answer.status_code == expected[role], (name, role, scope)
    # Reading writes nothing (a token's last use aside, which digest leaves out).
    assert digest() == before
