"""Which spans an export contains: one SQL WHERE clause shared by every format and the count.

Whatever the filters say, an export only ever holds live spans (never deleted ones) of work
its analyst has handed in: assignments that are submitted or approved. Spans of work still
in progress or returned to the analyst are drafts, and no filter reaches them.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from psycopg import sql

EXPORTABLE_ASSIGNMENTS = ("submitted", "approved")

# Every export query starts here; `sp` is the span, `asg` its assignment, `a` its article,
# `l` its label, `u` its annotator.
FROM = sql.SQL(
    """
    FROM annotations_span sp
    JOIN annotations_assignment asg ON asg.id = sp.assignment_id
    JOIN articles_article a ON a.id = sp.article_id
    JOIN annotations_label l ON l.id = sp.label_id
    JOIN auth_user u ON u.id = sp.annotator_id
    """
)


@dataclass(frozen=True)
class SpanFilter:
    statuses: tuple[str, ...] = ("approved",)
    label_ids: tuple[int, ...] = ()
    analyst_ids: tuple[int, ...] = ()
    source: str = ""
    published_from: date | None = None
    published_to: date | None = None
    article_ids: tuple[int, ...] = field(default=())


def where(spans):
    """The WHERE clause for `spans` (a SpanFilter), values quoted by psycopg."""
    lit = sql.Literal
    clauses = [
        sql.SQL("sp.deleted_at IS NULL"),
        sql.SQL("asg.status = ANY({}::text[])").format(lit(list(EXPORTABLE_ASSIGNMENTS))),
        sql.SQL("sp.status = ANY({}::text[])").format(lit(list(spans.statuses))),
    ]
    if spans.label_ids:
        clauses.append(
            sql.SQL("sp.label_id = ANY({}::bigint[])").format(lit(list(spans.label_ids)))
        )
    if spans.analyst_ids:
        clauses.append(
            sql.SQL("sp.annotator_id = ANY({}::bigint[])").format(lit(list(spans.analyst_ids)))
        )
    if spans.source:
        clauses.append(sql.SQL("lower(a.source) = lower({})").format(lit(spans.source)))
    if spans.published_from:
        clauses.append(sql.SQL("a.published_at >= {}").format(lit(spans.published_from)))
    if spans.published_to:
        clauses.append(sql.SQL("a.published_at <= {}").format(lit(spans.published_to)))
    if spans.article_ids:
        clauses.append(
            sql.SQL("sp.article_id = ANY({}::bigint[])").format(lit(list(spans.article_ids)))
        )
    return sql.SQL("WHERE ") + sql.SQL(" AND ").join(clauses)


def raw_connection():
    """Django's own psycopg connection (same transaction, same settings)."""
    connection.ensure_connection()
    return connection.connection


def as_string(query):
    return query.as_string(raw_connection())


def count(spans):
    """(spans, records): CSV rows, and JSONL lines / Label Studio tasks (one per assignment)."""
    query = sql.SQL("SELECT count(*), count(DISTINCT sp.assignment_id) {} {}").format(
        FROM, where(spans)
    )
    with connection.cursor() as cursor:
        cursor.execute(as_string(query))
        return cursor.fetchone()
