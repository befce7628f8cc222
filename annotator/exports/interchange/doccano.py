"""doccano's sequence-labeling JSONL: one JSON object per line.

    {"text": "...", "label": [[start, end, "Label"], ...], ...metadata}

This is what doccano exports for a sequence-labeling project without relations, and what
its JSONL import reads (keys other than "text" and "label" become the example's metadata;
backend/data_import/pipeline/labels.py, data_export/pipeline/formatters.py in
doccano/doccano). Projects with relations export "entities":
[{"start_offset", "end_offset", "label", ...}] instead; we read that too.

Offsets: doccano's annotation screen counts UTF-16 code units, like JavaScript strings
(doccano/doccano issue #2290), unless the project counts grapheme clusters. So by default
we write and read UTF-16 offsets; `offsets="codepoints"` is for files made by Python.
Both are the same for texts without characters beyond U+FFFF (emoji, some symbols).
"""

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from annotator.articles import jsondata

from .candidates import Candidate, Problem, SpanIn, is_offset, metadata_from
from .offsets import from_utf16, to_utf16, utf16_table

if TYPE_CHECKING:
    from .records import Record

UTF16, CODEPOINTS = "utf16", "codepoints"


def export_lines(
    records: Iterable["Record"], *, offsets: str = UTF16, counter: dict[str, int] | None = None
) -> Iterator[bytes]:
    """Yield one UTF-8 JSONL line (bytes) per record."""
    written = 0
    for record in records:
        convert = (lambda n, text=record.text: to_utf16(text, n)) if offsets == UTF16 else int
        line = {
            "id": record.article_id,
            "text": record.text,
            # doccano's spans hold no values (attributes): see has_values.
            "label": [
                [convert(span.start), convert(span.end), span.label] for span in record.spans
            ],
            **record.metadata(),
        }
        written += 1
        yield (json.dumps(line, ensure_ascii=False) + "\n").encode()
    if counter is not None:
        counter["rows"] = written


def read(data: bytes, *, offsets: str = UTF16) -> Iterator[Candidate | Problem]:
    """Yield a Candidate or a Problem for each non-blank line of a doccano JSONL file."""
    try:
        lines = list(jsondata.decode_lines(data, max_bytes=settings.UPLOAD_MAX_FILE_BYTES))
    except jsondata.BadJSON as error:
        yield Problem(None, "", _(error.message) % error.params)
        return
    for number, obj in lines:
        where = _("line %(n)d") % {"n": number}
        found = _read_line(number, obj, offsets)
        if isinstance(found, str):
            yield Problem(number, where, found)
        else:
            found.where = where
            yield found


def _read_line(number: int, obj: Any, offsets: str) -> Candidate | str:
    """The line's text and spans, or what is wrong with it."""
    if isinstance(obj, jsondata.BadJSON):
        return _(obj.message) % obj.params
    if not isinstance(obj, dict):
        return _("This line is not a JSON object.")
    text = obj.get("text")
    if not isinstance(text, str):
        return _('This line has no "text".')
    items = obj.get("label", obj.get("entities", []))
    if not isinstance(items, list):
        return _('"label" must be a list of [start, end, "Label"].')
    table = utf16_table(text) if offsets == UTF16 else None
    spans: list[SpanIn] = []
    for item in items:
        span = _read_span(item, text, table)
        if isinstance(span, str):
            return span
        spans.append(span)
    meta = obj["meta"] if isinstance(obj.get("meta"), dict) else {}
    return Candidate(number, text, spans, metadata_from({**meta, **obj}))


def _read_span(item: Any, text: str, table: dict[int, int] | None) -> SpanIn | str:
    """A SpanIn, or the reason the item is unusable."""
    if isinstance(item, list) and len(item) == 3:
        start, end, label = item
    elif isinstance(item, dict):
        start, end, label = (item.get(k) for k in ("start_offset", "end_offset", "label"))
    else:
        return _('Each label must be [start, end, "Label"]; found %(item)s.') % {
            "item": json.dumps(item, ensure_ascii=False)[:80]
        }
    if not (is_offset(start) and is_offset(end) and isinstance(label, str)):
        return _('Each label must be [start, end, "Label"] with whole numbers; found %(item)s.') % {
            "item": json.dumps(item, ensure_ascii=False)[:80]
        }
    if table is not None:
        length = max(table)
        if not 0 <= start < end <= length:
            return _(
                "[%(start)d, %(end)d] is outside the text (%(n)d characters, counted in "
                "UTF-16 units as doccano does) or empty."
            ) % {"start": start, "end": end, "n": length}
        first, last = from_utf16(text, start, table), from_utf16(text, end, table)
        if first is None or last is None:
            return _(
                "The offsets [%(start)d, %(end)d] do not fall between characters of the text "
                "(counted in UTF-16 units, as doccano does)."
            ) % {"start": start, "end": end}
        start, end = first, last
    return SpanIn(start, end, label)
