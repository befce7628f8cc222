"""Personal API tokens: made and shown once, stored hashed, expiring, revoked; what they
open (the API, as their user) and what they do not (the pages)."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from annotator.accounts import tokens
from annotator.accounts.models import ApiToken
from annotator.articles.models import Article
from annotator.refusal import Refused
from tests.factories import digest, make_article, make_user

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_a_token_is_shown_once_and_stored_as_its_hash(client, analyst):
    client.force_login(analyst)
    page = reverse("api_tokens")
    answer = client.post(page, {"name": "scraper", "scope": "write", "days": "30"})
    assert answer.status_code == 200
    token = ApiToken.objects.get()
    secret = answer.text.split('id="token-secret">')[1].split("<")[0]
    assert secret.startswith("ann_") and len(secret) == 47
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())  # only the hash and prefix
    assert token.prefix == secret[:12] and token.scope == "write" and token.user == analyst
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    # Shown on that answer only: the list names it by its prefix.
    again = client.get(page).text
    assert secret not in again and f"{token.prefix}…" in again


def test_bad_token_forms_are_refused_in_words(client, analyst):
    client.force_login(analyst)
    before = digest()
    answer = client.post(reverse("api_tokens"), {"name": "", "scope": "admin", "days": "0"})
    assert answer.status_code == 422
    assert "This field is required" in answer.text and "Select a valid choice" in answer.text
    assert digest() == before


def test_the_api_knows_the_token_not_the_session(client, analyst):
    _token, secret = tokens.create(analyst, "notebook", "read")
    me = reverse("api:me")
    answer = client.get(me, headers=bearer(secret))
    assert answer.status_code == 200
    assert answer.json() == {
        "username": "ana", "roles": ["analyst"], "scope": "read", "token": secret[:12],
    }  # fmt: skip
    # A session cookie does not open the API (no request forged from an open page)...
    client.force_login(analyst)
    assert client.get(me).status_code == 401
    assert client.get(me, headers=bearer("ann_" + "x" * 43)).status_code == 401
    client.logout()
    # ... and a token opens no page.
    page = client.get(reverse("annotations:queue"), headers=bearer(secret))
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_expired_revoked_and_inactive_tokens_open_nothing(client, analyst, admin_user):
    _expired, old = tokens.create(analyst, "old", "read", timezone.now() - timedelta(seconds=1))
    revoked, gone = tokens.create(analyst, "gone", "read")
    tokens.revoke(revoked.pk, analyst)
    other = make_user("olga", "analyst")
    _left, left = tokens.create(other, "left", "read")
    other.is_active = False
    other.save()
    for secret in (old, gone, left):
        assert client.get(reverse("api:me"), headers=bearer(secret)).status_code == 401


def test_owners_and_admins_revoke_others_cannot(client, analyst, other_analyst, admin_user):
    token, secret = tokens.create(analyst, "scraper", "write")
    before = digest()
    with pytest.raises(Refused, match="not yours to revoke"):
        tokens.revoke(token.pk, other_analyst)
    assert digest() == before
    token.refresh_from_db()
    assert token.revoked_at is None
    # An admin sees everyone's tokens in use, and revokes them from the same page.
    client.force_login(admin_user)
    assert f"{token.prefix}…" in client.get(reverse("api_tokens")).text
    answer = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin_user and token.revoked_at is not None
    assert client.get(reverse("api:me"), headers=bearer(secret)).status_code == 401
    # The row stays, with who revoked it.
    client.force_login(analyst)
    assert "revoked by adam" in client.get(reverse("api_tokens")).text


def test_the_labels_come_with_their_attributes(client, analyst, labels):
    _token, secret = tokens.create(analyst, "notebook", "read")
    answer = client.get(reverse("api:labels"), headers=bearer(secret)).json()
    figure = next(label for label in answer if label["name"] == "Casualty figure")
    kind = next(a for a in figure["attributes"] if a["key"] == "kind")
    assert kind["type"] == "choice" and kind["required"] is True
    assert {c["key"] for c in kind["choices"]} >= {"killed", "injured", "missing"}
    assert [label["name"] for label in answer] == [label.name for label in labels.values()]


def test_the_schema_and_its_page_are_served_from_our_own_files(client):
    schema = client.get(reverse("api:api-root") + "schema/").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/labels"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    docs = client.get(reverse("api:api-root") + "docs/")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text.lower()
    assert "unsafe-inline" not in docs.headers.get("Content-Security-Policy", "")


def test_articles_page_by_cursor_with_the_pages_filters(client, analyst, admin_user, monkeypatch):
    from annotator.api import api as module

    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    made = [
        make_article(f"Crue numéro {n} à Vasselot\n\nLes pompiers sont intervenus.", by=admin_user)
        for n in range(5)
    ]
    make_article("Budget voté\n\nLe conseil a voté.", by=admin_user, source="Le Petit Ombrel")
    _token, secret = tokens.create(analyst, "notebook", "read")
    url = reverse("api:article_list")
    seen, cursor = [], ""
    while True:
        page = client.get(url, {"q": "pompiers", "cursor": cursor}, headers=bearer(secret)).json()
        seen += [item["id"] for item in page["items"]]
        if page["next"] is None:
            break
        cursor = page["next"]
    assert seen == sorted((a.pk for a in made), reverse=True)  # newest first, each once
    only = client.get(url, {"source": "le petit ombrel"}, headers=bearer(secret)).json()
    assert [item["title"] for item in only["items"]] == ["Budget voté"]
    # Bad parameters are refused in the page's own words.
    wrong = client.get(url, {"published_from": "2026-13-01"}, headers=bearer(secret))
    assert wrong.status_code == 422 and "Enter a valid date" in wrong.json()["detail"]
    backwards = {"published_from": "2026-02-01", "published_to": "2026-01-01"}
    wrong = client.get(url, backwards, headers=bearer(secret))
    assert "The start date is after the end date." in wrong.json()["detail"]
    wrong = client.get(url, {"cursor": "-1"}, headers=bearer(secret))
    assert wrong.status_code == 422 and "cursor" in wrong.json()["detail"]


def test_one_article_with_its_text_and_sentences(client, analyst, admin_user):
    text = "Séisme 🌊 à Corvenne\n\nLa mairie a ouvert trois gymnases. Le bilan est de 12 morts."
    article = make_article(text, by=admin_user)
    _token, secret = tokens.create(analyst, "notebook", "read")
    got = client.get(reverse("api:article_detail", args=[article.pk]), headers=bearer(secret))
    body = got.json()
    assert body["text"] == text  # exactly as stored
    for sentence in body["sentence_offsets"]:
        assert text[sentence["start"] : sentence["end"]].strip()
    assert [text[s["start"] : s["end"]] for s in body["sentence_offsets"]][-1] == (
        "Le bilan est de 12 morts."
    )
    missing = client.get(
        reverse("api:article_detail", args=[article.pk + 99]), headers=bearer(secret)
    )
    assert missing.status_code == 404 and missing.json()["detail"] == "That article does not exist."
    # Without a role that reads articles, the same refusal as the page's.
    nobody = make_user("nadia")
    _token, none_secret = tokens.create(nobody, "x", "read")
    assert client.get(reverse("api:article_list"), headers=bearer(none_secret)).status_code == 403


def test_each_token_is_throttled_per_minute_in_the_database(client, analyst, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    token, secret = tokens.create(analyst, "scraper", "read")
    _other, other = tokens.create(analyst, "notebook", "read")
    me = reverse("api:me")
    assert [client.get(me, headers=bearer(secret)).status_code for _ in range(3)] == [200] * 3
    refused = client.get(me, headers=bearer(secret))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many requests with this token")
    assert client.get(me, headers=bearer(other)).status_code == 200  # counted apart
    token.refresh_from_db()
    assert token.window_used == 4 and token.last_used_at is not None
    # The next minute starts again from one.
    later = token.window_start + timedelta(minutes=1, seconds=5)
    assert tokens.count_use(token, later) == 1


def test_articles_are_uploaded_through_the_upload_pages_path(client, analyst, reviewer):
    _token, secret = tokens.create(analyst, "scraper", "write")
    url = reverse("api:article_upload")
    files = [
        SimpleUploadedFile("crue.txt", "Crue à Vasselot\n\nLe fleuve a débordé.".encode()),
        SimpleUploadedFile("encore.txt", "Crue à Vasselot\n\nLe fleuve a débordé.".encode()),
        SimpleUploadedFile("notes.pdf", b"%PDF-1.4"),
    ]
    answer = client.post(url, {"files": files, "source": "Le Courrier"}, headers=bearer(secret))
    assert answer.status_code == 200
    report = answer.json()
    assert [(o["file"], o["status"]) for o in report["outcomes"]] == [
        ("crue.txt", "created"), ("encore.txt", "duplicate"), ("notes.pdf", "rejected"),
    ]  # fmt: skip
    assert report["outcomes"][2]["reason"]  # said in words
    article = Article.objects.get()
    assert (article.source, article.uploaded_by) == ("Le Courrier", analyst)
    assert report["outcomes"][1]["article_id"] == article.pk
    # Nothing without a file, or with a read token, or without a role that uploads.
    before = digest()
    empty = client.post(url, {}, headers=bearer(secret))
    assert empty.status_code == 422 and "Choose at least one file." in empty.json()["detail"]
    _read, reader = tokens.create(analyst, "notebook", "read")
    refused = client.post(url, {"files": files[:1]}, headers=bearer(reader))
    assert refused.status_code == 403 and "may only read" in refused.json()["detail"]
    _rita, rita = tokens.create(reviewer, "rita", "write")
    refused = client.post(url, {"files": files[:1]}, headers=bearer(rita))
    assert refused.status_code == 403 and "Your roles" in refused.json()["detail"]
    assert digest() == before
