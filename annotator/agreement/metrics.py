"""How far analysts agree: pure functions over plain tuples (no database, no Django).

Vocabulary: an *item* is one article; its *coders* are the analysts who annotated it; a
*unit* is a span, (label, start, end) in code points of the article text, end exclusive.
Every figure comes with the counts behind it, and is None ("not enough data") when there
are fewer than two coders or nothing to compare.

- span_f1: precision, recall and F1 of each pair of coders, one taken as the reference,
  under exact match (same label and bounds) or overlap match (same label, at least one
  character in common), and of all pairs together (counts summed: a micro average).
- alpha_unitizing: Krippendorff's αu for one label over the character continuum
  (Krippendorff 1995, "On the reliability of unitizing continuous data"): 1 − observed /
  expected disagreement, where a disagreement weighs the squared differences of bounds.
- cohen_kappa, fleiss_kappa, alpha_nominal: agreement on categories given to the same
  things (sentences): two coders; several coders, each thing coded by the same number;
  any number of coders, missing values allowed.
- attribute_agreement: on spans matched across coders, the share of identical values and,
  for numbers, the mean absolute difference.
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, permutations
from typing import Any, NamedTuple


class Unit(NamedTuple):
    label: Any  # hashable: an id, a name
    start: int
    end: int


# item → coder → that coder's units in the item (any keys: ids, names)
Items = Mapping[Any, Mapping[Any, Sequence[Unit]]]


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# --- Span F1 ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class F1:
    """Agreement of coder `b` with coder `a` taken as the reference (or of all pairs
    together): precision, the share of b's units found in a's; recall, the share of a's
    found in b's; F1, their harmonic mean."""

    precision: float | None
    recall: float | None
    f1: float | None
    items: int  # items both coders annotated (all pairs: summed)
    units_a: int
    units_b: int
    found_b: int  # b's units found in a's
    found_a: int  # a's units found in b's


def _found(units: Sequence[Unit], reference: Sequence[Unit], match: str) -> int:
    """How many of `units` are found in `reference` (all of one label)."""
    if match == "exact":
        wanted = Counter(reference)
        found = 0
        for unit in units:
            if wanted[unit] > 0:
                wanted[unit] -= 1
                found += 1
        return found
    # Overlap: the references starting before the unit ends, sorted by start; the unit is
    # found if the furthest end among them passes its start.
    ordered = sorted(reference)
    starts = [r.start for r in ordered]
    reach = [0] * (len(ordered) + 1)
    for k, r in enumerate(ordered):
        reach[k + 1] = max(reach[k], r.end)
    return sum(reach[bisect_left(starts, u.end)] > u.start for u in units)


def _f1(items: int, units_a: int, units_b: int, found_b: int, found_a: int) -> F1:
    precision, recall = _ratio(found_b, units_b), _ratio(found_a, units_a)
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return F1(precision, recall, f1, items, units_a, units_b, found_b, found_a)


@dataclass(frozen=True)
class SpanAgreement:
    overall: F1  # every pair's counts summed (micro average)
    pairs: dict[tuple[Any, Any], F1]  # (a, b), a < b
    items: int  # items with two coders or more


ALL = object()  # SpanCounts.agreement: no restriction


