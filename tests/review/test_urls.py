"""Every review URL: anonymous people log in first, analysts are refused, reviewers get in."""

import pytest
from django.urls import reverse

from annotator.accounts.roles import Role
from annotator.review import decisions
from tests.factories import give_role, live_spans
from tests.urlwalk import our_url_names

# name: (method, form data). Reviewers' requests are made on an item they hold.
REQUESTS = {
    "review:dashboard": ("get", {}),
    "review:queue": ("get", {}),
    "review:item": ("get", {}),
    "review:start": ("post", {}),
    "review:decide": ("post", {"decision": "approve"}),
    "review:approve_all": ("post", {}),
    "review:approve": ("post", {}),
    "review:return": ("post", {"comment": "Please add the quotes."}),
    "review:release": ("post", {}),
    # The first word of the title, tagged with the label of the item's first span.
    "review:add_span": ("post", lambda item: {"label": live_spans(item)[0].label_id, "end": 4}),
    # The item's first span is its casualty figure.
    "review:span_attributes": ("post", {"value-kind": "killed"}),
}
REVIEW_URLS = sorted(REQUESTS)


def url_for(name, item):
    kwargs = {}
    if name not in {"review:dashboard", "review:queue", "review:start"}:
        kwargs["assignment_id"] = item.pk
    if name in {"review:decide", "review:span_attributes"}:
        kwargs["span_id"] = live_spans(item)[0].pk
    return reverse(name, kwargs=kwargs)


def request(client, name, item):
    method, data = REQUESTS[name]
    if callable(data):
        data = {"start": 0, **data(item)}
    return getattr(client, method)(url_for(name, item), data)


def test_the_table_covers_every_review_url():
    assert sorted(n for n in our_url_names() if n.startswith("review:")) == REVIEW_URLS


@pytest.mark.parametrize("name", REVIEW_URLS)
def test_anonymous_is_sent_to_login(client, claimed, name):
    response = request(client, name, claimed)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", REVIEW_URLS)
def test_analysts_and_people_without_a_role_are_refused(client, claimed, other_analyst, name):
    for user in [other_analyst, claimed.analyst]:
        client.force_login(user)
        assert request(client, name, claimed).status_code == 403, user


@pytest.mark.parametrize("name", REVIEW_URLS)
def test_outsiders_are_refused(client, claimed, outsider, name):
    client.force_login(outsider)
    assert request(client, name, claimed).status_code == 403


@pytest.mark.parametrize("name", REVIEW_URLS)
def test_reviewers_get_in(client, claimed, reviewer, name):
    if name == "review:approve":
        decisions.approve_all(claimed.pk, reviewer)
    client.force_login(reviewer)
    response = request(client, name, claimed)
    assert response.status_code == (200 if REQUESTS[name][0] == "get" else 302)


@pytest.mark.parametrize("name", REVIEW_URLS)
def test_admins_need_the_reviewer_role_too(client, claimed, admin_user, name):
    client.force_login(admin_user)
    assert request(client, name, claimed).status_code == 403
    give_role(admin_user, Role.REVIEWER)
    client.force_login(admin_user)  # a fresh request, roles are cached per user object
    assert request(client, name, claimed).status_code in {200, 302, 409}
