"""Hostile input, endpoint by endpoint: a 4xx (or a per-file rejection) in plain words, never
a 500, and not one row written."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annotator.accounts.roles import Role
from annotator.annotations import spans
from annotator.annotations.models import Assignment
from annotator.articles.models import Article
from tests.factories import digest, give_role, make_article, make_user, make_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(analyst, other_analyst, reviewer, admin_user, labels):
    give_role(admin_user, Role.REVIEWER)
    return {
        "ana": analyst,
        "alex": other_analyst,
        "rita": reviewer,
        "rémi": make_user("remi", Role.REVIEWER),
        "adam": admin_user,
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


UPLOADS = [
    ("binary renamed .txt", "photo.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not text"),
    ("NUL bytes", "nul.txt", b"Un texte\x00 avec un NUL.", "not text"),
    ("zip bomb", "bombe.zip", make_zip([("z.txt", b"0" * (3 * 1024 * 1024))]), "MB"),
    (
        "nested archive",
        "lot.zip",
        make_zip([("a.zip", make_zip([("b.txt", b"Texte.")]))]),
        "Archives inside archives",
    ),
    (
        "javascript: URL",
        "lot.jsonl",
        b'{"text": "Un article.", "url": "javascript:alert(document.cookie)"}',
        "http",
    ),
    ("lone surrogate", "lot.jsonl", rb'{"text": "Un article \udc00."}', "not valid text"),
    ("unsupported type", "virus.exe", b"MZ\x90\x00", "type"),
    ("empty", "vide.txt", b"", "empty"),
]


@pytest.mark.parametrize(("case", "name", "data", "message"), UPLOADS, ids=[u[0] for u in UPLOADS])
def test_hostile_uploads_are_rejected_and_write_nothing(
    people, settings, case, name, data, message
):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024
    client = client_for(people["ana"])
    before = digest()
    response = client.post(
        reverse("articles:upload"),
        {"files": [SimpleUploadedFile(name, data)]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Rejected" in response.text and message in response.text
    assert digest() == before


def test_oversized_request_is_refused_before_reading(people, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 10_000
    client = client_for(people["ana"])
    before = digest()
    response = client.post(
        reverse("articles:upload"), {"files": [SimpleUploadedFile("a.txt", b"x" * 20_000)]}
    )
    assert response.status_code == 413 and "too large" in response.text
    assert digest() == before


def test_utf16_with_bom_and_html_with_scripts_are_read_safely(people):
    client = client_for(people["ana"])
    client.post(
        reverse("articles:upload"),
        {
            "files": [
                SimpleUploadedFile(
                    "utf16.txt", "Été à Nîmes\n\nLe préfet a parlé.".encode("utf-16")
                )
            ]
        },
    )
    page = (
        '<html><body><article><h1>Titre</h1><p onclick="alert(1)">Le conseil municipal a '
        "voté le budget après un long débat sur les investissements de la commune.</p>"
        "<script>alert(2)</script><p>Les élus de l’opposition ont dénoncé une hausse des impôts "
        "<img src=x onerror=alert(3)> jugée injuste par de nombreux habitants.</p>"
        "</article></body></html>"
    )
    client.post(
        reverse("articles:upload"), {"files": [SimpleUploadedFile("page.html", page.encode())]}
    )
    texts = list(Article.objects.values_list("text", flat=True))
    assert "Été à Nîmes\n\nLe préfet a parlé." in texts
    html_text = next(t for t in texts if "conseil" in t)
    for needle in ("alert", "onclick", "onerror", "<"):
        assert needle not in html_text


@pytest.fixture
def draft(people, labels):
    article = make_article(by=people["adam"])
    return Assignment.objects.create(article=article, analyst=people["ana"])


def span_post(draft, **changes):
    phrase = "M. Roussel"
    start = draft.article.text.index(phrase)
    return {"label": 1, "start": start, "end": start + len(phrase), "text": phrase, **changes}


SPAN_CASES = [
    ("end past the text", {"end": 10**6}, 422, "ends after the end"),
    ("huge offset", {"end": 2**40}, 422, "less than or equal to"),
    ("negative start", {"start": -5}, 422, "greater than or equal to 0"),
    ("Arabic-Indic digits", {"start": "١٢"}, 422, "digits 0 to 9"),
    ("fullwidth digits", {"end": "１２"}, 422, "digits 0 to 9"),
    ("not a number", {"start": "1e3"}, 422, "digits 0 to 9"),
    ("stale snapshot", {"text": "M. Dupont"}, 409, "out of date"),
    ("unknown label", {"label": 999_999}, 422, "does not exist"),
    ("label as text", {"label": "Claim"}, 422, "does not exist"),
    ("NUL in snapshot", {"text": "M.\x00Roussel"}, 400, "not valid text"),
    ("empty span", {"end": "same-as-start"}, 422, "at least one character"),
]


@pytest.mark.parametrize(
    ("case", "change", "status", "message"), SPAN_CASES, ids=[c[0] for c in SPAN_CASES]
)
def test_hostile_span_posts(people, draft, labels, case, change, status, message):
    data = {**span_post(draft, label=labels["Claim"].pk), **change}
    if data["end"] == "same-as-start":
        data["end"] = data["start"]
    client = client_for(people["ana"])
    before = digest()
    response = client.post(
        reverse("annotations:span_create", args=[draft.pk]),
        data,
        headers={"HX-Request": "true"},
    )
    assert response.status_code == status
    assert message in response.text
    assert digest() == before


def test_inactive_label_and_foreign_assignment(people, draft, labels):
    labels["Quote"].is_active = False
    labels["Quote"].save()
    ana, alex = client_for(people["ana"]), client_for(people["alex"])
    before = digest()
    url = reverse("annotations:span_create", args=[draft.pk])
    response = ana.post(
        url, span_post(draft, label=labels["Quote"].pk), headers={"HX-Request": "true"}
    )
    assert response.status_code == 422 and "switched off" in response.text
    # Walking ids: someone else's assignment is simply not there.
    assert alex.post(url, span_post(draft, label=labels["Claim"].pk)).status_code == 404
    assert digest() == before


LIST_CASES = [
    ({"page": "abc"}, "Enter a whole number"),
    ({"page": "99999999999"}, "less than or equal to"),
    ({"sort": "id; DROP TABLE articles_article"}, "Select a valid choice"),
    ({"q": "é" * 201}, "at most 200 characters"),
    ({"published_to": "2026-02-30"}, "Enter a valid date"),
]


@pytest.mark.parametrize(("params", "message"), LIST_CASES)
def test_hostile_list_parameters(people, params, message):
    response = client_for(people["ana"]).get(reverse("annotations:articles"), params)
    assert response.status_code == 400
    assert message in response.text


def test_search_with_tsquery_syntax_is_just_text(people):
    make_article(by=people["adam"])
    response = client_for(people["ana"]).get(
        reverse("annotations:articles"), {"q": "Roussel & | ! :* ( \\ '"}
    )
    assert response.status_code == 200


@pytest.fixture
def submitted(people, labels):
    article = make_article("Un autre article.\n\nDeuxième phrase ici.", by=people["adam"])
    item = Assignment.objects.create(article=article, analyst=people["ana"])
    span, _ = spans.create_span(item.pk, people["ana"], label=labels["Claim"], start=0, end=2)
    spans.submit(item.pk, people["ana"])
    return item, span


def test_review_decision_out_of_turn_is_refused(people, submitted):
    item, span = submitted
    Assignment.objects.filter(pk=item.pk).update(
        claimed_by=people["rita"], claim_expires_at=timezone.now() + timezone.timedelta(hours=1)
    )
    client = client_for(people["rémi"])
    before = digest()
    url = reverse("review:decide", args=[item.pk, span.pk])
    response = client.post(url, {"decision": "approve"}, headers={"HX-Request": "true"})
    assert response.status_code == 409
    assert "another reviewer" in response.text.lower() or "claim" in response.text.lower()
    assert digest() == before


def test_decision_on_unclaimed_item_is_refused(people, submitted):
    item, span = submitted
    client = client_for(people["rita"])
    before = digest()
    response = client.post(
        reverse("review:decide", args=[item.pk, span.pk]),
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    assert digest() == before


def test_export_filters_never_reach_drafts(people, draft, labels):
    spans.create_span(draft.pk, people["ana"], label=labels["Claim"], start=0, end=4)
    client = client_for(people["rita"])
    response = client.get(
        reverse("exports:download"),
        {
            "status": ["pending", "approved", "rejected"],
            "analyst": "ana",
            "articles": str(draft.article_id),
        },
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.strip().count("\n") == 0  # the header line only


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "deleted"}, "valid choice"),
        ({"label": "Inventé"}, "no label named"),
        ({"analyst": "personne"}, "no analyst named"),
        ({"articles": "1,abc"}, ""),
        ({"dialect": "xlsx"}, "valid choice"),
        ({"published_from": "demain"}, "valid date"),
    ],
)
def test_hostile_export_filters(people, params, message):
    client = client_for(people["rita"])
    before = digest()
    response = client.get(reverse("exports:download"), params)
    assert response.status_code == 400
    assert message in response.text
    assert digest() == before


def admin_changelists():
    from django.contrib import admin

    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


NUL_PARAMETERS = [{"status": "\x00"}, {"q": "\x00"}, {"q": "Roussel\x00"}, {"kind\x00": "x"}]
GARBAGE_PARAMETERS = [
    {"status": "pas-un-statut"},
    {"q": "' OR 1=1 --"},
    {"label__id__exact": "abc"},
    {"label__id__exact": "99999999999999999999"},
    {"status__in": "a,b,\ufffd"},
    {"o": "zz.-99"},
    {"p": "-1"},
]


def test_django_admin_changelists_refuse_nul_and_survive_garbage(people, submitted):
    """The admin's filters and search reach SQL without our forms: a NUL is refused before
    it gets there, and other garbage gets the admin's own answers (a page, or ?e=1)."""
    root = get_user_model().objects.create_superuser("root", password="x")
    client = client_for(root)
    for url in admin_changelists():
        for params in NUL_PARAMETERS:
            response = client.get(url, params)
            assert response.status_code == 400, (url, params)
            assert "not valid text" in response.text
        for params in GARBAGE_PARAMETERS:
            response = client.get(url, params)
            assert response.status_code in (200, 302), (url, params)
            if response.status_code == 302:
                assert response["Location"].endswith("?e=1"), (url, params)
