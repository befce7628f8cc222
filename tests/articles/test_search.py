"""Article.objects.search: French stemming, accents and case ignored, the GIN index used."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from annotator.articles.models import SEARCH_TEXT_CHARS, Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(admin_user):
    texts = [
        "Dépistage du cancer\n\nUne campagne de dépistage commence lundi.",
        "L’État rembourse\n\nLe ministère confirme la prise en charge.",
        "Crue de la Lironde\n\nLes inondations ont fait deux morts.",
        "Chirurgie du cœur\n\nUne première à l’hôpital Nord.",
        "Grève au port\n\nLes dockers bloquent le terminal.",
    ]
    return [make_article(text, by=admin_user) for text in texts]


def found(words):
    return sorted(article.title for article in Article.objects.search(words))


@pytest.mark.parametrize(
    ("words", "title"),
    [
        ("depistage", "Dépistage du cancer"),  # accent left out
        ("DEPISTAGE", "Dépistage du cancer"),  # and upper case
        ("dépistages", "Dépistage du cancer"),  # stemming still applies to accented words
        ("Etat", "L’État rembourse"),  # a capital accent left out
        ("état", "L’État rembourse"),
        ("ministere", "L’État rembourse"),
        ("inondation", "Crue de la Lironde"),  # French stemming: inondations
        ("coeur", "Chirurgie du cœur"),  # œ written as oe
        ("cœur", "Chirurgie du cœur"),
        ("hopital", "Chirurgie du cœur"),
        ("greve", "Grève au port"),
    ],
)
def test_search_ignores_accents_and_keeps_french_stemming(corpus, words, title):
    assert found(words) == [title]


def test_accented_query_finds_an_unaccented_text(admin_user):
    make_article("Etat des lieux\n\nLes travaux du cote est.", by=admin_user)
    assert found("état côté") == ["Etat des lieux"]


def test_search_reads_the_indexed_column(corpus):
    # Enough rows, and no sequential scans, that the planner shows whether the index fits.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Article.objects.search("depistage").explain()
    assert "article_search_idx" in plan


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_recomputes_existing_articles_and_reverses(admin_user):
    article = make_article("Dépistage précoce\n\nLe dépistage sauve des vies.", by=admin_user)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app: dependents go back too
    try:
        executor.migrate([("articles", "0003_sentence_order_by_column")])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM articles_article"
                " WHERE search @@ plainto_tsquery('french', 'depistage')"
            )
            assert cursor.fetchone() == (0,)  # the old column: accents matter
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent'")
            assert cursor.fetchone() is None
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert found("depistage") == [article.title]


def test_a_text_of_a_few_megabytes_of_distinct_words_is_stored_and_searchable(client, analyst):
    # Before the search vector was bounded, PostgreSQL refused its tsvector (over 1 MB)
    # and the upload failed.
    words = " ".join(f"mot{number:07x}" for number in range(400_000)).encode()
    client.force_login(analyst)
    response = client.post(
        reverse("articles:upload"),
        {"files": [SimpleUploadedFile("mots.txt", words)]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    article = Article.objects.get()
    assert len(article.text) > 4 * SEARCH_TEXT_CHARS
    assert found("mot0000abc") == [article.title]
    assert found("mot0061a7f") == []  # past the first SEARCH_TEXT_CHARS characters


def test_the_densest_indexed_text_stays_far_below_the_tsvector_limit(admin_user):
    # Single-character words, each distinct: the most lexemes per character there can be.
    ideographs = [*range(0x4E00, 0xA000), *range(0x20000, 0x2A6E0)]  # no surrogates between
    text = " ".join(map(chr, ideographs[: SEARCH_TEXT_CHARS // 2]))
    article = make_article("Mots\n\n" + text, by=admin_user)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(search) FROM articles_article WHERE id = %s", [article.id]
        )
        (size,) = cursor.fetchone()
    assert size < 1024 * 1024 // 2