class SpanCounts:
    """One pass over every pair of coders of every item, by label: what span_f1 sums.

    Matching always needs the same label, so any set of labels, items or pairs is a sum
    of these counts: the page's figures (overall, per label, per pair, per article) all
    come from one pass.
    """

    def __init__(self, items: Items, *, match: str = "exact") -> None:
        if match not in ("exact", "overlap"):
            raise ValueError(f"match must be 'exact' or 'overlap', not {match!r}")
        # (item, label, a, b) → [units_a, units_b, found_b, found_a]
        self.cells: dict[tuple[Any, Any, Any, Any], list[int]] = {}
        self.shared: dict[tuple[Any, Any], set[Any]] = defaultdict(set)  # pair → items
        self.items = 0
        for item, coders in items.items():
            if len(coders) < 2:
                continue
            self.items += 1
            by_label: dict[Any, dict[Any, list[Unit]]] = {}
            for coder, units in coders.items():
                for unit in units:
                    by_label.setdefault(unit.label, {}).setdefault(coder, []).append(unit)
            for a, b in combinations(sorted(coders, key=repr), 2):
                self.shared[a, b].add(item)
                for label, own in by_label.items():
                    mine, theirs = own.get(a, []), own.get(b, [])
                    self.cells[item, label, a, b] = [
                        len(mine),
                        len(theirs),
                        _found(theirs, mine, match) if mine else 0,
                        _found(mine, theirs, match) if theirs else 0,
                    ]

    def agreement(self, *, label: Any = ALL, item: Any = ALL) -> SpanAgreement:
        sums: dict[tuple[Any, Any], list[int]] = {}
        for pair, shared in self.shared.items():
            if item is ALL:
                sums[pair] = [len(shared), 0, 0, 0, 0]
            elif item in shared:
                sums[pair] = [1, 0, 0, 0, 0]
        for (at, of, a, b), counts in self.cells.items():
            if (label is ALL or of == label) and (item is ALL or at == item):
                row = sums[a, b]
                for k in range(4):
                    row[k + 1] += counts[k]
        pairs = {pair: _f1(*row) for pair, row in sums.items()}
        overall = _f1(*(sum(row[k] for row in sums.values()) for k in range(5)))
        return SpanAgreement(overall, pairs, self.items if item is ALL else int(bool(sums)))

    def per_item(self) -> dict[Any, F1]:
        """Each item's F1, all its pairs and labels together."""
        return self.grouped(lambda item: item)

    def grouped(self, group: Callable[[Any], Any]) -> dict[Any, F1]:
        """F1 of the items `group` puts together (all pairs and labels): group(item) → key.
        `items` of each figure counts (pair, item) couples."""
        sums: dict[Any, list[int]] = {}
        for items in self.shared.values():
            for at in items:
                sums.setdefault(group(at), [0, 0, 0, 0, 0])[0] += 1
        for (at, _label, _a, _b), counts in self.cells.items():
            row = sums[group(at)]
            for k in range(4):
                row[k + 1] += counts[k]
        return {key: _f1(*row) for key, row in sums.items()}


def span_f1(items: Items, *, match: str = "exact", label: Hashable | None = None) -> SpanAgreement:
    """Pairwise agreement on spans, for each pair of coders over the items both annotated,
    and for all pairs together. `match`: "exact" (same label, start and end; a unit found
    once per copy) or "overlap" (same label, at least one character in common). `label`:
    only units of that label. A pair with no unit at all has no figure (None)."""
    return SpanCounts(items, match=match).agreement(label=ALL if label is None else label)


NO_SPAN = None  # label_confusion: the other analyst drew nothing there


def label_confusion(items: Items) -> Counter[tuple[Any, Any]]:
    """Which label one analyst used where another used which: for every span of every
    coder, and every other coder of the item, (its label, the label of the other's span
    that overlaps it most, or NO_SPAN). Counted both ways for each pair, so the diagonal is
    agreement and the rest, read by row, what each label was taken for."""
    counts: Counter[tuple[Any, Any]] = Counter()
    for coders in items.values():
        if len(coders) < 2:
            continue
        ordered = {c: sorted(us, key=lambda u: u.start) for c, us in coders.items()}
        starts = {c: [u.start for u in us] for c, us in ordered.items()}
        longest = {c: max((u.end - u.start for u in us), default=0) for c, us in ordered.items()}
        for a, b in permutations(coders, 2):
            theirs, their_starts = ordered[b], starts[b]
            for unit in coders[a]:
                best, best_overlap = NO_SPAN, 0
                # Only spans starting before this one ends, and not so far before that
                # even the longest could reach it.
                low = bisect_left(their_starts, unit.start - longest[b])
                high = bisect_left(their_starts, unit.end)
                for other in theirs[low:high]:
                    overlap = min(unit.end, other.end) - max(unit.start, other.start)
                    # The widest overlap; on a tie, the same label, else the first in the text.
                    if overlap > best_overlap or (
                        overlap == best_overlap > 0 and other.label == unit.label
                    ):
                        best, best_overlap = other.label, overlap
                counts[unit.label, best] += 1
    return counts


# --- Krippendorff's alpha for unitizing --------------------------------------------------------


@dataclass(frozen=True)
class AlphaU:
    alpha: float | None
    observed: float | None
    expected: float | None
    coders: int  # per item
    items: int  # items used
    left_out: int  # items whose number of coders is not `coders`
    units: int  # units of the label, all coders
    length: int  # of the continuum, all items together


