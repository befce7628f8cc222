"""The original uploaded file, downloaded from the article page: its bytes, name and type."""

import pytest
from django.urls import reverse

from annotator.articles import ingest
from annotator.articles.models import SourceFile
from tests.factories import make_article, make_zip

pytestmark = pytest.mark.django_db

TEXT = "Crue de la Lironde\n\nLa rivière déborde à Vasselot.".encode("cp1252")


def uploaded(name, data, by):
    (outcome,) = ingest.ingest_file(name, data, by)
    assert outcome.article is not None, outcome.reason
    return outcome.article


def download(client, article):
    response = client.get(reverse("articles:original", args=[article.pk]))
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_anyone_who_sees_the_article_downloads_the_exact_bytes(client, analyst, admin_user):
    article = uploaded('Crue d\'été "spéciale".txt', TEXT, admin_user)
    client.force_login(analyst)
    response, body = download(client, article)
    assert body == TEXT  # as uploaded: cp1252, not the cleaned text
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Length"] == str(len(TEXT))
    assert response["X-Content-Type-Options"] == "nosniff"
    # RFC 6266 / 5987: the accents and quotes survive, percent-encoded in filename*.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Crue%20d%27%C3%A9t%C3%A9%20%22sp%C3%A9ciale%22.txt"
    )


def test_a_web_page_is_an_attachment_never_shown_inline(client, reviewer, admin_user):
    page = b"<html><head><title>Crue</title></head><body><p>La Lironde monte.</p>"
    page += b"<script>alert(1)</script></body></html>"
    article = uploaded("crue.html", page, admin_user)
    client.force_login(reviewer)
    response, body = download(client, article)
    assert body == page
    assert response["Content-Type"] == "text/html"
    assert response["Content-Disposition"] == 'attachment; filename="crue.html"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_archive_member_downloads_under_its_own_name(client, analyst, admin_user):
    archive = make_zip({"dossier/crue.txt": TEXT})
    (outcome,) = ingest.ingest_file("lot.zip", archive, admin_user)
    assert outcome.article is not None, outcome.reason
    client.force_login(analyst)
    response, body = download(client, outcome.article)
    assert body == TEXT
    assert response["Content-Disposition"] == 'attachment; filename="crue.txt"'


def test_an_unknown_type_is_plain_bytes(client, analyst, admin_user):
    article = make_article(by=admin_user)
    SourceFile.objects.filter(pk=article.source_file_id).update(name="notes")
    client.force_login(analyst)
    response, _body = download(client, article)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="notes"'


def test_the_article_page_links_the_download(client, analyst, admin_user):
    article = uploaded("crue.txt", TEXT, admin_user)
    client.force_login(analyst)
    page = client.get(article.get_absolute_url()).text
    assert f'href="{reverse("articles:original", args=[article.pk])}" download>crue.txt' in page


def test_who_cannot_see_the_article_cannot_download_it(client, outsider, analyst, admin_user):
    article = uploaded("crue.txt", TEXT, admin_user)
    url = reverse("articles:original", args=[article.pk])
    client.force_login(outsider)  # no role: the article page is refused too
    assert client.get(article.get_absolute_url()).status_code == 403
    assert client.get(url).status_code == 403
    client.force_login(analyst)
    assert client.get(reverse("articles:original", args=[article.pk + 1000])).status_code == 404
