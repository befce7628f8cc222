"""Normalise a text as uploads are (line endings to "\\n", Unicode NFC) and map its offsets.

Uploads are cleaned before anyone annotates them (cleaning.clean_text). Texts imported with
their spans (doccano, Label Studio) come with offsets into the text as it was, so besides
the new text this says where each old position went:

>>> n = normalise("Cafe\\u0301\\r\\nnoir")
>>> n.text, n.line_endings, n.composed
('Café\\nnoir', 1, True)
>>> n.position(7), n.position(11)  # before "noir", the end
(5, 9)
>>> n.position(4) is None  # between "e" and its accent: no position in the new text
True

Only what the upload path also changes is changed here, and only line endings and
composition: no boilerplate is dropped, no space trimmed, so every character keeps its
meaning. A position inside a unit that normalisation rewrote as a whole (the "\\r\\n" pair,
a letter and its combining accents) has no new position.
"""

import bisect
import unicodedata
from dataclasses import dataclass, field

from .cleaning import LINE_BREAKS


@dataclass
class _Rewrites:
    """Units of a text rewritten as a whole: [start, end) became `replacement`, in order."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    shifts: list[int] = field(default_factory=list)  # length change up to and with each unit

    def add(self, start: int, end: int, replacement: str) -> None:
        previous = self.shifts[-1] if self.shifts else 0
        self.starts.append(start)
        self.ends.append(end)
        self.shifts.append(previous + len(replacement) - (end - start))

    def position(self, old: int) -> int | None:
        index = bisect.bisect_right(self.starts, old) - 1  # the last unit starting at or before
        if index >= 0 and old < self.ends[index] and old != self.starts[index]:
            return None  # inside a rewritten unit
        # Units ending at or before `old` shift it; one starting exactly at `old` does not.
        done = index if index >= 0 and old >= self.ends[index] else index - 1
        return old + (self.shifts[done] if done >= 0 else 0)


@dataclass
class Normalised:
    text: str
    line_endings: int  # line endings rewritten as "\n"
    composed: bool  # whether NFC changed anything
    _steps: tuple[_Rewrites, _Rewrites]

    @property
    def changed(self) -> bool:
        return bool(self.line_endings or self.composed)

    def position(self, old: int) -> int | None:
        """Where code point position `old` (0 to len(old text)) is in the new text; None
        inside a rewritten unit."""
        for step in self._steps:
            new = step.position(old)
            if new is None:
                return None
            old = new
        return old


def normalise(text: str) -> Normalised:
    breaks = _Rewrites()
    for match in LINE_BREAKS.finditer(text):
        breaks.add(match.start(), match.end(), "\n")
    unified = LINE_BREAKS.sub("\n", text)
    composed, rewrites = _compose(unified)
    return Normalised(composed, len(breaks.starts), bool(rewrites.starts), (breaks, rewrites))


def _compose(text: str) -> tuple[str, _Rewrites]:
    """NFC, and its units. A line break is a unit boundary (it composes with nothing), so only
    lines that are not NFC already are looked into."""
    rewrites = _Rewrites()
    parts = []
    offset = 0
    for line in text.split("\n"):
        if unicodedata.is_normalized("NFC", line):
            parts.append(line)
        else:
            parts.append(_compose_line(line, offset, rewrites))
        offset += len(line) + 1
    return "\n".join(parts), rewrites


def _compose_line(line: str, offset: int, rewrites: _Rewrites) -> str:
    units: list[tuple[int, int, str]] = []
    start = 0
    for index in range(1, len(line) + 1):
        if index == len(line) or _boundary(line, start, index):
            unit = line[start:index]
            units.append((start, index, unicodedata.normalize("NFC", unit)))
            start = index
    composed = unicodedata.normalize("NFC", line)
    if "".join(new for _start, _end, new in units) != composed:
        # A character this split does not foresee (Tibetan vowels decomposing into marks that
        # reorder): the whole line is one unit, so only positions around it keep a place.
        units = [(0, len(line), composed)]
    for start, end, new in units:
        if new != line[start:end]:
            rewrites.add(offset + start, offset + end, new)
    return composed


def _boundary(line: str, start: int, index: int) -> bool:
    """Whether NFC can treat line[start:index] and what follows it apart."""
    char = line[index]
    if unicodedata.combining(char):
        return False
    if ord(char) < 0x900:  # composes with nothing before it (the first that do: Indic signs)
        return True
    last = unicodedata.normalize("NFC", line[start:index])[-1]
    return unicodedata.normalize("NFC", last + char) == last + unicodedata.normalize("NFC", char)
