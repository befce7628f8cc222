"""The export side of interchange: one record per analyst and article, streamed.

doccano and Label Studio both think in documents with their spans, so each record is one
assignment (one analyst's work on one article) with the spans the filters select, in text
order. Rows come from psycopg's `stream()` (single-row mode), so memory stays flat.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Aggregate, F, Func, JSONField
from psycopg import sql

from ..selection import SpanFilter, compiled, export_cursor


class SpanOut(NamedTuple):
    id: int
    start: int  # code points
    end: int
    label: str  # its name
    label_id: int
    values: dict[str, Any]  # Span.attributes, as stored


@dataclass
class Record:
    article_id: int
    title: str
    source: str
    url: str
    published_at: str | None
    text: str
    annotator: str
    spans: list[SpanOut]  # in text order

    def metadata(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published_at": self.published_at,
            "annotator": self.annotator,
            "article_id": self.article_id,
        }


class JSONAgg(Aggregate):
    """json_agg, not jsonb_agg: json arrives parsed from psycopg (Django reads jsonb as text)
    and keeps no jsonb conversion in the way."""

    function = "JSON_AGG"
    allow_order_by = True
    output_field = JSONField()


def _query(spans: SpanFilter) -> tuple[sql.Composed, tuple[Any, ...]]:
    # Group the selected spans by assignment first (narrow rows), then fetch each group's
    # article and analyst by key: article texts are never sorted or aggregated.
    groups = (
        spans.rows()
        .values("assignment_id", "article_id", "annotator_id")
        .annotate(
            spans=JSONAgg(
                Func(
                    F("id"),
                    F("start"),
                    F("end"),
                    F("label__name"),
                    F("label_id"),
                    F("attributes"),
                    function="json_build_array",
                ),
                order_by=("start", "end", "id"),
            )
        )
        .order_by("article_id", "assignment_id")
    )
    grouped, params = compiled(groups)
    query = sql.SQL(
        """
        SELECT g.article_id, a.title, a.source, a.url, to_char(a.published_at, 'YYYY-MM-DD'),
               a.text, u.username, g.spans
        FROM ({grouped}) g
        CROSS JOIN LATERAL (SELECT a.title, a.source, a.url, a.published_at, a.text
                            FROM articles_article a WHERE a.id = g.article_id LIMIT 1) a
        CROSS JOIN LATERAL (SELECT u.username FROM auth_user u
                            WHERE u.id = g.annotator_id LIMIT 1) u
        ORDER BY g.article_id, g.assignment_id
        """
    ).format(grouped=sql.SQL(grouped))  # Django's compiled SQL; values travel in params
    return query, params


def records(spans: SpanFilter) -> Iterator[Record]:
    """Yield a Record per assignment holding at least one selected span."""
    query, params = _query(spans)
    with export_cursor() as cursor:
        for row in cursor.stream(query, params):
            article_id, title, source, url, published_at, text, annotator, span_rows = row
            yield Record(
                article_id,
                title,
                source,
                url,
                published_at,
                text,
                annotator,
                spans=[SpanOut(*span) for span in span_rows],
            )
