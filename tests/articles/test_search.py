"""Article.objects.search: French stemming, accents and case ignored, the GIN index used."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from annotator.articles.models import Article
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
    latest = executor.loader.graph.leaf_nodes("articles")
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
