"""The curator's pages: the queue, an article's adjudication, and each action's answer."""

import uuid

import pytest
from django.urls import reverse

from annotator.agreement.models import Curation, GoldEvent, GoldSpan
from annotator.annotations.models import Span
from tests.factories import digest, make_user

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def curator(client, db):
    user = make_user("carla", "reviewer")
    client.force_login(user)
    return user


def act(client, article, action, **fields):
    url = reverse("agreement:gold_action", args=[article.pk, action])
    return client.post(url, {"action_id": str(uuid.uuid4()), **fields}, headers=HTMX)


def test_the_queue_lists_the_article_and_start_takes_it(client, curator, two_analysts):
    html = client.get(reverse("agreement:gold_queue")).text
    assert "« Séisme à Corvenne »" in html and "not started" in html
    response = client.post(reverse("agreement:gold_start"))
    assert response.url == reverse("agreement:gold", args=[two_analysts.pk])
    assert Curation.objects.get(article=two_analysts).claimed_by == curator


def test_a_curator_builds_and_finishes_a_gold_version(
    client, curator, two_analysts, analyst, labels
):
    page = reverse("agreement:gold", args=[two_analysts.pk])
    assert "Adjudicate this article" in client.get(page).text
    assert act(client, two_analysts, "claim").status_code == 200
    html = client.get(page).text
    assert "You are adjudicating this article" in html and "data-accept" in html
    response = act(client, two_analysts, "agreed", row=0)
    assert response["HX-Redirect"] == page + "?row=0"
    figure = Span.objects.get(article=two_analysts, annotator=analyst, text="12 morts")
    act(client, two_analysts, "accept", span=figure.pk, row=2)
    quote_ids = " ".join(
        str(pk)
        for pk in Span.objects.filter(article=two_analysts, label=labels["Quote"]).values_list(
            "pk", flat=True
        )
    )
    answer = act(client, two_analysts, "majority", spans=quote_ids)
    assert answer.status_code == 409
    assert "No version of this span has a majority" in answer.text
    act(client, two_analysts, "reject", spans=quote_ids)
    assert sorted(GoldSpan.objects.live().values_list("text", flat=True)) == [
        "12 morts",
        "La mairie a ouvert trois gymnases pour les sinistrés.",
    ]
    html = client.get(page).text
    assert html.count('class="gold-cell"') == 3 and "rejected" in html
    act(client, two_analysts, "finish")
    assert Curation.objects.get(article=two_analysts).status == "finished"
    assert "Finished by carla" in client.get(page).text
    assert list(GoldEvent.objects.values_list("kind", flat=True)) == [
        "accepted",
        "accepted",
        "rejected",
        "finished",
    ]


def test_another_curators_article_is_read_only_and_actions_are_refused(
    client, curator, two_analysts, labels
):
    other = make_user("cyril", "reviewer")
    from annotator.agreement import gold

    gold.claim(two_analysts.pk, other)
    html = client.get(reverse("agreement:gold", args=[two_analysts.pk])).text
    assert "cyril is adjudicating this article" in html and "data-accept" not in html
    before = digest()
    answer = act(client, two_analysts, "add", label=labels["Claim"].pk, start=0, end=5)
    assert answer.status_code == 409
    assert "You are not adjudicating this article" in answer.text
    assert digest() == before


@pytest.mark.parametrize(
    ("action", "fields", "status", "message"),
    [
        ("accept", {}, 422, "Choose the analyst’s span to accept"),
        ("add", {"label": "999999", "start": "0", "end": "4"}, 422, "That label does not exist"),
        ("add", {"start": "٣", "end": "4"}, 422, "whole numbers written with the digits 0 to 9"),
        ("reject", {"spans": "1; DROP"}, 422, "Name the spans by their numbers."),
        ("change", {"gold": "123456"}, 404, "That gold span is no longer there"),
        ("explode", {}, 404, ""),
    ],
)
def test_bad_actions_are_refused_in_words_and_write_nothing(
    client, curator, two_analysts, action, fields, status, message
):
    act(client, two_analysts, "claim")
    before = digest()
    answer = act(client, two_analysts, action, **fields)
    assert answer.status_code == status
    assert message in answer.text
    assert digest() == before


def test_only_curators_adjudicate(client, analyst, two_analysts, settings):
    client.force_login(analyst)
    assert client.get(reverse("agreement:gold_queue")).status_code == 403
    assert act(client, two_analysts, "claim").status_code == 403
    settings.CURATOR_ROLES = ["analyst"]
    assert client.get(reverse("agreement:gold_queue")).status_code == 200


