"""No request holds PostgreSQL for ever: statements and idle transactions have limits, a
statement cancelled by its limit answers 503 (and changes nothing), and exports, which
stream for as long as the download takes, get a longer limit of their own."""

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from annotator.annotations.models import Assignment, Span
from annotator.exports.selection import export_cursor
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def show(setting, cursor=None):
    if cursor is None:
        with connection.cursor() as own:
            own.execute(f"SHOW {setting}")
            return own.fetchone()[0]
    cursor.execute(f"SHOW {setting}")
    return cursor.fetchone()[0]


def test_every_connection_has_a_statement_lock_and_idle_limit():
    assert show("statement_timeout") == "30s"
    assert show("lock_timeout") == "5s"
    assert show("idle_in_transaction_session_timeout") == "1min"


def test_an_export_runs_under_its_own_longer_limit_then_gives_it_back():
    with export_cursor() as cursor:
        assert show("statement_timeout", cursor) == "30min"
    assert show("statement_timeout") == "30s"


def test_a_statement_cancelled_by_its_limit_answers_503_and_changes_nothing(
    analyst, admin_user, labels
):
    article = make_article("Le fleuve a débordé mardi soir.", by=admin_user)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    params = connection.settings_dict
    options = params["OPTIONS"]["options"]
    blocker = psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=False,
    )
    # The span save locks its assignment row: another transaction holds it, so the save
    # waits until its statement limit (shortened here) cancels it.
    params["OPTIONS"]["options"] = options.replace(
        "statement_timeout=30s", "statement_timeout=300ms"
    )
    connections["default"].close()
    try:
        blocker.execute(
            "SELECT 1 FROM annotations_assignment WHERE id = %s FOR UPDATE", [assignment.pk]
        )
        response = client.post(
            reverse("annotations:span_create", args=[assignment.pk]),
            {"label": labels["Claim"].pk, "start": 3, "end": 9, "text": "fleuve"},
            headers={"HX-Request": "true"},
        )
    finally:
        blocker.rollback()
        blocker.close()
        params["OPTIONS"]["options"] = options
        connections["default"].close()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert not Span.objects.exists()
