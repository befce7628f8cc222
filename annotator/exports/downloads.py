"""One export = a format, a dialect, a selection of spans, and a log row. Used by the web
download and by `manage.py export_spans`, so both give the same bytes."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .dialects import DIALECTS, STANDARD
from .interchange import doccano, labelstudio
from .interchange.records import records
from .models import ExportLog
from .selection import SpanFilter
from .spans_csv import CHUNK_BYTES, csv_chunks

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Keyed by format value: ExportFormat members are those strings.
CONTENT_TYPES: dict[str, str] = {
    ExportLog.Format.CSV: "text/csv; charset=utf-8",
    ExportLog.Format.DOCCANO: "application/jsonl; charset=utf-8",
    ExportLog.Format.LABEL_STUDIO: "application/json; charset=utf-8",
}
EXTENSIONS: dict[str, str] = {
    ExportLog.Format.CSV: "csv",
    ExportLog.Format.DOCCANO: "jsonl",
    ExportLog.Format.LABEL_STUDIO: "json",
}


@dataclass(frozen=True)
class Export:
    spans: SpanFilter
    format: str = ExportLog.Format.CSV
    dialect: str = STANDARD.name
    offsets: str = doccano.UTF16  # doccano only
    exact: bool = False  # CSV only: no formula escape (the command's --exact)

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def filename(self, now: datetime | None = None) -> str:
        stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M%S")
        return f"spans-{stamp}.{EXTENSIONS[self.format]}"

    def chunks(self, counter: dict[str, int] | None = None) -> Iterator[bytes]:
        """The file's bytes, chunk by chunk; `counter["rows"]` is set once all are out."""
        if self.format == ExportLog.Format.CSV:
            return csv_chunks(self.spans, DIALECTS[self.dialect], exact=self.exact, counter=counter)
        if self.format == ExportLog.Format.DOCCANO:
            lines = doccano.export_lines(records(self.spans), offsets=self.offsets, counter=counter)
            return gathered(lines)
        return gathered(labelstudio.export_chunks(records(self.spans), counter=counter))


def gathered(pieces: Iterable[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """Join small pieces (one JSON record each) into chunks of about `size` bytes."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        if len(buffer) >= size:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def logged(
    export: Export, *, user: "User | None", via: str, filters: dict[str, Any]
) -> tuple[ExportLog, Iterator[bytes]]:
    """The export's chunks, logged: the row before the first byte, the count after the last.

    The log row is inserted right away, while the request can still fail cleanly. The
    count is filled in by one UPDATE once the generator is exhausted (it runs after the
    view has returned, in autocommit, so that UPDATE commits on its own). A download the
    client abandons keeps row_count empty: it was started, never completed.
    """
    log = ExportLog.objects.create(
        user=user,
        via=via,
        format=export.format,
        dialect=export.dialect if export.format == ExportLog.Format.CSV else "",
        filters=filters,
        exact=export.exact,
    )

    def generate() -> Iterator[bytes]:
        counter: dict[str, int] = {}
        yield from export.chunks(counter)
        log.complete(counter["rows"])

    return log, generate()
