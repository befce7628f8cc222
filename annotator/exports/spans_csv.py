"""The CSV of labelled spans, written by PostgreSQL's COPY and streamed block by block.

One query, one pass: PostgreSQL does the joins, the quoting (RFC 4180) and, for web
downloads, the formula escape; Python only forwards bytes. Memory stays flat whatever the
number of rows. The web view and `manage.py export_spans` both call `csv_chunks`, so they
give the same bytes.

Columns are documented in the README; new ones go at the end, never in between. After the
fixed COLUMNS come the span's values: one typed column per attribute of the exported labels
(value_fields: "casualty_figure.min"), then `attributes`, all of them as JSON.
"""

from collections.abc import Iterator
from typing import Any

from psycopg import sql

from annotator.annotations.attributes import AttributeType

from .dialects import BOM, FORMULA_TRIGGERS, Dialect
from .selection import GOLD, SpanFilter, compiled, export_cursor, raw_connection
from .value_fields import ValueField, value_fields

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
VALUES_COLUMN = "attributes"
# Which spans the file holds: "analysts" (their reviewed work) or "gold" (gold versions).
ORIGIN_COLUMN = "source"

# The span's values as JSON, as Python's json.dumps(values, sort_keys=True,
# ensure_ascii=False, separators=(",", ":")) writes them: jsonb's own text has spaces and
# orders keys by length. Keys in code-point order (COLLATE "C"); objects nest one level at
# most (a text reference) and hold scalars, whose jsonb text is compact.
_VALUES_JSON = """coalesce((
    SELECT '{' || string_agg(
        to_json(e.key)::text || ':' || CASE jsonb_typeof(e.value)
            WHEN 'object' THEN coalesce((
                SELECT '{' || string_agg(to_json(f.key)::text || ':' || f.value::text, ','
                                         ORDER BY f.key COLLATE "C") || '}'
                FROM jsonb_each(e.value) f), '{}')
            ELSE e.value::text END,
        ',' ORDER BY e.key COLLATE "C") || '}'
    FROM jsonb_each(sp.attributes) e), '{}')"""
# Free text, escaped as the fixed columns' free text is.
_FREE_TEXT_TYPES = (AttributeType.TEXT, AttributeType.TEXT_REFERENCE)


def columns(fields: list[ValueField]) -> list[str]:
    """The CSV's columns for an export of these value fields."""
    return [*COLUMNS, *(field.name for field in fields), VALUES_COLUMN, ORIGIN_COLUMN]


def exported_fields(spans: SpanFilter) -> list[ValueField]:
    """The value fields of the labels the filter selects (all labels when it names none)."""
    return value_fields(spans.label_ids)


def _typed_value(field: ValueField) -> sql.Composable:
    """The field's cell: the value as text on a span of its label; NULL (an empty cell) on
    other labels' spans, when not filled in, or marked unknown (JSON null)."""
    value = sql.SQL("sp.attributes -> {}").format(sql.Literal(field.attribute.key))
    if field.attribute.type == AttributeType.TEXT_REFERENCE:
        # {"text", "start", "end"}: its words (the offsets are in the JSON column).
        cell = sql.SQL(
            "CASE jsonb_typeof({v}) WHEN 'object' THEN {v} ->> 'text' "
            "WHEN 'string' THEN {v} #>> '{{}}' END"
        ).format(v=value)
    else:
        json_types = {AttributeType.INTEGER: "number", AttributeType.BOOLEAN: "boolean"}
        json_type = json_types.get(AttributeType(field.attribute.type), "string")
        # A number's jsonb text is plain digits (integers only are stored); a boolean's is
        # true or false; a string's (a choice's key, a text) is the string itself.
        cell = sql.SQL("CASE WHEN jsonb_typeof({v}) = {t} THEN {v} #>> '{{}}' END").format(
            v=value, t=sql.Literal(json_type)
        )
    return sql.SQL("CASE WHEN sp.label_id = {label} THEN {cell} END").format(
        label=sql.Literal(field.label.pk), cell=cell
    )


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
    "attributes",
]
_EACH_ROW = """
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
"""
# original_label: the analyst's own latest label (on this span, or on the span a reviewer's
# correction replaces), shown only where a reviewer changed it. A gold span has none.
_ORIGINAL_LABEL = """
    LEFT JOIN LATERAL (SELECT ol.name FROM annotations_spanevent e
                       JOIN annotations_label ol ON ol.id = e.label_after_id
                       WHERE e.span_id IN (sp.id, sp.corrects_id)
                         AND e.actor_id = sp.annotator_id
                       ORDER BY e.id DESC
                       LIMIT 1) ol ON ol.name <> l.name
"""
_LOOKUPS = sql.SQL(_EACH_ROW + _ORIGINAL_LABEL)
_GOLD_LOOKUPS = sql.SQL(
    _EACH_ROW + "    LEFT JOIN LATERAL (SELECT NULL::text AS name) ol ON false\n"
)


