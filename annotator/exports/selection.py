"""Which spans an export contains: one QuerySet shared by every format, the count and the log.

Whatever the filters say, an export only ever holds live spans of handed-in work
(Span.objects.handed_in(): submitted or approved assignments); drafts are never reached.
The formats stream from SQL that PostgreSQL runs as one statement; this QuerySet, compiled
by Django, is where that SQL starts, so the rules are written once.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, F, QuerySet, Value
from psycopg import sql

from annotator.agreement.models import Curation, GoldSpan
from annotator.annotations.models import Span, SpanQuerySet

ANALYSTS, GOLD = "analysts", "gold"


@dataclass(frozen=True)
class SpanFilter:
    statuses: tuple[str, ...] = (Span.Status.APPROVED,)
    label_ids: tuple[int, ...] = ()
    analyst_ids: tuple[int, ...] = ()
    source: str = ""
    published_from: date | None = None
    published_to: date | None = None
    article_ids: tuple[int, ...] = field(default=())
    # ANALYSTS: the analysts' spans (the filters above); GOLD: the gold spans of finished
    # gold versions (the statuses and the analysts do not apply to them).
    origin: str = "analysts"

    def spans(self) -> SpanQuerySet:
        spans = Span.objects.handed_in().filter(status__in=self.statuses)
        if self.label_ids:
            spans = spans.filter(label_id__in=self.label_ids)
        if self.analyst_ids:
            spans = spans.filter(annotator_id__in=self.analyst_ids)
        if self.source:
            spans = spans.filter(article__source__iexact=self.source)
        if self.published_from:
            spans = spans.filter(article__published_at__gte=self.published_from)
        if self.published_to:
            spans = spans.filter(article__published_at__lte=self.published_to)
        if self.article_ids:
            spans = spans.filter(article_id__in=self.article_ids)
        return spans

    def gold_spans(self) -> QuerySet[GoldSpan]:
        gold = GoldSpan.objects.live().filter(curation__status=Curation.Status.FINISHED)
        if self.label_ids:
            gold = gold.filter(label_id__in=self.label_ids)
        if self.source:
            gold = gold.filter(article__source__iexact=self.source)
        if self.published_from:
            gold = gold.filter(article__published_at__gte=self.published_from)
        if self.published_to:
            gold = gold.filter(article__published_at__lte=self.published_to)
        if self.article_ids:
            gold = gold.filter(article_id__in=self.article_ids)
        return gold

    def rows(self) -> QuerySet[Any]:
        """The selected spans with the fields every format reads, whichever their source:
        id, article_id, label_id, annotator_id, reviewed_by_id, start, end, text, status,
        reviewed_at, created_at, reject_reason, corrects_id, attributes, and the record
        they are grouped in (assignment_id: an analyst's assignment, or the gold version).
        A gold span's annotator is its curator; its review, the gold version's finishing."""
        if self.origin != GOLD:
            return self.spans()
        return self.gold_spans().annotate(
            annotator_id=F("adjudicated_by_id"),
            reviewed_by_id=F("curation__finished_by_id"),
            status=Value(GOLD),
            reviewed_at=F("curation__finished_at"),
            reject_reason=Value(""),
            corrects_id=Value(None, output_field=BigIntegerField()),
            assignment_id=F("curation_id"),
        )


def count(spans: SpanFilter) -> tuple[int, int]:
    """(spans, records): CSV rows, and JSONL lines / Label Studio tasks (one per assignment,
    or per gold version and curator)."""
    if spans.origin == GOLD:
        gold = spans.gold_spans()
        groups = gold.values("curation_id", "adjudicated_by_id").distinct().order_by()
        return gold.count(), groups.count()
    figures = spans.spans().aggregate(spans=Count("pk"), records=Count("assignment", distinct=True))
    return figures["spans"], figures["records"]


def with_values(spans: SpanFilter) -> int:
    """How many of the selected spans hold values (attributes): doccano's file cannot."""
    return spans.rows().exclude(attributes={}).count()


def compiled(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    """The SQL Django would run for `queryset`, with its parameters (%s placeholders)."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


@contextmanager
def export_cursor() -> Iterator[psycopg.Cursor[Any]]:
    """A cursor on Django's connection whose statements may run DATABASE_EXPORT_TIMEOUT
    seconds: an export streams for as long as the client takes to download it, longer than
    a page's statement_timeout allows."""
    with raw_connection().cursor() as cursor:
        limit = f"{settings.DATABASE_EXPORT_TIMEOUT}s"
        cursor.execute(sql.SQL("SET statement_timeout = {}").format(sql.Literal(limit)))
        try:
            yield cursor
        finally:
            # Back to the connection's own limit; a transaction the export left aborted
            # (a test's) undoes the SET itself when it rolls back.
            with suppress(psycopg.errors.InFailedSqlTransaction):
                cursor.execute("RESET statement_timeout")


def raw_connection() -> psycopg.Connection[Any]:
    """Django's own psycopg connection (same transaction, same settings).

    Its cursors bind parameters on the client, so COPY and stream() take them too.
    """
    connection.ensure_connection()
    raw: psycopg.Connection[Any] = connection.connection  # the backend is psycopg's
    return raw
