"""Time the CSV export against PostgreSQL's own COPY of the same query, in the same run.

    from annotator.exports.benchmark import measure
    measure(1_000_000)   # {"spans": ..., "copy_s": ..., "export_s": ..., "ratio": ..., ...}

Everything happens in one transaction that is rolled back: the synthetic articles, spans
and users never become visible to anyone and leave nothing behind. The baseline reads
`COPY (query) TO STDOUT WITH (FORMAT csv, HEADER)` straight from psycopg and throws the
bytes away; the export runs `spans_csv.csv_chunks` (what the web view streams) the same
way. Memory is the peak of Python allocations during the export (tracemalloc, in a second
pass, since tracing slows Python down) and the process's resident high-water mark.
"""

import resource
import time
import tracemalloc

from django.db import connection, transaction

from annotator.articles.segmentation import split_sentences

from . import spans_csv
from .dialects import STANDARD
from .selection import SpanFilter, as_string, raw_connection

SPANS_PER_ARTICLE = 20
BODY = (
    "« Il faut agir », a déclaré la ministre devant l’Assemblée. Selon l’ONU, -213 morts "
    'ont été recensés après la crue. =HYPERLINK("x") circulait ; +33 6 12 34 56 78 '
    "appelait @témoins à se signaler. Les secours, mobilisés depuis mardi, poursuivent "
    "leurs recherches. Le préfet a promis une enquête. "
) * 12  # about 4 KB, like a news article: stored compressed (TOAST), as real ones are


class _Rollback(Exception):
    pass


def measure(n_spans=1_000_000):
    """Seed `n_spans` approved spans, time both exports, roll everything back."""
    result = {}
    try:
        with transaction.atomic():
            label_id = _seed(n_spans)
            spans = SpanFilter(label_ids=(label_id,))
            result = {"spans": n_spans, **_time_both(spans)}
            result.update(_memory(spans))
            raise _Rollback
    except _Rollback:
        pass
    result["ratio"] = round(result["export_s"] / result["copy_s"], 3)
    return result


def _article_text(number):
    return f"Dépêche {number:07d}. " + BODY


def _seed(n_spans):
    """Users, a label, articles with their sentences, approved assignments and spans."""
    n_articles = max(1, n_spans // SPANS_PER_ARTICLE)
    sample = _article_text(0)
    sentences = split_sentences(sample)
    # Spans: the first word of each of the first SPANS_PER_ARTICLE sentences.
    picks = [(s, s + len(sample[s:e].split(" ", 1)[0])) for s, e in sentences][:SPANS_PER_ARTICLE]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, "
            "first_name, last_name, email, date_joined) VALUES "
            "('bench-analyst', '!', false, false, true, '', '', '', now()), "
            "('bench-reviewer', '!', false, false, true, '', '', '', now()) RETURNING id"
        )
        analyst, reviewer = (row[0] for row in cursor.fetchall())
        cursor.execute(
            'INSERT INTO annotations_label (name, description, color, key, "order", is_active) '
            "VALUES ('bench label', '', 1, '9', 99, false) RETURNING id"
        )
        label_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO articles_sourcefile (name, sha256, content, size, uploaded_by_id, "
            "uploaded_at) VALUES ('bench', repeat('0', 64), '', 0, %s, now()) RETURNING id",
            [analyst],
        )
        source_file = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO articles_article (title, source, url, published_at, language, text,
                text_sha256, removed_lines, source_file_id, uploaded_by_id, sentence_count,
                created_at, updated_at)
            SELECT 'Dépêche ' || n, 'Bench', '', date '2024-01-01' + (n %% 365), 'fr', t,
                   encode(sha256(convert_to(t, 'UTF8')), 'hex'), '[]', %s, %s, %s, now(), now()
            FROM generate_series(1, %s) AS n,
                 LATERAL (SELECT 'Dépêche ' || lpad(n::text, 7, '0') || '. ' || %s AS t) AS x
            """,
            [source_file, analyst, len(sentences), n_articles, BODY],
        )
        cursor.execute(
            """
            INSERT INTO articles_sentence (article_id, index, start, "end")
            SELECT a.id, s.i, s.st, s.en FROM articles_article a,
                   unnest(%s::int[], %s::int[], %s::int[]) AS s(i, st, en)
            WHERE a.source_file_id = %s
            """,
            [
                list(range(len(sentences))),
                [s for s, _ in sentences],
                [e for _, e in sentences],
                source_file,
            ],
        )
        cursor.execute(
            """
            INSERT INTO annotations_assignment (article_id, analyst_id, status, created_at,
                submitted_at, reviewed_by_id, reviewed_at, return_comment)
            SELECT id, %s, 'approved', now(), now(), %s, now(), '' FROM articles_article
            WHERE source_file_id = %s
            """,
            [analyst, reviewer, source_file],
        )
        cursor.execute(
            """
            INSERT INTO annotations_span (assignment_id, article_id, annotator_id, label_id,
                start, "end", text, status, reviewed_by_id, reviewed_at, reject_reason,
                created_at, updated_at)
            SELECT asg.id, a.id, %s, %s, p.st, p.en, substr(a.text, p.st + 1, p.en - p.st),
                   'approved', %s, now(), '', now(), now()
            FROM annotations_assignment asg JOIN articles_article a ON a.id = asg.article_id,
                 unnest(%s::int[], %s::int[]) AS p(st, en)
            WHERE a.source_file_id = %s
            """,
            [
                analyst,
                label_id,
                reviewer,
                [s for s, _ in picks],
                [e for _, e in picks],
                source_file,
            ],
        )
        cursor.execute("ANALYZE annotations_span")
    return label_id


def _time_both(spans, rounds=2):
    """Best of `rounds` for each, alternating, so neither gets all the warm caches."""
    statement = as_string(spans_csv.copy_statement(spans, STANDARD, exact=False))
    copy_times, export_times, first_rows = [], [], []
    for _round in range(rounds):
        started = time.perf_counter()
        copied = 0
        with raw_connection().cursor() as cursor, cursor.copy(statement) as copy:
            for block in copy:
                copied += len(block)
        copy_times.append(time.perf_counter() - started)

        started = time.perf_counter()
        chunks = spans_csv.csv_chunks(spans, STANDARD, exact=False)
        exported = len(next(chunks)) + len(next(chunks))  # the header, then the first rows
        first_rows.append(time.perf_counter() - started)
        for chunk in chunks:
            exported += len(chunk)
        export_times.append(time.perf_counter() - started)
    return {
        "copy_s": round(min(copy_times), 3),
        "export_s": round(min(export_times), 3),
        "first_rows_s": round(min(first_rows), 3),
        "bytes": exported,
        "same_bytes_as_copy": exported == copied,
    }


def _memory(spans):
    tracemalloc.start()
    for _chunk in spans_csv.csv_chunks(spans, STANDARD, exact=False):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "python_peak_bytes": peak,
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
