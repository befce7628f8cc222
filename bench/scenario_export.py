"""Scenario 5: the CSV download of every approved span, against COPY of the same query.

Floor: `COPY (the export's own SELECT) TO STDOUT WITH (FORMAT csv, HEADER)` read through
psycopg and thrown away. App: GET /exports/download/ as a logged-in reviewer, read to the
end over loopback, while the gunicorn workers' resident memory is sampled every 50 ms.
The two must give the same bytes. A first, untimed COPY warms PostgreSQL's cache.
"""

import http.client
import time

from annotator.exports import spans_csv
from annotator.exports.dialects import STANDARD
from annotator.exports.selection import SpanFilter, count, raw_connection

from . import db
from .server import HOST, CpuMonitor, MemorySampler

MB = 1024 * 1024


def copy_once(statement, params):
    started = time.perf_counter()
    size = 0
    with raw_connection().cursor() as cursor, cursor.copy(statement, params) as copy:
        for block in copy:
            size += len(block)
    return time.perf_counter() - started, size


def download(server, headers, path):
    conn = http.client.HTTPConnection(HOST, server.port, timeout=600)
    size = 0
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    first_byte = None
    while block := response.read1(1 << 20):
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(block)
    seconds = time.perf_counter() - started
    conn.close()
    return response.status, seconds, size, first_byte


def run(server, headers):
    spans = SpanFilter()  # what the page downloads with no filter: approved spans
    rows, _records = count(spans)
    statement = spans_csv.copy_statement(spans, STANDARD, exact=False, header=True)
    copy_once(*statement)  # warm-up
    floor_s, floor_bytes = copy_once(*statement)
    with MemorySampler(server) as memory, CpuMonitor(db.name()) as cpu:
        status, seconds, size, first_byte = download(server, headers, "/exports/download/")
    if status != 200:
        raise RuntimeError(f"GET /exports/download/ gave {status}")
    return {
        "rows": rows,
        "bytes": size,
        "same_bytes_as_copy": size == floor_bytes,
        "seconds": round(seconds, 3),
        "first_byte_s": round(first_byte or 0, 3),
        "rows_per_s": round(rows / seconds, 1),
        "mb_per_s": round(size / MB / seconds, 1),
        "floor_seconds": round(floor_s, 3),
        "floor_rows_per_s": round(rows / floor_s, 1),
        "rss_baseline_mb": {str(p): round(v / MB, 1) for p, v in memory.baseline.items()},
        "rss_peak_mb": {str(p): round(v / MB, 1) for p, v in memory.peak.items()},
        "rss_growth_mb": round(memory.growth() / MB, 1),
        "memory_samples": memory.samples,
        "cpu": cpu.result,
    }