def select_query(
    spans: SpanFilter, *, exact: bool, fields: list[ValueField] | None = None
) -> tuple[sql.Composed, tuple[Any, ...]]:
    """The SELECT behind the CSV and its parameters; with exact=False, free-text cells get
    the formula escape. `fields`: the typed columns (by default, exported_fields)."""
    if fields is None:
        fields = exported_fields(spans)
    triggers = sql.Literal(list(FORMULA_TRIGGERS))

    def escaped(value: sql.Composable) -> sql.Composable:
        if exact:
            return value
        return sql.SQL(
            "CASE WHEN left({v}, 1) = ANY({t}::text[]) THEN '''' || {v} ELSE {v} END"
        ).format(v=value, t=triggers)

    selected: list[sql.Composable] = []
    for name, expression, free_text in _SELECT:
        value: sql.Composable = sql.SQL(expression)
        value = escaped(value) if free_text else value
        selected.append(sql.SQL("{} AS {}").format(value, sql.Identifier(name)))
    for field in fields:
        value = _typed_value(field)
        value = escaped(value) if field.attribute.type in _FREE_TEXT_TYPES else value
        selected.append(sql.SQL("{} AS {}").format(value, sql.Identifier(field.name)))
    # It always starts with "{", which no spreadsheet reads as a formula: never escaped.
    selected.append(
        sql.SQL("{} AS {}").format(sql.SQL(_VALUES_JSON), sql.Identifier(VALUES_COLUMN))
    )
    # Which spans these are, last (a column added after the others).
    selected.append(
        sql.SQL("{} AS {}").format(sql.Literal(spans.origin), sql.Identifier(ORIGIN_COLUMN))
    )
    spans_sql, params = compiled(spans.rows().order_by("id").values(*_SPAN_FIELDS))
    # A gold span has no analyst's label of its own to show (and its id is not a span's).
    lookups = _LOOKUPS if spans.origin != GOLD else _GOLD_LOOKUPS
    query = sql.SQL("SELECT {columns} FROM ({spans}) sp {lookups} ORDER BY sp.id").format(
        columns=sql.SQL(", ").join(selected), spans=sql.SQL(spans_sql), lookups=lookups
    )
    return query, params


def copy_statement(
    spans: SpanFilter,
    dialect: Dialect,
    *,
    exact: bool,
    header: bool = True,
    fields: list[ValueField] | None = None,
) -> tuple[str, tuple[Any, ...]]:
    """COPY (the CSV's SELECT) TO STDOUT, as a string, and its parameters."""
    query, params = select_query(spans, exact=exact, fields=fields)
    options = sql.SQL("FORMAT csv, HEADER" if header else "FORMAT csv")
    statement = sql.SQL("COPY ({}) TO STDOUT WITH ({}, DELIMITER {})").format(
        query, options, sql.Literal(dialect.delimiter)
    )
    return statement.as_string(raw_connection()), params


def header_line(dialect: Dialect, fields: list[ValueField]) -> bytes:
    """The header COPY would write: the column names need no quoting (slugs, keys, ".")."""
    return (dialect.delimiter.join(columns(fields)) + "\n").encode()


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
    # One list of fields for the header and the rows, whatever an admin changes meanwhile.
    fields = exported_fields(spans)
    yield (BOM if dialect.bom else b"") + header_line(dialect, fields)
    statement, params = copy_statement(spans, dialect, exact=exact, header=False, fields=fields)
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
