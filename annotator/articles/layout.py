"""Lay an article out for a page: lines → sentence units → segments carrying marks.

A *unit* runs from a sentence's start to the next sentence's start on the same line (the
gap after a sentence belongs to it), so the units of a line cover it exactly and each can be
re-rendered on its own when a mark changes. A *segment* is a stretch of text covered by the
same set of marks (the spans of the annotation and review pages); overlapping marks simply
split segments. Every segment records its start offset, which is how the browser maps a
selection back to code-point offsets.
"""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

# Read-only members (properties), so that tuples qualify as well as models: a Sentence is
# a models.Sentence or a models.Bounds, a Mark a Span or the annotation page's ShownSpan.


class Sentence(Protocol):
    @property
    def index(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class MarkLabel(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def color(self) -> int: ...


class Mark(Protocol):
    """Anything with offsets and a label: a Span, or the annotation page's ShownSpan."""

    @property
    def pk(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> MarkLabel: ...


@dataclass
class Segment:
    start: int
    text: str
    marks: tuple[Mark, ...] = ()
    suggested: tuple[Mark, ...] = ()  # suggestions over it (the annotation page's)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def mark_ids(self) -> str:
        return " ".join(str(mark.pk) for mark in self.marks)

    @property
    def starts(self) -> list[Mark]:
        """Marks that begin here: their label is shown in text (never colour alone)."""
        return [mark for mark in self.marks if mark.start == self.start]

    @property
    def suggestion_ids(self) -> str:
        return " ".join(str(mark.pk) for mark in self.suggested)

    @property
    def suggestions_starting(self) -> list[Mark]:
        return [mark for mark in self.suggested if mark.start == self.start]


@dataclass
class Unit:
    index: int  # the sentence's index
    start: int  # the sentence's own offsets
    end: int
    unit_start: int
    unit_end: int
    segments: list[Segment] = field(default_factory=list)


def _units(text: str, sentences: Sequence[Sentence]) -> list[list[Unit]]:
    """Sentence units in text order, grouped by line."""
    lines: list[list[Unit]] = []
    current: list[Unit] = []
    line_end: int | None = None
    unit_start = 0
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


def _segment(
    text: str, unit: Unit, marks: Sequence[Mark], suggested: Sequence[Mark] = ()
) -> list[Segment]:
    """Cut unit's text wherever a mark or a suggestion starts or ends (both sorted)."""
    inside = [m for m in marks if m.start < unit.unit_end and m.end > unit.unit_start]
    proposed = [m for m in suggested if m.start < unit.unit_end and m.end > unit.unit_start]
    cuts = {unit.unit_start, unit.unit_end}
    for mark in (*inside, *proposed):
        cuts.update(c for c in (mark.start, mark.end) if unit.unit_start < c < unit.unit_end)
    segments = []
    for a, b in pairwise(sorted(cuts)):
        covering = tuple(m for m in inside if m.start <= a and m.end >= b)
        under = tuple(m for m in proposed if m.start <= a and m.end >= b)
        segments.append(Segment(a, text[a:b], covering, under))
    return segments


def _in_text_order(marks: Sequence[Mark]) -> list[Mark]:
    return sorted(marks, key=lambda m: (m.start, m.end, m.pk))


def layout(
    text: str,
    sentences: Sequence[Sentence],
    marks: Sequence[Mark],
    suggested: Sequence[Mark] = (),
) -> list[list[Unit]]:
    """All lines of the article: a list of lists of Units with their segments."""
    marks = _in_text_order(marks)
    suggested = _in_text_order(suggested)
    lines = _units(text, sentences)
    for line in lines:
        for unit in line:
            unit.segments = _segment(text, unit, marks, suggested)
    return lines


def units_touching(
    text: str,
    sentences: Sequence[Sentence],
    marks: Sequence[Mark],
    ranges: Sequence[tuple[int, int]],
    suggested: Sequence[Mark] = (),
) -> list[Unit]:
    """Only the units that overlap any (start, end) in ranges, for out-of-band updates."""
    starts = [s.start for s in sentences]
    wanted: set[int] = set()
    for start, end in ranges:
        first = max(bisect_right(starts, start) - 1, 0)
        last = max(bisect_right(starts, max(end - 1, start)) - 1, 0)
        wanted.update(range(first, last + 1))
    indexes = {sentences[i].index for i in wanted}
    picked = [unit for line in _units(text, sentences) for unit in line if unit.index in indexes]
    marks = _in_text_order(marks)
    suggested = _in_text_order(suggested)
    for unit in picked:
        unit.segments = _segment(text, unit, marks, suggested)
    return picked
