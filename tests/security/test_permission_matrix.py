"""Every URL × every role × GET and POST: the expected status, and nothing written when refused.

A URL missing from MATRIX fails the walk, so a new view cannot ship unchecked.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annotator.accounts import tokens
from annotator.agreement.models import Curation, GoldSpan
from annotator.annotations import spans
from annotator.annotations.models import Assignment, Attribute
from tests.factories import digest, make_article, make_user
from tests.urlwalk import our_url_names

ROLES = ["anonymous", "analyst", "other_analyst", "reviewer", "admin"]
REFUSED = {302, 403, 404, 405}
# Open without a login: the login page offers the language switch.
PUBLIC = {"login", "set_language"}

# name: (which objects the URL points at, {role: (GET status, POST status)}).
# Anonymous visitors always go to the login page (302); roles not listed get 403 (or 405
# for a method no role may use).
# 405: method not allowed. A POST with no data is refused with what is missing (422), or,
# where it needs no data, redirects with a message (302); it never writes.
MATRIX = {
    "home": (None, dict.fromkeys(ROLES[1:], (200, 405))),
    "login": (None, {"anonymous": (200, 200), **dict.fromkeys(ROLES[1:], (302, 302))}),
    "logout": (None, dict.fromkeys(ROLES, (405, 302))),
    "set_language": (None, dict.fromkeys(ROLES, (405, 422))),
    # Anyone logged in keeps their API tokens; an empty POST lacks the form's fields (422).
    "api_tokens": (None, dict.fromkeys(ROLES[1:], (200, 422))),
    # ana's token: she or an admin revokes it; to anyone else it does not exist (404).
    "api_token_revoke": (
        "token",
        {
            "analyst": (405, 302),
            "admin": (405, 302),
            "other_analyst": (405, 404),
            "reviewer": (405, 404),
        },
    ),
    "annotations:articles": (None, dict.fromkeys(ROLES[1:], (200, 405))),
    "articles:upload": (
        None,
        {"analyst": (200, 422), "other_analyst": (200, 422), "admin": (200, 422)},
    ),
    "articles:detail": ("article", dict.fromkeys(ROLES[1:], (200, 405))),
    "articles:edit": ("article", {"admin": (200, 422)}),
    "articles:original": ("article", dict.fromkeys(ROLES[1:], (200, 405))),
    "annotations:queue": (None, {"analyst": (200, 405), "other_analyst": (200, 405)}),
    "annotations:next": (None, {"analyst": (302, 405), "other_analyst": (302, 405)}),
    "annotations:take": (None, {"analyst": (405, 422), "other_analyst": (405, 422)}),
    "annotations:assign": (None, {"admin": (405, 422)}),
    "annotations:annotate": ("draft", {"analyst": (200, 405), "other_analyst": (404, 405)}),
    "annotations:span_create": ("draft", {"analyst": (405, 422), "other_analyst": (405, 404)}),
    "annotations:span_delete": ("draft", {"analyst": (405, 422), "other_analyst": (405, 404)}),
    "annotations:span_relabel": ("draft", {"analyst": (405, 422), "other_analyst": (405, 404)}),
    # GET opens a span's panel, POST saves it: without a span, both say so (422).
    "annotations:span_attributes": (
        "draft",
        {"analyst": (422, 422), "other_analyst": (404, 404)},
    ),
    "annotations:suggestion_accept": (
        "draft",
        {"analyst": (405, 422), "other_analyst": (405, 404)},
    ),
    "annotations:suggestion_reject": (
        "draft",
        {"analyst": (405, 422), "other_analyst": (405, 404)},
    ),
    "annotations:suggestion_accept_label": (
        "draft",
        {"analyst": (405, 422), "other_analyst": (405, 404)},
    ),
    "annotations:undo": ("draft", {"analyst": (405, 302), "other_analyst": (405, 404)}),
    "annotations:submit": ("draft", {"analyst": (405, 302), "other_analyst": (405, 404)}),
    "review:dashboard": (None, {"reviewer": (200, 405)}),
    "review:queue": (None, {"reviewer": (200, 405)}),
    "review:start": (None, {"reviewer": (405, 302)}),
    "review:item": ("submitted", {"reviewer": (200, 405)}),
    "review:decide": ("submitted_span", {"reviewer": (405, 422)}),
    "review:approve_all": ("submitted", {"reviewer": (405, 302)}),
    "review:approve": ("submitted", {"reviewer": (405, 409)}),
    "review:return": ("submitted", {"reviewer": (405, 422)}),
    "review:release": ("submitted", {"reviewer": (405, 302)}),
    "review:add_span": ("submitted", {"reviewer": (405, 422)}),
    "review:span_attributes": ("submitted_span", {"reviewer": (200, 302)}),
    # AGREEMENT_ROLES: analysts never see the others' work there (unless the setting says).
    "agreement:index": (None, {"reviewer": (200, 405), "admin": (200, 405)}),
    "agreement:compare": ("article", {"reviewer": (200, 405), "admin": (200, 405)}),
    # CURATOR_ROLES (reviewers). Nothing to adjudicate here: the article has one analyst's
    # draft, so a claim is refused (409) and "start" finds nothing (back to the list).
    "agreement:gold_queue": (None, {"reviewer": (200, 405)}),
    "agreement:gold_start": (None, {"reviewer": (405, 302)}),
    "agreement:gold": ("article", {"reviewer": (200, 405)}),
    "agreement:gold_action": ("gold_claim", {"reviewer": (405, 409)}),
    # A gold span nobody holds: its values are read-only, a save is refused (409).
    "agreement:gold_values": ("gold_span", {"reviewer": (200, 409)}),
    "exports:index": (None, {"reviewer": (200, 405), "admin": (200, 405)}),
    "exports:download": (None, {"reviewer": (200, 405), "admin": (200, 405)}),
    "exports:import": (None, {"admin": (200, 422)}),
    # Administration. An empty POST saves a user with no name and no roles ("person" has
    # none: nothing changes), and the workflow with its switch off (a real change).
    "annotations:manage": (None, {"admin": (200, 405)}),
    "annotations:labels": (None, {"admin": (200, 405)}),
    "annotations:label_create": (None, {"admin": (200, 422)}),
    "annotations:label_edit": ("label", {"admin": (200, 422)}),
    "annotations:label_active": ("label", {"admin": (405, 422)}),
    # A label's attributes and their choices: an empty POST lacks what the form needs, or
    # the switch's direction, or the deletion's confirmation (422).
    "annotations:attributes": ("label", {"admin": (200, 405)}),
    "annotations:attribute_create": ("label", {"admin": (200, 422)}),
    "annotations:attribute_edit": ("attribute", {"admin": (200, 422)}),
    "annotations:attribute_active": ("attribute", {"admin": (405, 422)}),
    "annotations:attribute_delete": ("attribute", {"admin": (200, 422)}),
    "annotations:choice_create": ("attribute", {"admin": (405, 422)}),
    "annotations:choice_edit": ("choice", {"admin": (200, 422)}),
    "annotations:choice_active": ("choice", {"admin": (405, 422)}),
    "annotations:choice_delete": ("choice", {"admin": (200, 422)}),
    "annotations:workflow": (None, {"admin": (200, 302)}),
    "users": (None, {"admin": (200, 405)}),
    "user_create": (None, {"admin": (200, 422)}),
    "user_edit": ("person", {"admin": (200, 302)}),
    "user_active": ("person", {"admin": (405, 422)}),
}
# These change rows when allowed (that is their job); every other allowed call is read-only.
WRITES_WHEN_ALLOWED = {
    "logout",
    "api_token_revoke",
    # The first open of one's work runs the built-in rules on the article (stored once) and
    # notes when its suggestions were first shown.
    "annotations:annotate",
    "annotations:undo",
    "annotations:submit",
    "review:start",
    "review:approve_all",
    "review:release",
    # An empty save changes no value, but renews the reviewer's claim like any decision.
    "review:span_attributes",
    "exports:download",
    "annotations:workflow",
}


@pytest.fixture
def world(analyst, other_analyst, reviewer, admin_user, labels):
    users = {
        "analyst": analyst,
        "other_analyst": other_analyst,
        "reviewer": reviewer,
        "admin": admin_user,
    }
    article = make_article(by=users["admin"])
    other = make_article("Un autre article.\n\nDeuxième phrase ici.", by=users["admin"])
    ana = users["analyst"]
    draft = Assignment.objects.create(article=article, analyst=ana)
    spans.create_span(draft.pk, ana, label=labels["Claim"], start=0, end=4)
    submitted = Assignment.objects.create(article=other, analyst=ana)
    submitted_span, _ = spans.create_span(submitted.pk, ana, label=labels["Quote"], start=0, end=2)
    spans.submit(submitted.pk, ana)
    precision = Attribute.objects.get(label=labels["Casualty figure"], key="precision")
    Assignment.objects.filter(pk=submitted.pk).update(
        claimed_by=users["reviewer"], claim_expires_at=timezone.now() + timezone.timedelta(hours=1)
    )
    curation = Curation.objects.create(article=article)
    gold_span = GoldSpan.objects.create(
        curation=curation, article=article, label=labels["Claim"], start=0, end=4,
        text=article.text[:4], adjudicated_by=users["reviewer"],
    )  # fmt: skip
    token, _secret = tokens.create(ana, "scraper", "read")
    targets = {
        "token": {"pk": token.pk},
        "article": {"pk": article.pk},
        "gold_span": {"pk": article.pk, "gold_id": gold_span.pk},
        "gold_claim": {"pk": article.pk, "action": "claim"},
        "draft": {"assignment_id": draft.pk},
        "submitted": {"assignment_id": submitted.pk},
        "submitted_span": {"assignment_id": submitted.pk, "span_id": submitted_span.pk},
        "label": {"pk": labels["Claim"].pk},
        # Unused (the spans above hold no values): a choice attribute and one of its choices.
        "attribute": {"pk": precision.pk},
        "choice": {"pk": precision.choices.get(key="approx").pk},
        "person": {"pk": make_user("olga").pk},
    }
    return users, targets


def test_every_url_is_in_the_matrix():
    assert set(our_url_names()) == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(world, name, role):
    users, targets = world
    target, allowed = MATRIX[name]
    url = reverse(name, kwargs=targets[target] if target else None)
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    for method, position in (("get", 0), ("post", 1)):
        if role == "anonymous" and name not in PUBLIC:
            expected = 302
        elif role in allowed:
            expected = allowed[role][position]
        else:
            # The method check comes first: a method nobody may use is 405 for everyone.
            nobody = all(statuses[position] == 405 for statuses in allowed.values())
            expected = 405 if nobody else 403
        before = digest()
        response = getattr(client, method)(url)
        assert response.status_code == expected, (method.upper(), url, role)
        if role == "anonymous" and name not in PUBLIC:
            assert response["Location"].startswith(reverse("login"))
        refused = (
            role not in allowed
            or expected in {403, 404, 405}
            or (role == "anonymous" and name not in PUBLIC)
        )
        if refused or name not in WRITES_WHEN_ALLOWED:
            assert digest() == before, f"{method.upper()} {url} as {role} changed rows"
