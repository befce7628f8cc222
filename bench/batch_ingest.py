"""A prototype of a faster `import_articles`, measured by the bench; not used by the app.

What it changes against the command (annotator/articles/ingest.py, batch mode):

- `ingest.prepare` (decode, clean, split: pure Python) runs in a child *process*, not a
  thread, so it no longer shares the GIL with the thread that talks to PostgreSQL;
- source files and articles go in with COPY too (the command already COPYs sentences),
  with ids drawn from the identity sequences beforehand, so no INSERT … RETURNING and no
  per-row parameter adaptation;
- batches of 100, not 500, so that preparing and storing overlap from the first batch;
- two batches are stored at once, on two connections: most of the database's work is the
  full-text column (to_tsvector('french', …)), and two backends use both cores for it.

Same rows, same checks: duplicates by text hash (within the batch and against the table)
and source files by content hash, one transaction per batch. A unique violation (another
process, or the other in-flight batch, storing the same text meanwhile) is left out of the
prototype: the app would fall back to its one-by-one path exactly as `ingest.store` does.
"""

import multiprocessing
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.db import connection, transaction

from annotator.articles import ingest

BATCH = 100
# Batches stored at once, each on its own connection (so by its own PostgreSQL backend):
# the full-text column (to_tsvector('french', …)) is most of the database's work.
STORE_THREADS = 2
_USER = None


def _init(user_id):
    global _USER
    from django.contrib.auth import get_user_model

    _USER = get_user_model()(pk=user_id)


def _prepare(path):
    """In the child process: the command's own prepare(), flattened to plain tuples."""
    data = Path(path).read_bytes()
    out = []
    for item in ingest.prepare(str(path), data, _USER):
        if isinstance(item, ingest.Prepared):
            o = item.original
            out.append(
                (
                    o.name,
                    o.sha256,
                    o.content,
                    o.size,
                    item.text,
                    item.text_sha256,
                    item.title,
                    item.source,
                    item.url,
                    item.published_at,
                    item.language,
                    item.removed_lines,
                    item.line,
                    item.sentences,
                )
            )
        else:
            out.append(None)  # a rejection: the prototype's corpus has none
    return out


def _ids(cursor, table, n):
    cursor.execute(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
        [n],
    )
    return [row[0] for row in cursor.fetchall()]


def _store(batch, user_id):
    from psycopg.types.json import Jsonb

    raw = connection.cursor().cursor
    with transaction.atomic():
        hashes = list({row[5] for row in batch})
        raw.execute(
            "SELECT text_sha256 FROM articles_article WHERE text_sha256 = ANY(%s)", [hashes]
        )
        existing = {row[0] for row in raw.fetchall()}
        new = {}
        for row in batch:
            if row[5] not in existing:
                new.setdefault(row[5], row)
        if not new:
            return 0, 0
        originals = {row[1]: row for row in new.values()}
        raw.execute(
            "SELECT sha256, id FROM articles_sourcefile WHERE sha256 = ANY(%s)", [list(originals)]
        )
        file_ids = dict(raw.fetchall())
        missing = [sha for sha in originals if sha not in file_ids]
        for sha, pk in zip(missing, _ids(raw, "articles_sourcefile", len(missing)), strict=True):
            file_ids[sha] = pk
        with raw.copy(
            "COPY articles_sourcefile (id, name, sha256, content, size, "
            "uploaded_by_id, uploaded_at) FROM STDIN"
        ) as copy:
            for sha in missing:
                name, _sha, content, size = originals[sha][:4]
                copy.write_row((file_ids[sha], name, sha, content, size, user_id, "now"))
        article_ids = _ids(raw, "articles_article", len(new))
        sentences = 0
        with raw.copy(
            "COPY articles_article (id, title, source, url, published_at, language, "
            "text, text_sha256, removed_lines, source_file_id, source_line, "
            "uploaded_by_id, sentence_count, created_at, updated_at) "
            "FROM STDIN"
        ) as copy:
            for pk, row in zip(article_ids, new.values(), strict=True):
                (
                    _n,
                    sha,
                    _c,
                    _s,
                    text,
                    text_sha,
                    title,
                    source,
                    url,
                    published,
                    language,
                    removed,
                    line,
                    spans,
                ) = row
                copy.write_row(
                    (
                        pk,
                        title,
                        source,
                        url,
                        published,
                        language,
                        text,
                        text_sha,
                        Jsonb(removed),
                        file_ids[sha],
                        line,
                        user_id,
                        len(spans),
                        "now",
                        "now",
                    )
                )
        with raw.copy(
            'COPY articles_sentence (article_id, "index", start, "end") FROM STDIN'
        ) as copy:
            for pk, row in zip(article_ids, new.values(), strict=True):
                for index, (start, end) in enumerate(row[13]):
                    copy.write_row((pk, index, start, end))
                    sentences += 1
        return len(new), sentences


def run(folder, user_id):
    """Import every .txt under folder; (articles, sentences, seconds)."""
    paths = sorted(str(p) for p in Path(folder).glob("*.txt"))
    started = time.perf_counter()
    articles = sentences = 0
    connection.close()  # the child must not inherit an open database connection
    context = multiprocessing.get_context("fork")

    def store(batch):
        try:
            return _store(batch, user_id)
        finally:
            connection.close()  # this thread's own connection

    with (
        context.Pool(1, initializer=_init, initargs=(user_id,)) as pool,
        ThreadPoolExecutor(STORE_THREADS) as storers,
    ):
        pending, batch = deque(), []
        for items in pool.imap(_prepare, paths, chunksize=16):
            batch.extend(item for item in items if item is not None)
            if len(batch) >= BATCH:
                pending.append(storers.submit(store, batch))
                batch = []
                while len(pending) > STORE_THREADS:
                    a, s = pending.popleft().result()
                    articles, sentences = articles + a, sentences + s
        if batch:
            pending.append(storers.submit(store, batch))
        for future in pending:
            a, s = future.result()
            articles, sentences = articles + a, sentences + s
    return articles, sentences, time.perf_counter() - started