def test_a_gold_span_is_edited_from_its_row(client, curator, two_analysts, labels):
    act(client, two_analysts, "claim")
    act(client, two_analysts, "agreed")
    made = GoldSpan.objects.live().get()
    html = client.get(reverse("agreement:gold", args=[two_analysts.pk])).text
    assert 'class="edit-gold"' in html and f'name="end" min="1" value="{made.end}"' in html
    answer = act(
        client, two_analysts, "change", gold=made.pk, label=labels["Quote"].pk,
        start=made.start, end=made.end - 1, row=0,
    )  # fmt: skip
    assert answer.status_code == 200
    made.refresh_from_db()
    assert (made.label, made.text) == (
        labels["Quote"],
        "La mairie a ouvert trois gymnases pour les sinistrés",
    )
    assert GoldEvent.objects.filter(kind="changed").count() == 1


def accepted_figure(client, two_analysts, analyst):
    """The first analyst's casualty figure (killed, min 12) accepted into the gold version."""
    act(client, two_analysts, "claim")
    figure = Span.objects.get(article=two_analysts, annotator=analyst, text="12 morts")
    act(client, two_analysts, "accept", span=figure.pk)
    return GoldSpan.objects.live().get(text="12 morts")


def test_a_gold_spans_values_are_edited_in_the_attribute_panel(
    client, curator, two_analysts, analyst
):
    made = accepted_figure(client, two_analysts, analyst)
    page = client.get(reverse("agreement:gold", args=[two_analysts.pk])).text
    url = reverse("agreement:gold_values", args=[two_analysts.pk, made.pk])
    assert f'action="{url}"' in page and "<kbd>v</kbd> Values" in page
    panel = client.get(url, {"row": 2}, headers=HTMX).text
    assert 'id="attribute-panel"' in panel and 'name="value-min" value="12"' in panel
    assert "Pick words in the text" not in panel  # the gold page does not show the text
    assert f'href="{reverse("agreement:gold", args=[two_analysts.pk])}?row=2"' in panel
    # Without script, the same URL is the gold page with the panel open.
    assert 'name="value-min" value="12"' in client.get(url).text
    answer = client.post(
        f"{url}?row=2",
        {
            "action_id": str(uuid.uuid4()),
            "value-kind": "injured",
            "value-min": "10",
            "value-max": "",
        },
        headers=HTMX,
    )
    assert answer["HX-Redirect"] == reverse("agreement:gold", args=[two_analysts.pk]) + "?row=2"
    made.refresh_from_db()
    assert made.attributes == {"kind": "injured", "min": 10}
    event = GoldEvent.objects.filter(kind="changed").get()
    assert event.actor == curator


def test_wrong_gold_values_come_back_beside_their_field_and_write_nothing(
    client, curator, two_analysts, analyst
):
    made = accepted_figure(client, two_analysts, analyst)
    url = reverse("agreement:gold_values", args=[two_analysts.pk, made.pk])
    before = digest()
    answer = client.post(
        url,
        {
            "action_id": str(uuid.uuid4()),
            "value-kind": "killed",
            "value-min": "12",
            "value-max": "3",
        },
        headers=HTMX,
    )
    assert answer.status_code == 422
    assert "Nothing was saved" in answer.text and "cannot be less than" in answer.text
    assert 'name="value-max" value="3"' in answer.text  # shown again as typed
    assert digest() == before
    wrong_row = client.get(url, {"row": "deux"})
    assert wrong_row.status_code == 422 and "whole numbers" in wrong_row.text


def test_another_curators_gold_values_are_read_only(client, curator, two_analysts, analyst):
    from annotator.agreement import gold

    made = accepted_figure(client, two_analysts, analyst)
    gold.release(two_analysts.pk, curator)
    other = make_user("cyril", "reviewer")
    gold.claim(two_analysts.pk, other)
    url = reverse("agreement:gold_values", args=[two_analysts.pk, made.pk])
    panel = client.get(url, headers=HTMX).text
    assert "Read-only" in panel and "Save the values" not in panel
    before = digest()
    answer = client.post(url, {"action_id": str(uuid.uuid4()), "value-min": "1"}, headers=HTMX)
    assert answer.status_code == 409 and "You are not adjudicating this article" in answer.text
    assert digest() == before
