"""Scenario 1, ingest: `import_articles` on N plain-text files, against COPY of its rows.

The command runs in a child process (bench.import_timed) on files written to a temporary
folder; its time excludes only the interpreter and Django start-up, reported apart. The
floor copies the very rows the command wrote (source files, articles, sentences) with
COPY FROM STDIN into tables made LIKE the app's, with the same indexes, checks and the
generated full-text column, in one transaction.
"""

import json
import tempfile
import time
from pathlib import Path

from django.db import connection
from django.db.models import Count, Sum

from annotator.articles.models import Article, Sentence, SourceFile

from . import corpus, db
from .server import CpuMonitor


def floor_tables():
    """{table: columns} of the rows import_articles writes, read from the models.

    Generated columns are left out: the look-alike tables compute them, as the app's do.
    """
    quote = connection.ops.quote_name
    return {
        model._meta.db_table: [
            quote(f.column) for f in model._meta.concrete_fields if not f.generated
        ]
        for model in (SourceFile, Article, Sentence)
    }


def write_corpus(folder, n, seed):
    total_words = 0
    for name, text in corpus.articles(n, seed=seed):
        (folder / name).write_text(text, encoding="utf-8")
        total_words += corpus.words(text)
    return total_words


def import_timed(env, *args):
    """bench.import_timed in a child process; the figures it prints last, as JSON."""
    result = db.python(env, "-m", "bench.import_timed", *args)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(env, n, seed, uploader, *, profile=None):
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        folder = Path(tmp)
        words = write_corpus(folder, n, seed)
        extra = ["--profile", str(profile)] if profile else []
        started = time.perf_counter()
        with CpuMonitor(db.name()) as cpu:
            timed = import_timed(env, str(folder), "--user", uploader, *extra)
        wall = time.perf_counter() - started
    stored = Article.objects.aggregate(articles=Count("pk"), sentences=Sum("sentence_count"))
    articles, sentences = stored["articles"], stored["sentences"] or 0
    if articles != n:
        raise RuntimeError(f"import_articles stored {articles} articles, not {n}: {timed}")
    seconds = timed["seconds"]
    floor = copy_floor()
    return {
        "articles": articles,
        "sentences": sentences,
        "words": words,
        "seconds": round(seconds, 3),
        "wall_seconds_with_startup": round(wall, 3),
        "articles_per_s": round(articles / seconds, 1),
        "sentences_per_s": round(sentences / seconds, 1),
        "report": timed["report"],
        "cpu": cpu.result,
        "floor": floor,
        "floor_articles_per_s": round(articles / floor["seconds"], 1),
        "floor_sentences_per_s": round(sentences / floor["seconds"], 1),
    }


def copy_floor():
    """COPY the command's rows again, into look-alike tables; seconds for the three COPYs."""
    raw = connection.cursor().cursor
    tables = floor_tables()
    dumps = {}
    for table, columns in tables.items():
        buffer = bytearray()
        with raw.copy(
            f"COPY (SELECT {', '.join(columns)} FROM {table} ORDER BY id) TO STDOUT (FORMAT binary)"
        ) as copy:
            for block in copy:
                buffer += block
        dumps[table] = bytes(buffer)
    raw.execute("DROP SCHEMA IF EXISTS bench_floor CASCADE")
    raw.execute("CREATE SCHEMA bench_floor")
    for table in tables:
        # INCLUDING ALL: defaults, checks, indexes (the GIN index too), generated columns.
        raw.execute(f"CREATE TABLE bench_floor.{table} (LIKE public.{table} INCLUDING ALL)")
    started = time.perf_counter()
    with raw.connection.transaction():
        for table, columns in tables.items():
            with raw.copy(
                f"COPY bench_floor.{table} ({', '.join(columns)}) FROM STDIN (FORMAT binary)"
            ) as copy:
                copy.write(dumps[table])
    seconds = time.perf_counter() - started
    raw.execute("DROP SCHEMA bench_floor CASCADE")
    return {"seconds": round(seconds, 3), "bytes": sum(len(d) for d in dumps.values())}
