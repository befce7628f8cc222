"""The CSV of labelled spans, written by PostgreSQL's COPY and streamed block by block.

One query, one pass: PostgreSQL does the joins, the quoting (RFC 4180) and, for web
downloads, the formula escape; Python only forwards bytes. Memory stays flat whatever the
number of rows. The web view and `manage.py export_spans` both call `csv_chunks`, so they
give the same bytes.

Columns are documented in the README; new ones go at the end, never in between.
"""

from collections.abc import Iterator
from typing import Any

from psycopg import sql

from .dialects import BOM, FORMULA_TRIGGERS, Dialect
from .selection import SpanFilter, compiled, export_cursor, raw_connection

UTC_ISO = '\'YYYY-MM-DD"T"HH24:MI:SS"Z"\''

# (column, SQL expression, holds free text that may need the formula escape)
_SELECT = [
    ("span_id", "sp.id", False),
    ("article_id", "sp.article_id", False),
    ("article_title", "a.title", True),
    ("article_source", "a.source", True),
    ("article_url", "a.url", True),
    ("article_published_at", "to_char(a.published_at, 'YYYY-MM-DD')", False),
    ("label", "l.name", True),
    ("start", "sp.start", False),
    ("end", 'sp."end"', False),
    # The database guarantees span.text = article.text[start:end] (a trigger checks it).
    ("text", "sp.text", True),
    ("sentence_index", "s.index", False),
    ("sentence_text", 'substr(a.text, s.start + 1, s."end" - s.start)', True),
    ("annotator", "u.username", True),
    ("status", "sp.status", True),
    ("reviewer", "r.username", True),
    ("reviewed_at", f"to_char(sp.reviewed_at AT TIME ZONE 'UTC', {UTC_ISO})", False),
    ("created_at", f"to_char(sp.created_at AT TIME ZONE 'UTC', {UTC_ISO})", False),
    ("review_reason", "sp.reject_reason", True),
    ("original_label", "coalesce(ol.name, '')", True),
]
# The README documents this order; tests/exports pin it.
COLUMNS = [name for name, _, _ in _SELECT]

# First the selected spans alone (selection.SpanFilter), narrow rows sorted by id; then,
# row by row in that order, their article, label, people and sentence, each looked up by
# key (LATERAL ... LIMIT 1 keeps these nested loops, which keep the order). So the sort
# never carries article texts, however long, and nothing is hashed or sorted after it.
_SPAN_FIELDS = [
    "id",
    "article_id",
    "label_id",
    "annotator_id",
    "reviewed_by_id",
    "start",
    "end",
    "text",
    "status",
    "reviewed_at",
    "created_at",
    "reject_reason",
    "corrects_id",
]
_LOOKUPS = sql.SQL(
    """
    CROSS JOIN LATERAL (SELECT a.title, a.source, a.url, a.published_at, a.text
                        FROM articles_article a WHERE a.id = sp.article_id LIMIT 1) a
    CROSS JOIN LATERAL (SELECT l.name FROM annotations_label l
                        WHERE l.id = sp.label_id LIMIT 1) l
    CROSS JOIN LATERAL (SELECT u.username FROM auth_user u
                        WHERE u.id = sp.annotator_id LIMIT 1) u
    LEFT JOIN LATERAL (SELECT r.username FROM auth_user r
                       WHERE r.id = sp.reviewed_by_id LIMIT 1) r ON true
    -- The sentence that contains the span's start. Sentences cover every non-blank
    -- character; LEFT JOIN so that a span starting on a blank still gets its row.
    LEFT JOIN LATERAL (SELECT s.index, s.start, s."end" FROM articles_sentence s
                       WHERE s.article_id = sp.article_id
                         AND s.start <= sp.start AND sp.start < s."end"
                       LIMIT 1) s ON true
    -- original_label: the analyst's own latest label (on this span, or on the span a
    -- reviewer's correction replaces), shown only where a reviewer changed it.
    LEFT JOIN LATERAL (SELECT ol.name FROM annotations_spanevent e
                       JOIN annotations_label ol ON ol.id = e.label_after_id
                       WHERE e.span_id IN (sp.id, sp.corrects_id)
                         AND e.actor_id = sp.annotator_id
                       ORDER BY e.id DESC
                       LIMIT 1) ol ON ol.name <> l.name
    """
)


def select_query(spans: SpanFilter, *, exact: bool) -> tuple[sql.Composed, tuple[Any, ...]]:
    """The SELECT behind the CSV and its parameters; with exact=False, free-text cells get
    the formula escape."""
    triggers = sql.Literal(list(FORMULA_TRIGGERS))
    columns = []
    for name, expression, free_text in _SELECT:
        value: sql.Composable = sql.SQL(expression)
        if free_text and not exact:
            value = sql.SQL(
                "CASE WHEN left({v}, 1) = ANY({t}::text[]) THEN '''' || {v} ELSE {v} END"
            ).format(v=sql.SQL(expression), t=triggers)
        columns.append(sql.SQL("{} AS {}").format(value, sql.Identifier(name)))
    selected, params = compiled(spans.spans().order_by("id").values(*_SPAN_FIELDS))
    query = sql.SQL("SELECT {columns} FROM ({spans}) sp {lookups} ORDER BY sp.id").format(
        columns=sql.SQL(", ").join(columns), spans=sql.SQL(selected), lookups=_LOOKUPS
    )
    return query, params


def copy_statement(
    spans: SpanFilter, dialect: Dialect, *, exact: bool, header: bool = True
) -> tuple[str, tuple[Any, ...]]:
    """COPY (the CSV's SELECT) TO STDOUT, as a string, and its parameters."""
    query, params = select_query(spans, exact=exact)
    options = sql.SQL("FORMAT csv, HEADER" if header else "FORMAT csv")
    statement = sql.SQL("COPY ({}) TO STDOUT WITH ({}, DELIMITER {})").format(
        query, options, sql.Literal(dialect.delimiter)
    )
    return statement.as_string(raw_connection()), params


def header_line(dialect: Dialect) -> bytes:
    """The header COPY would write: the column names need no quoting."""
    return (dialect.delimiter.join(COLUMNS) + "\n").encode()


CHUNK_BYTES = 64 * 1024


def csv_chunks(
    spans: SpanFilter,
    dialect: Dialect,
    *,
    exact: bool = False,
    counter: dict[str, int] | None = None,
) -> Iterator[bytes]:
    """Yield the CSV as byte chunks of about CHUNK_BYTES.

    The header line goes first, before PostgreSQL has sorted anything, so that the response
    starts at once. libpq then hands COPY data over one row at a time; rows are gathered
    into chunks so that a WSGI server writes a few large blocks rather than a million small
    ones. If the consumer stops early (a client hung up), closing the generator cancels the
    COPY on the server. `counter`, a dict, receives the number of rows written under "rows"
    once COPY is done.
    """
    yield (BOM if dialect.bom else b"") + header_line(dialect)
    statement, params = copy_statement(spans, dialect, exact=exact, header=False)
    buffer = bytearray()
    with export_cursor() as cursor:
        with cursor.copy(statement, params) as copy:
            for block in copy:
                buffer += block
                if len(buffer) >= CHUNK_BYTES:
                    yield bytes(buffer)
                    buffer.clear()
        if counter is not None:
            counter["rows"] = cursor.rowcount
        if buffer:
            yield bytes(buffer)
