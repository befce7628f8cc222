"""Every URL needs a login; the login page and its language switch are the exceptions."""

import pytest
from django.urls import reverse

from tests.urlwalk import our_url_names, sample_url

# The language switch too: the login page offers it (it changes a cookie, nothing else,
# for a visitor without a session).
PUBLIC = {"login": {200, 302}, "set_language": {405, 422}}


@pytest.mark.django_db
@pytest.mark.parametrize("name", our_url_names())
def test_anonymous_is_sent_to_login(client, name):
    url = sample_url(name)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if name in PUBLIC:
            assert response.status_code in PUBLIC[name], (method, url)
            continue
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login")), (method, url)


def test_the_walk_finds_urls():
    assert {"home", "login", "logout", "annotations:annotate"} <= set(our_url_names())
