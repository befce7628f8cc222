"""The analysts' spans of one article side by side: which spans go together, and how they
differ. Pure: plain values in, rows out.

Spans of all analysts that overlap (whatever their labels) form one row; a row's
differences say why the analysts do not agree there:

- missing: an analyst has no span in the row;
- label: the analysts' labels differ;
- bounds: same labels, other bounds;
- values: same labels and bounds, other values.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MISSING, LABEL, BOUNDS, VALUES = "missing", "label", "bounds", "values"


@dataclass(frozen=True)
class Drawn:
    """One analyst's span as the comparison shows it."""

    pk: int
    label: str
    start: int
    end: int
    text: str
    values: Mapping[str, Any] = field(default_factory=dict)
    shown: Sequence[Any] = ()  # its values, compactly, for the page


@dataclass(frozen=True)
class Row:
    start: int
    end: int
    cells: dict[int, list[Drawn]]  # analyst id → spans in the row (none: an empty list)
    differences: tuple[str, ...]  # in the order MISSING, LABEL, BOUNDS, VALUES; () agrees
    missing_for: tuple[int, ...]  # analysts without a span here


def align(spans: Mapping[int, Sequence[Drawn]]) -> list[Row]:
    """Rows in text order; every analyst of `spans` has a cell in each row."""
    drawn = sorted(
        ((s.start, s.end, analyst, s) for analyst, own in spans.items() for s in own),
        key=lambda t: (t[0], t[1], t[2], t[3].pk),
    )
    groups: list[list[tuple[int, Drawn]]] = []
    reach = -1
    for start, end, analyst, span in drawn:
        if groups and start < reach:
            groups[-1].append((analyst, span))
            reach = max(reach, end)
        else:
            groups.append([(analyst, span)])
            reach = end
    return [_row(group, list(spans)) for group in groups]


def _row(group: list[tuple[int, Drawn]], analysts: list[int]) -> Row:
    cells: dict[int, list[Drawn]] = {analyst: [] for analyst in analysts}
    for analyst, span in group:
        cells[analyst].append(span)
    present = [a for a in analysts if cells[a]]
    missing_for = tuple(a for a in analysts if not cells[a])
    labels = {frozenset(s.label for s in cells[a]) for a in present}
    bounds = {frozenset((s.label, s.start, s.end) for s in cells[a]) for a in present}
    values = {
        frozenset((s.label, s.start, s.end, _frozen(s.values)) for s in cells[a]) for a in present
    }
    differences: list[str] = []
    if missing_for:
        differences.append(MISSING)
    if len(labels) > 1:
        differences.append(LABEL)
    elif len(bounds) > 1:
        differences.append(BOUNDS)
    elif len(values) > 1:
        differences.append(VALUES)
    return Row(
        start=min(s.start for _a, s in group),
        end=max(s.end for _a, s in group),
        cells=cells,
        differences=tuple(differences),
        missing_for=missing_for,
    )


def _frozen(values: Mapping[str, Any]) -> str:
    """Values as a comparable key (they are JSON: nested dicts for words of the article)."""
    return repr(sorted((k, repr(v)) for k, v in values.items()))
