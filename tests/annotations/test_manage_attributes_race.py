"""A value stored while an admin changes an attribute's key: real PostgreSQL, two connections.

The form finds the attribute unused; an analyst's value for it is being written, not yet
committed. The save waits for that write (annotations.labels holds span writes), then the
trigger sees the value and refuses: the page says so in the form, with 422, and nothing
of the change is saved.
"""

import threading
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Attribute, Span

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIGURE = "1\u202f850 habitants"


def someone_waits_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_a_value_stored_during_the_save_turns_into_the_forms_message(
    admin_user, assignment, labels
):
    casualty = labels["Casualty figure"]
    start = assignment.article.text.index(FIGURE)
    span, _ = spans.create_span(
        assignment.pk, assignment.analyst, label=casualty, start=start, end=start + len(FIGURE)
    )
    precision = Attribute.objects.get(label=casualty, key="precision")
    written, waited = threading.Event(), []

    def analyst_writes():
        try:
            with transaction.atomic():
                Span.objects.filter(pk=span.pk).update(attributes={"precision": "exact"})
                written.set()
                deadline = time.monotonic() + 10
                while not someone_waits_for_a_lock() and time.monotonic() < deadline:
                    time.sleep(0.05)
                waited.append(someone_waits_for_a_lock())
        finally:
            connections.close_all()

    writer = threading.Thread(target=analyst_writes)
    writer.start()
    assert written.wait(10)
    client = Client()
    client.force_login(admin_user)
    data = {
        "key": "exactness",
        "type": "choice",
        "name": "Precision",
        "name_fr": "Précision",
        "order": "3",
        "max_length": "200",
    }
    response = client.post(reverse("annotations:attribute_edit", args=[precision.pk]), data)
    writer.join()
    assert waited == [True]  # the save did wait for the analyst's write
    assert response.status_code == 422
    assert "Spans now hold values for “Precision”: its key and type stay" in response.text
    assert 'role="alert"' in response.text
    assert Attribute.objects.get(pk=precision.pk).key == "precision"
    assert Span.objects.get(pk=span.pk).attributes == {"precision": "exact"}
    assert not LogEntry.objects.exists()
