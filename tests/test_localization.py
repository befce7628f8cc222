"""Numbers, dates and percentages as each language writes them, while the values scripts
read (offsets, ids) stay plain digits in every language."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from annotator.annotations.models import PALETTE, Assignment, Span
from annotator.review.templatetags.review import percent
from tests.factories import make_article, make_span

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
NBSP, NNBSP = "\u00a0", "\u202f"

# 1,200 sentences, so the article is far longer than 1,000 characters.
LONG_TEXT = " ".join(f"Phrase {n}." for n in range(1, 1200)) + " Le dernier mot du maire."


@pytest.fixture
def long_assignment(admin_user, analyst, labels):
    article = make_article(LONG_TEXT, by=admin_user, title="Un long article")
    assert article.sentence_count == 1200
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    make_span(assignment, "Quote", "Le dernier mot du maire.", status=Span.Status.PENDING)
    return assignment


def machine_values(html, attribute):
    return re.findall(rf'{attribute}="([^"]*)"', html)


@pytest.mark.django_db
def test_offsets_stay_plain_digits_on_the_french_annotate_page(client, analyst, long_assignment):
    client.force_login(analyst)
    html = client.get(reverse("annotations:annotate", args=[long_assignment.pk]), **FRENCH).text
    assert '<html lang="fr">' in html
    assert "<kbd>Maj+Entrée</kbd>" in html  # the keys as a French keyboard names them
    span = long_assignment.spans.get()
    assert span.start > 1000
    assert f'data-start="{span.start}" data-end="{span.end}"' in html
    offsets = machine_values(html, "data-o")
    assert str(span.start) in offsets
    for attribute in ("data-o", "data-start", "data-end", "data-span"):
        values = machine_values(html, attribute)
        assert values, attribute
        assert all(value.isdigit() for value in values), (attribute, values[:5])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "count", "published"),
    [(FRENCH, f"1{NBSP}200", "1 décembre 2026"), (ENGLISH, "1,200", "Dec. 1, 2026")],
)
def test_displayed_counts_and_dates_follow_the_language(
    client, analyst, admin_user, accept, count, published
):
    make_article(LONG_TEXT, by=admin_user, title="Un long article", published_at=date(2026, 12, 1))
    client.force_login(analyst)
    html = client.get(reverse("annotations:articles"), **accept).text
    assert f"<td>{published}</td>" in html
    assert f"<td>{count}</td>" in html  # its sentences
    assert "<td>1200</td>" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "limit"),
    [(FRENCH, f"1{NBSP}000 fichiers par archive"), (ENGLISH, "1,000 files per archive")],
)
def test_the_upload_limits_group_their_digits(client, admin_user, accept, limit, settings):
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 1000
    client.force_login(admin_user)
    html = client.get(reverse("articles:upload"), **accept).text
    assert limit in html


@pytest.mark.parametrize(("language", "shown"), [("fr", f"33{NNBSP}%"), ("en", "33%")])
def test_a_rate_is_written_as_the_language_writes_it(language, shown):
    with translation.override(language):
        assert percent(100 / 3) == shown
        assert percent(None) == "—"


@pytest.mark.parametrize(("language", "name"), [("fr", "Couleur 3"), ("en", "Colour 3")])
def test_label_colours_are_named_in_the_reader_s_language(language, name):
    with translation.override(language):
        assert str(dict(PALETTE)[3]) == name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "message"),
    [
        (FRENCH, f"«{NBSP}douze{NBSP}», «{NBSP}x{NBSP}» ne sont pas des numéros d’article."),
        (ENGLISH, "“douze”, “x” are not article numbers."),
    ],
)
def test_typed_values_are_quoted_as_the_language_quotes(client, reviewer, accept, message):
    client.force_login(reviewer)
    response = client.get(reverse("exports:index"), {"articles": "12, douze, x"}, **accept)
    assert response.status_code == 400
    assert message in response.text