def _segments(units: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """A coder's continuum as (start, end, is_unit) in order: the units (merged where one
    coder's units overlap: the continuum is coded once at each character) and the gaps."""
    merged: list[list[int]] = []
    for start, end in sorted(units):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[tuple[int, int, bool]] = []
    at = 0
    for start, end in merged:
        if start > at:
            out.append((at, start, False))
        out.append((start, end, True))
        at = end
    if at < length:
        out.append((at, length, False))
    return out


def _delta(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Squared difference of two overlapping segments of two coders (Krippendorff 1995): two
    units differ by their bounds; a unit inside the other's gap by its whole length; a unit
    partly over a gap, or two gaps, not at all (the unit overlapping it counts instead)."""
    (gs, ge, gu), (hs, he, hu) = g, h
    if gu and hu:
        return (gs - hs) ** 2 + (ge - he) ** 2
    if gu and not hu and hs <= gs and ge <= he:
        return (ge - gs) ** 2
    if hu and not gu and gs <= hs and he <= ge:
        return (he - hs) ** 2
    return 0


def alpha_unitizing(
    items: Items, lengths: Mapping[Any, int], label: Hashable, *, coders: int | None = None
) -> AlphaU:
    """Krippendorff's αu for `label`: the items (articles, of `lengths` characters) are
    sections of one continuum, and each of an item's coders codes the whole section (no
    unit is a gap). All items must have the same number of coders: `coders`, or by default
    the most common number (ties: the larger); the other items are left out, and counted.

    αu is symmetric in the coders, so an item's coders are taken in any order.
    """
    counts = Counter(len(c) for c in items.values() if len(c) >= 2)
    if coders is None:
        coders = max(counts, key=lambda n: (counts[n], n)) if counts else 0
    used = [item for item, c in items.items() if len(c) == coders and coders >= 2]
    left_out = sum(1 for c in items.values() if len(c) != coders)
    m = coders
    total_length = sum(lengths[item] for item in used)
    observed_sum = 0
    # Expected disagreement, pooled over every coder's segments in every item.
    unit_lengths: list[int] = []
    gap_lengths: list[int] = []
    for item in used:
        length = lengths[item]
        per_coder = [
            _segments(((u.start, u.end) for u in us if u.label == label), length)
            for us in items[item].values()
        ]
        for segs in per_coder:
            for start, end, is_unit in segs:
                (unit_lengths if is_unit else gap_lengths).append(end - start)
        for a, b in combinations(per_coder, 2):
            # Each unordered pair once, counted for both orders (δ² is symmetric).
            observed_sum += 2 * _pair_delta(a, b)
    n_units = len(unit_lengths)
    if m < 2 or not used or total_length == 0:
        return AlphaU(None, None, None, m, len(used), left_out, n_units, total_length)
    observed = observed_sum / (m * (m - 1) * total_length**2)
    expected = _expected(unit_lengths, gap_lengths, m, total_length)
    if not expected:
        # No unit, or nothing could differ: αu is undefined, whatever was observed.
        return AlphaU(None, observed, expected, m, len(used), left_out, n_units, total_length)
    return AlphaU(
        1 - observed / expected, observed, expected, m, len(used), left_out, n_units, total_length
    )


def _pair_delta(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> int:
    """Σ δ² over the overlapping segments of two coders' continua (one sweep: both lists
    are in order and cover the same characters)."""
    total = 0
    i = j = 0
    while i < len(a) and j < len(b):
        g, h = a[i], b[j]
        if g[0] < h[1] and h[0] < g[1]:
            total += _delta(g, h)
        if g[1] <= h[1]:
            i += 1
        else:
            j += 1
    return total


def _expected(units: list[int], gaps: list[int], m: int, length: int) -> float:
    """Krippendorff's expected disagreement for one label: every unit against every place
    it could fall in any coder's gaps, and against the other units' bounds."""
    n = len(units)
    if n == 0:
        return 0.0
    gaps_sorted = sorted(gaps)
    # Σ over gaps longer or as long as l of (gap − l + 1), by suffix sums over sorted gaps.
    suffix = [0] * (len(gaps_sorted) + 1)
    for k in range(len(gaps_sorted) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + gaps_sorted[k]
    total = 0.0
    for u in units:
        k = bisect_left(gaps_sorted, u)
        fitting = len(gaps_sorted) - k
        room = suffix[k] - (u - 1) * fitting
        total += (n - 1) / 3 * (2 * u**3 - 3 * u**2 + u) + u**2 * room
    denominator = m * length * (m * length - 1) - sum(u * (u - 1) for u in units)
    if denominator <= 0:
        return 0.0
    return 2 / length * total / denominator


# --- Categories given to the same things (sentences) -------------------------------------------


@dataclass(frozen=True)
class Kappa:
    value: float | None
    observed: float | None  # share of agreement
    expected: float | None  # by chance
    items: int
    coders: int


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> Kappa:
    """Cohen's κ of two coders: `pairs` holds each thing's (first coder's, second coder's)
    category. Chance agreement from each coder's own distribution."""
    n = len(pairs)
    if n == 0:
        return Kappa(None, None, None, 0, 2)
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / n**2
    value = None if expected == 1 else (observed - expected) / (1 - expected)
    return Kappa(value, observed, expected, n, 2)


