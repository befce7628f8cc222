"""While PostgreSQL does not answer, the app says 503 with Retry-After (never the 500 page),
and nothing is half-written; once it answers again, the same request goes through."""

import pytest
from django.test import Client
from django.urls import reverse

from annotator.annotations.models import Assignment, Span
from tests.factories import digest, make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def client_of(analyst):
    # Answers as a browser gets them: the test client would re-raise the error instead.
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    return client


def test_a_page_while_the_database_is_away_is_503_with_retry_after(client_of, database_away):
    with database_away():
        response = client_of.get(reverse("home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The database is not answering" in response.content.decode()
    assert client_of.get(reverse("home")).status_code == 200


def test_an_action_while_the_database_is_away_is_503_and_lands_once_when_sent_again(
    client_of, analyst, admin_user, labels, database_away
):
    article = make_article("Le fleuve a débordé mardi soir.", by=admin_user)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    url = reverse("annotations:span_create", args=[assignment.pk])
    action = {
        "label": labels["Claim"].pk,
        "start": 3,
        "end": 9,
        "text": "fleuve",
        "action_id": "0b6a2f4e-3c1d-4a5b-9e8f-7d6c5b4a3f21",
    }
    before = digest()
    with database_away():
        refused = client_of.post(url, action, headers={"HX-Request": "true"})
    assert refused.status_code == 503
    assert 'id="messages"' in refused.content.decode()  # the message region, for htmx
    assert digest() == before

    for _ in range(2):  # the page sends it again, maybe twice: it lands once
        assert client_of.post(url, action, headers={"HX-Request": "true"}).status_code == 200
    assert list(Span.objects.values_list("text", flat=True)) == ["fleuve"]
