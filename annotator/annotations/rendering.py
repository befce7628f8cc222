"""Lay an article out for the page: lines → sentence units → segments carrying spans.

A *unit* runs from a sentence's start to the next sentence's start on the same line (the
gap after a sentence belongs to it), so the units of a line cover it exactly and each can be
re-rendered on its own when a span changes. A *segment* is a stretch of text covered by the
same set of spans; overlapping spans simply split segments. Every segment records its start
offset, which is how the browser maps a selection back to code-point offsets.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple


class ShownLabel(NamedTuple):
    name: str
    color: str


class ShownSpan(NamedTuple):
    """What the annotation page shows of a live span (a tuple: cheap to build by hundreds)."""

    pk: int
    start: int
    end: int
    text: str
    label: ShownLabel


@dataclass
class Segment:
    start: int
    text: str
    spans: tuple = ()

    @property
    def end(self):
        return self.start + len(self.text)

    @property
    def span_ids(self):
        return " ".join(str(span.pk) for span in self.spans)

    @property
    def starts(self):
        """Spans that begin here: their label is shown in text (never colour alone)."""
        return [span for span in self.spans if span.start == self.start]


@dataclass
class Unit:
    index: int  # the sentence's index
    start: int  # the sentence's own offsets
    end: int
    unit_start: int
    unit_end: int
    segments: list = field(default_factory=list)


def _units(text, sentences):
    """Sentence units in text order, grouped by line."""
    lines, current, line_end = [], [], None
    for i, sentence in enumerate(sentences):
        if line_end is None or sentence.start > line_end:
            if current:
                lines.append(current)
            line_start = text.rfind("\n", 0, sentence.start) + 1
            line_end = text.find("\n", sentence.start)
            line_end = len(text) if line_end == -1 else line_end
            current = []
            unit_start = line_start
        else:
            unit_start = sentence.start
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        unit_end = nxt.start if nxt is not None and nxt.start < line_end else line_end
        current.append(Unit(sentence.index, sentence.start, sentence.end, unit_start, unit_end))
    if current:
        lines.append(current)
    return lines


def _segment(text, unit, spans):
    """Cut unit's text wherever a span starts or ends; spans is sorted by start."""
    inside = [s for s in spans if s.start < unit.unit_end and s.end > unit.unit_start]
    cuts = {unit.unit_start, unit.unit_end}
    for span in inside:
        cuts.update(c for c in (span.start, span.end) if unit.unit_start < c < unit.unit_end)
    cuts = sorted(cuts)
    segments = []
    for a, b in pairwise(cuts):
        covering = tuple(s for s in inside if s.start <= a and s.end >= b)
        segments.append(Segment(a, text[a:b], covering))
    return segments


def layout(text, sentences, spans):
    """All lines of the article: a list of lists of Units with their segments."""
    spans = sorted(spans, key=lambda s: (s.start, s.end, s.pk))
    lines = _units(text, sentences)
    for line in lines:
        for unit in line:
            unit.segments = _segment(text, unit, spans)
    return lines


def units_touching(text, sentences, spans, ranges):
    """Only the units that overlap any (start, end) in ranges, for out-of-band updates."""
    starts = [s.start for s in sentences]
    wanted = set()
    for start, end in ranges:
        first = max(bisect_right(starts, start) - 1, 0)
        last = max(bisect_right(starts, max(end - 1, start)) - 1, 0)
        wanted.update(range(first, last + 1))
    indexes = {sentences[i].index for i in wanted}
    picked = [unit for line in _units(text, sentences) for unit in line if unit.index in indexes]
    spans = sorted(spans, key=lambda s: (s.start, s.end, s.pk))
    for unit in picked:
        unit.segments = _segment(text, unit, spans)
    return picked


def row_change(how, span_id, spans):
    """One changed row of the span list, and where it goes: spans is the list after the
    change, in page order. how is "added", "removed" or "replaced"."""
    if how == "removed":
        return {"how": how, "pk": span_id, "empty": not spans}
    at = next(i for i, span in enumerate(spans) if span.pk == span_id)
    following = spans[at + 1].pk if at + 1 < len(spans) else None
    return {"how": how, "span": spans[at], "next": following, "only": len(spans) == 1}
