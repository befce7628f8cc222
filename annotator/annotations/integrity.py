"""Promises about the stored data that can be checked at any time with plain SQL.

The test suite checks them after every test that touches the database, and `make soak`
after its fault run. Each query counts the rows that break the promise.
"""

from django.db import connection

INVARIANTS = {
    "a span's text differs from its article's text[start:end]": """
        SELECT count(*) FROM annotations_span s JOIN articles_article a ON a.id = s.article_id
        WHERE s.text IS DISTINCT FROM substr(a.text, s.start + 1, s."end" - s.start)
           OR s."end" > char_length(a.text)""",
    "a span has no creation event in its history": """
        SELECT count(*) FROM annotations_span s WHERE NOT EXISTS (
            SELECT 1 FROM annotations_spanevent e WHERE e.span_id = s.id AND e.kind = 'created')""",
    "a reviewer holds more than one live claim": """
        SELECT count(*) FROM (SELECT claimed_by_id FROM annotations_assignment
            WHERE claimed_by_id IS NOT NULL AND claim_expires_at > now()
            GROUP BY claimed_by_id HAVING count(*) > 1) AS doubles""",
    "an article's sentence count disagrees with its sentences": """
        SELECT count(*) FROM articles_article a WHERE a.sentence_count <>
            (SELECT count(*) FROM articles_sentence s WHERE s.article_id = a.id)""",
}


def broken_invariants():
    """{promise: number of rows breaking it}, empty when all hold."""
    broken = {}
    with connection.cursor() as cursor:
        for rule, sql in INVARIANTS.items():
            cursor.execute(sql)
            if count := cursor.fetchone()[0]:
                broken[rule] = count
    return broken
