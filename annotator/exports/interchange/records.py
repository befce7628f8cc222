"""The export side of interchange: one record per analyst and article, streamed.

doccano and Label Studio both think in documents with their spans, so each record is one
assignment (one analyst's work on one article) with the spans the filters select, in text
order. Rows come from psycopg's `stream()` (single-row mode), so memory stays flat.
"""

from dataclasses import dataclass

from psycopg import sql

from ..selection import FROM, as_string, raw_connection, where


@dataclass
class Record:
    article_id: int
    title: str
    source: str
    url: str
    published_at: str | None
    text: str
    annotator: str
    spans: list  # [(span_id, start, end, label)], code points

    def metadata(self):
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published_at": self.published_at,
            "annotator": self.annotator,
            "article_id": self.article_id,
        }


def _query(spans):
    # Group the selected spans by assignment first (narrow rows), then fetch each group's
    # article and analyst by key: article texts are never sorted or aggregated.
    return sql.SQL(
        """
        SELECT g.article_id, a.title, a.source, a.url, to_char(a.published_at, 'YYYY-MM-DD'),
               a.text, u.username, g.spans
        FROM (
            SELECT asg.id AS assignment_id, sp.article_id, sp.annotator_id,
                   json_agg(json_build_array(sp.id, sp.start, sp."end", l.name)
                            ORDER BY sp.start, sp."end", sp.id) AS spans
            {from_} {where}
            GROUP BY asg.id, sp.article_id, sp.annotator_id
            ORDER BY sp.article_id, asg.id
        ) g
        CROSS JOIN LATERAL (SELECT a.title, a.source, a.url, a.published_at, a.text
                            FROM articles_article a WHERE a.id = g.article_id LIMIT 1) a
        CROSS JOIN LATERAL (SELECT u.username FROM auth_user u
                            WHERE u.id = g.annotator_id LIMIT 1) u
        ORDER BY g.article_id, g.assignment_id
        """
    ).format(from_=FROM, where=where(spans))


def records(spans):
    """Yield a Record per assignment holding at least one selected span."""
    with raw_connection().cursor() as cursor:
        for row in cursor.stream(as_string(_query(spans))):
            *fields, span_rows = row
            yield Record(*fields, spans=[tuple(span) for span in span_rows])
