"""The export page and the download: who may, what they get, what is logged."""

import re

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from annotator.exports.models import ExportLog
from tests.factories import (
    EXPORTABLE_APPROVED,
    make_article,
    make_assignment,
    make_span,
    make_user,
    parse_csv,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("exports:index")
DOWNLOAD = reverse("exports:download")


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("persona", ["reviewer", "admin_user"])
def test_reviewers_and_admins_may_export(client, corpus, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 200
    assert client.get(DOWNLOAD).status_code == 200


@pytest.mark.parametrize("persona", ["analyst", "outsider"])
def test_other_roles_are_refused(client, corpus, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert client.get(DOWNLOAD).status_code == 403
    assert not ExportLog.objects.exists()


def test_export_roles_come_from_settings(client, corpus, analyst, reviewer, settings):
    settings.EXPORT_ROLES = ["analyst"]
    client.force_login(analyst)
    assert client.get(DOWNLOAD).status_code == 200
    client.force_login(reviewer)
    assert client.get(DOWNLOAD).status_code == 403


def test_download_streams_the_csv_and_logs_it(client, corpus, reviewer):
    client.force_login(reviewer)
    response = client.get(DOWNLOAD, {"label": ["Claim", "Quote"], "source": "@le progrès"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="spans-')
    log = ExportLog.objects.get()
    assert log.row_count is None  # logged before the first byte, completed after the last
    rows = parse_csv(body(response))
    assert {row["label"] for row in rows} == {"Claim", "Quote"}
    log.refresh_from_db()
    assert (log.user, log.via, log.format, log.dialect, log.exact) == (
        reviewer,
        "web",
        "csv",
        "standard",
        False,
    )
    assert log.filters == {
        "status": ["approved"],
        "label": ["Claim", "Quote"],
        "source": "@le progrès",
    }
    assert log.row_count == len(rows) == 4
    assert log.completed_at is not None


def test_excel_french_download(client, corpus, reviewer):
    client.force_login(reviewer)
    data = body(client.get(DOWNLOAD, {"dialect": "excel-fr"}))
    assert data.startswith(b"\xef\xbb\xbfspan_id;")
    assert ExportLog.objects.get().dialect == "excel-fr"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"status": "maybe"}, "Select a valid choice"),
        ({"label": "Rumour"}, "There is no label named “Rumour”."),
        ({"analyst": "nobody"}, "There is no analyst named “nobody”."),
        ({"published_from": "2024-13-01"}, "Enter a valid date."),
        (
            {"published_from": "2024-02-01", "published_to": "2024-01-01"},
            "The “published from” date is after the “published until” date.",
        ),
        ({"articles": "12, douze"}, "“douze” is not an article number."),
        ({"articles": "99999999999999999999"}, "is not an article number"),
        ({"format": "xlsx"}, "Select a valid choice"),
        ({"dialect": "excel-de"}, "Select a valid choice"),
        ({"source": "x" * 201}, "at most 200 characters"),
        ({"label": [f"L{i}" for i in range(201)]}, "Choose at most 200 values here."),
    ],
)
def test_bad_filters_are_explained_not_exported(client, corpus, reviewer, query, message):
    client.force_login(reviewer)
    for url in (DOWNLOAD, PAGE):
        response = client.get(url, query)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not ExportLog.objects.exists()


def test_filter_values_are_quoted_not_interpreted(client, corpus, reviewer):
    client.force_login(reviewer)
    for source in ["50%", "l'Est", "x'); DROP TABLE annotations_span; --", "%s"]:
        response = client.get(PAGE, {"source": source})
        assert response.status_code == 200
        assert "0 spans" in response.content.decode()


def test_htmx_count_refresh_gets_the_partial(client, corpus, reviewer):
    client.force_login(reviewer)
    response = client.get(PAGE, {"label": "Quote"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="count"')
    assert "2 spans" in html
    bad = client.get(PAGE, {"label": "Rumour"}, headers={"HX-Request": "true"})
    assert bad.status_code == 400  # htmx swaps 400 into the page (base.html)
    assert "There is no label named" in bad.content.decode()


def test_page_shows_the_count_and_the_escape_rule(client, corpus, reviewer):
    client.force_login(reviewer)
    html = client.get(PAGE).content.decode()
    assert f"{len(EXPORTABLE_APPROVED)} spans" in html
    assert html.count("<h1>") == 1
    assert "remove one leading apostrophe" in html
    assert re.search(r'value="approved"[^>]*checked', html)  # the default, shown


def test_page_query_count_does_not_grow_with_data(
    client, corpus, reviewer, admin_user, django_assert_num_queries
):
    client.force_login(reviewer)
    query = {"label": ["Claim", "Quote"], "analyst": "ana", "articles": "1,2,3"}
    client.get(PAGE, query)  # warm the session
    # session, user with roles, label and analyst checks, count, labels and analysts listed;
    # the Label Studio config's labels, attributes and choices
    with django_assert_num_queries(10):
        client.get(PAGE, query)
    for n in range(5):
        article = make_article(f"Article {n}. Texte.", title=f"A{n}", by=admin_user)
        assignment = make_assignment(article, make_user(f"an{n}", "analyst"), "approved", reviewer)
        make_span(assignment, "Claim", "Texte", reviewer=reviewer)
    with django_assert_num_queries(10):
        client.get(PAGE, query)


def test_download_is_get_only(client, corpus, reviewer):
    client.force_login(reviewer)
    assert client.post(DOWNLOAD).status_code == 405
    assert not ExportLog.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_client_that_hangs_up_cancels_the_copy(client, corpus, reviewer, monkeypatch):
    from annotator.exports import spans_csv

    monkeypatch.setattr(spans_csv, "CHUNK_BYTES", 200)
    client.force_login(reviewer)
    response = client.get(DOWNLOAD)
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"span_id,")
    response.close()  # what the WSGI server does when the client goes away
    # The connection is usable at once, and the log says the export never completed.
    log = ExportLog.objects.get()
    assert (log.row_count, log.completed_at) == (None, None)


def test_the_export_link_follows_export_roles(client, analyst, reviewer, settings):
    link = f'href="{PAGE}"'
    client.force_login(reviewer)
    assert link in client.get(reverse("home")).text
    settings.EXPORT_ROLES = ["analyst"]
    assert link not in client.get(reverse("home")).text
    client.force_login(analyst)
    assert link in client.get(reverse("home")).text
