import pytest

from annotator.articles.models import sentence_bounds
from tests.factories import make_article


@pytest.mark.django_db
def test_sentence_bounds_are_read_once_per_article(admin_user, django_assert_num_queries):
    article = make_article("Première phrase. M. Roussel parle. Fin.", by=admin_user)
    expected = list(article.sentences.order_by("index").values_list("index", "start", "end"))
    with django_assert_num_queries(1):
        assert [tuple(b) for b in sentence_bounds(article)] == expected
    with django_assert_num_queries(0):  # sentences cannot change, so the bounds are kept
        assert [tuple(b) for b in sentence_bounds(article)] == expected
    other = make_article(
        "Une autre phrase, plus longue que la première. Et une de plus.", by=admin_user
    )
    assert len(sentence_bounds(other)) == 2 and sentence_bounds(other)[0].end > expected[0][2]


@pytest.mark.django_db
def test_sentences_are_ordered_by_column_without_joining_the_article_table(admin_user):
    article = make_article("Première phrase. Deuxième phrase.", by=admin_user)
    sql = str(article.sentences.all().query)
    assert "articles_article" not in sql
    assert sql.endswith(
        'ORDER BY "articles_sentence"."article_id" ASC, "articles_sentence"."index" ASC'
    )