def fleiss_kappa(ratings: Sequence[Sequence[Hashable]]) -> Kappa:
    """Fleiss' κ: each thing's categories, one per coder, the same number of coders for
    every thing (things with another number are refused: ValueError)."""
    things = [list(r) for r in ratings]
    if not things:
        return Kappa(None, None, None, 0, 0)
    n = len(things[0])
    if n < 2 or any(len(r) != n for r in things):
        raise ValueError("Fleiss' kappa needs the same number (two or more) of coders per item")
    totals: Counter[Hashable] = Counter()
    agreement = 0.0
    for r in things:
        counts = Counter(r)
        totals.update(counts)
        agreement += (sum(c * c for c in counts.values()) - n) / (n * (n - 1))
    observed = agreement / len(things)
    expected = sum((t / (len(things) * n)) ** 2 for t in totals.values())
    value = None if expected == 1 else (observed - expected) / (1 - expected)
    return Kappa(value, observed, expected, len(things), n)


def alpha_nominal(ratings: Sequence[Sequence[Hashable | None]]) -> Kappa:
    """Krippendorff's α (nominal) by coincidences: each thing's categories, None where a
    coder gave none. Things with fewer than two values do not count."""
    coincidences: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    used = 0
    coders = 0
    for row in ratings:
        values = [v for v in row if v is not None]
        coders = max(coders, len(row))
        if len(values) < 2:
            continue
        used += 1
        counts = Counter(values)
        for c, k in permutations(counts, 2):
            coincidences[c, k] += counts[c] * counts[k] / (len(values) - 1)
        for c, count in counts.items():
            coincidences[c, c] += count * (count - 1) / (len(values) - 1)
    margins: defaultdict[Hashable, float] = defaultdict(float)
    for (c, _k), weight in coincidences.items():
        margins[c] += weight
    total = sum(margins.values())
    if total <= 1:
        return Kappa(None, None, None, used, coders)
    disagree_observed = sum(w for (c, k), w in coincidences.items() if c != k) / total
    disagree_expected = sum(margins[c] * margins[k] for c in margins for k in margins if c != k) / (
        total * (total - 1)
    )
    if disagree_expected == 0:
        return Kappa(None, 1 - disagree_observed, 1.0, used, coders)
    value = 1 - disagree_observed / disagree_expected
    return Kappa(value, 1 - disagree_observed, 1 - disagree_expected, used, coders)


# --- Values of matched spans -------------------------------------------------------------------


@dataclass(frozen=True)
class ValueAgreement:
    key: str
    pairs: int  # pairs of matched spans where both have a value for the key
    same: int
    share_same: float | None
    mean_abs_difference: float | None  # numbers only


def attribute_agreement(
    pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]],
) -> dict[str, ValueAgreement]:
    """For matched spans (one pair per two coders' spans of the same label and bounds), the
    share of identical values per key, and for numbers the mean absolute difference. A key
    counts for a pair only when both spans hold a value for it (unknown, null, included:
    two nulls agree; a null against a number is a difference without a distance)."""
    same: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    distance: defaultdict[str, list[float]] = defaultdict(list)
    for a, b in pairs:
        for key in a.keys() & b.keys():
            seen[key] += 1
            x, y = a[key], b[key]
            if x == y:
                same[key] += 1
            if _number(x) and _number(y):
                distance[key].append(abs(x - y))
    return {
        key: ValueAgreement(
            key,
            seen[key],
            same[key],
            _ratio(same[key], seen[key]),
            sum(distance[key]) / len(distance[key]) if distance[key] else None,
        )
        for key in sorted(seen)
    }


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
