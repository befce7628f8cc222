import datetime

import pytest
from django.urls import reverse

from annotator.annotations.models import Assignment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(admin_user):
    flood = make_article(
        "Crue de la Lironde\n\nLes inondations ont fait deux morts.",
        by=admin_user,
        source="Le Courrier",
    )
    strike = make_article(
        "Grève au port\n\nLes dockers bloquent le terminal.", by=admin_user, source="Ouest Matin"
    )
    budget = make_article(
        "Budget municipal\n\nLe conseil a voté une hausse d’impôts.",
        by=admin_user,
        source="Le Courrier",
    )
    type(flood).objects.filter(pk=flood.pk).update(published_at=datetime.date(2026, 3, 1))
    type(strike).objects.filter(pk=strike.pk).update(published_at=datetime.date(2026, 5, 1))
    return {"flood": flood, "strike": strike, "budget": budget}


def titles(response):
    return [a.title for a in response.context["page"]]


def test_french_full_text_search_matches_inflected_forms(client, analyst, corpus):
    client.force_login(analyst)
    # "inondation" finds "inondations", "terminaux" finds "terminal": French stemming.
    assert titles(client.get(reverse("annotations:articles"), {"q": "inondation"})) == [
        "Crue de la Lironde"
    ]
    assert titles(client.get(reverse("annotations:articles"), {"q": "terminaux"})) == [
        "Grève au port"
    ]


def test_filters_by_source_dates_and_status(client, analyst, other_analyst, corpus):
    Assignment.objects.create(article=corpus["budget"], analyst=other_analyst, status="submitted")
    client.force_login(analyst)
    url = reverse("annotations:articles")
    assert sorted(titles(client.get(url, {"source": "le courrier"}))) == [
        "Budget municipal",
        "Crue de la Lironde",
    ]
    assert titles(client.get(url, {"published_from": "2026-04-01"})) == ["Grève au port"]
    assert titles(client.get(url, {"status": "submitted"})) == ["Budget municipal"]
    assert sorted(titles(client.get(url, {"status": "unassigned"}))) == [
        "Crue de la Lironde",
        "Grève au port",
    ]
    assert titles(client.get(url, {"sort": "title"})) == [
        "Budget municipal",
        "Crue de la Lironde",
        "Grève au port",
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"published_from": "hier"}, "Enter a valid date"),
        ({"published_from": "2026-05-01", "published_to": "2026-01-01"}, "start date is after"),
        ({"status": "deleted"}, "Select a valid choice"),
        ({"page": "-3"}, "greater than or equal to 1"),
        ({"q": "x" * 500}, "at most 200 characters"),
    ],
)
def test_bad_list_parameters_say_what_is_wrong(client, analyst, corpus, params, message):
    client.force_login(analyst)
    response = client.get(reverse("annotations:articles"), params)
    assert response.status_code == 400
    assert message in response.text


def test_list_query_count_does_not_grow(client, analyst, admin_user, django_assert_num_queries):
    for i in range(30):
        make_article(f"Article numéro {i}\n\nUne phrase. Une autre phrase.", by=admin_user)
    client.force_login(analyst)
    with django_assert_num_queries(5):
        response = client.get(reverse("annotations:articles"))
    assert len(response.context["page"]) == 25
    assert "3</td>" in response.text  # sentence counts shown


def test_detail_renders_sentences_with_offsets_and_escapes(
    client, analyst, admin_user, django_assert_num_queries
):
    article = make_article(
        "Titre <script>alert(1)</script>\n\nPremière phrase. Deuxième phrase.\n\nFin.",
        by=admin_user,
    )
    client.force_login(analyst)
    # Session, user, article, sentences, and the Annotate action (annotate_action tag).
    with django_assert_num_queries(5):
        response = client.get(article.get_absolute_url())
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    for sentence in article.sentences.all():
        assert f'data-start="{sentence.start}" data-end="{sentence.end}"' in response.text
    assert response.text.count('<p><span class="sent"') == 3  # paragraphs kept


def test_uploader_and_admin_edit_metadata_others_cannot(client, analyst, other_analyst, admin_user):
    article = make_article("Texte.", by=analyst)
    url = reverse("articles:edit", args=[article.pk])
    client.force_login(other_analyst)
    assert client.post(url, {"title": "Piraté", "language": "fr"}).status_code == 403
    client.force_login(analyst)
    response = client.post(
        url,
        {
            "title": "Nouveau titre",
            "source": "AFP",
            "url": "https://exemple.fr/a",
            "published_at": "2026-01-02",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.source, article.text) == ("Nouveau titre", "AFP", "Texte.")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "javascript:alert(1)", "Enter a valid URL"),
        ("title", "", "This field is required"),
        ("language", "français", "language code"),
    ],
)
def test_metadata_is_validated(client, admin_user, field, value, message):
    article = make_article("Texte.", by=admin_user)
    client.force_login(admin_user)
    data = {"title": "Titre", "language": "fr", field: value}
    response = client.post(reverse("articles:edit", args=[article.pk]), data)
    assert response.status_code == 422
    assert message in response.text
    article.refresh_from_db()
    assert article.title == "Texte."


def test_outsider_cannot_browse(client, outsider, corpus):
    client.force_login(outsider)
    assert client.get(reverse("annotations:articles")).status_code == 403
    assert client.get(corpus["flood"].get_absolute_url()).status_code == 403


def test_admin_sees_the_bulk_assign_form_with_analysts(client, admin_user, analyst, corpus):
    client.force_login(admin_user)
    response = client.get(reverse("annotations:articles"))
    assert 'name="articles"' in response.text
    assert f'<option value="{analyst.pk}">ana</option>' in response.text
