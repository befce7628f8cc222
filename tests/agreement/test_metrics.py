"""The agreement metrics, against published worked examples and independent implementations:
the `krippendorff` package (nominal α), NLTK's agreement module (Cohen's κ; Scott's π for
several coders, which is Fleiss' κ), and for αu the examples of Krippendorff (1995, p. 57;
2004, p. 254) with the figures DKPro Statistics asserts for them, and a second, brute-force
implementation written here from the definitions."""

import random
from fractions import Fraction
from itertools import permutations

import krippendorff
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask

from annotator.agreement.metrics import (
    NO_SPAN,
    SpanCounts,
    Unit,
    alpha_nominal,
    alpha_unitizing,
    attribute_agreement,
    cohen_kappa,
    fleiss_kappa,
    label_confusion,
    span_f1,
)

# --- αu: worked examples ---------------------------------------------------------------------


def study(units, length, raters=2, begin=0):
    """One item from (rater, label, offset, length) rows, as the examples give them."""
    coders = {r: [] for r in range(raters)}
    for rater, label, offset, size in units:
        coders[rater].append(Unit(label, offset - begin, offset - begin + size))
    return {"item": coders}, {"item": length}


def test_alpha_u_of_a_unit_against_three_small_ones():
    items, lengths = study([(0, "A", 1, 8), (1, "A", 2, 1), (1, "A", 4, 1), (1, "A", 6, 1)], 10)
    result = alpha_unitizing(items, lengths, "A")
    assert result.observed == pytest.approx(0.91, abs=1e-9)
    assert result.expected == pytest.approx(289 / 540, abs=1e-9)
    assert result.alpha == pytest.approx(-0.7003, abs=1e-4)
    assert (result.coders, result.items, result.units, result.length) == (2, 1, 4, 10)


KRIPPENDORFF_2004 = [
    (0, "c", 225, 70),
    (0, "c", 370, 30),
    (1, "c", 220, 80),
    (1, "c", 355, 20),
    (1, "c", 400, 20),
    (0, "k", 180, 60),
    (0, "k", 300, 50),
    (1, "k", 180, 60),
    (1, "k", 300, 50),
]


def test_alpha_u_of_krippendorffs_2004_example():
    items, lengths = study(KRIPPENDORFF_2004, 300, begin=150)
    c = alpha_unitizing(items, lengths, "c")
    assert c.observed == pytest.approx(13 / 900, abs=1e-12)
    assert c.expected == pytest.approx(0.0532, abs=1e-4)
    assert c.alpha == pytest.approx(0.7286, abs=1e-4)
    k = alpha_unitizing(items, lengths, "k")
    assert k.observed == 0
    assert k.expected == pytest.approx(0.0490, abs=1e-4)
    assert k.alpha == 1


def krippendorff_1995(stretch):
    """Krippendorff 1995, p. 57: four categories, two raters, 24 characters, stretched."""
    rows = {
        "A": [(0, 2, 8), (0, 14, 6), (1, 4, 4), (1, 15, 2)],
        "B": [
            *[(0, 0, 18), (1, 0, 2), (1, 2, 1), (1, 3, 1)],
            *[(1, 4, 1), (1, 5, 1), (1, 6, 3), (1, 9, 1)],
        ],
        "C": [
            *[(0, 2, 6), (0, 10, 2), (0, 14, 4), (0, 20, 2)],
            *[(1, 0, 2), (1, 4, 4), (1, 10, 4), (1, 16, 2), (1, 20, 2)],
        ],
        "D": [
            *[(0, 0, 2), (0, 2, 8), (0, 10, 4), (0, 14, 6), (0, 20, 4)],
            *[(1, 0, 4), (1, 4, 4), (1, 8, 7), (1, 15, 2), (1, 17, 7)],
        ],
    }
    units = [
        (rater, label, int(offset * stretch), int(size * stretch))
        for label, unit_rows in rows.items()
        for rater, offset, size in unit_rows
    ]
    return study(units, int(24 * stretch))


def test_alpha_u_observed_disagreement_of_krippendorffs_1995_example():
    items, lengths = krippendorff_1995(1)
    observed = {c: alpha_unitizing(items, lengths, c).observed for c in "ABCD"}
    assert observed == pytest.approx({"A": 1 / 32, "B": 653 / 288, "C": 1 / 36, "D": 223 / 576})


def test_alpha_u_of_krippendorffs_1995_example_on_a_long_continuum():
    # The paper's D_e for C looks slightly off (DKPro's tests say so, hence its tolerances).
    items, lengths = krippendorff_1995(50_000)
    alphas = {c: alpha_unitizing(items, lengths, c).alpha for c in "ABCD"}
    assert alphas == pytest.approx({"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}, abs=0.02)


def test_alpha_u_says_not_enough_data():
    one_coder = {"a": {"ana": [Unit("X", 0, 3)]}}
    assert alpha_unitizing(one_coder, {"a": 10}, "X").alpha is None
    no_unit = {"a": {"ana": [], "alex": []}}
    result = alpha_unitizing(no_unit, {"a": 10}, "X")
    assert result.alpha is None and result.units == 0 and result.items == 1


def test_alpha_u_takes_the_items_with_the_most_common_number_of_coders():
    two = {"ana": [Unit("X", 0, 3)], "alex": [Unit("X", 0, 3)]}
    three = {"ana": [Unit("X", 0, 3)], "alex": [], "ali": [Unit("X", 5, 8)]}
    items = {"a": two, "b": two, "c": three}
    result = alpha_unitizing(items, dict.fromkeys("abc", 10), "X")
    assert (result.coders, result.items, result.left_out) == (2, 2, 1)
    assert result.alpha == 1
    assert alpha_unitizing(items, dict.fromkeys("abc", 10), "X", coders=3).items == 1


def test_alpha_u_reads_overlapping_spans_of_one_coder_as_one_stretch():
    overlapping = {"a": {"ana": [Unit("X", 0, 5), Unit("X", 3, 8)], "alex": [Unit("X", 0, 8)]}}
    assert alpha_unitizing(overlapping, {"a": 20}, "X").alpha == 1


# --- αu: a second implementation, brute force, from the definitions ----------------------------


def brute_alpha_u(coders, length, label):
    """Every pair of segments of every ordered pair of coders; every unit against every gap.
    Exact fractions. Segments: each coder's units of the label (none overlapping) and the
    gaps between them."""
    timelines = []
    for units in coders.values():
        spans = sorted((u.start, u.end) for u in units if u.label == label)
        segments, at = [], 0
        for start, end in spans:
            if start > at:
                segments.append((at, start, False))
            segments.append((start, end, True))
            at = end
        if at < length:
            segments.append((at, length, False))
        timelines.append(segments)
    m = len(timelines)
    observed = Fraction(0)
    for first, second in permutations(range(m), 2):
        for g in timelines[first]:
            for h in timelines[second]:
                if not (g[0] < h[1] and h[0] < g[1]):
                    continue
                if g[2] and h[2]:
                    observed += (g[0] - h[0]) ** 2 + (g[1] - h[1]) ** 2
                elif g[2] and h[0] <= g[0] and g[1] <= h[1]:
                    observed += (g[1] - g[0]) ** 2
                elif h[2] and g[0] <= h[0] and h[1] <= g[1]:
                    observed += (h[1] - h[0]) ** 2
    observed /= m * (m - 1) * length**2
    units = [e - s for t in timelines for s, e, is_unit in t if is_unit]
    gaps = [e - s for t in timelines for s, e, is_unit in t if not is_unit]
    n = len(units)
    numerator = Fraction(0)
    for u in units:
        numerator += Fraction(n - 1, 3) * (2 * u**3 - 3 * u**2 + u)
        numerator += u**2 * sum(g - u + 1 for g in gaps if g >= u)
    denominator = m * length * (m * length - 1) - sum(u * (u - 1) for u in units)
    expected = Fraction(2, length) * numerator / denominator
    return 1 - observed / expected if expected else None


@st.composite
def coded_continua(draw):
    length = draw(st.integers(5, 60))
    m = draw(st.integers(2, 4))
    coders = {}
    for coder in range(m):
        cuts = sorted(draw(st.sets(st.integers(0, length), max_size=8)))
        units = []
        for start, end in zip(cuts[::2], cuts[1::2], strict=False):
            if end > start and draw(st.booleans()):
                units.append(Unit(draw(st.sampled_from("XY")), start, end))
        coders[coder] = units
    return coders, length


@settings(max_examples=300, deadline=None)
@given(coded_continua())
def test_alpha_u_agrees_with_a_brute_force_reading_of_the_definition(case):
    coders, length = case
    for label in "XY":
        ours = alpha_unitizing({"item": coders}, {"item": length}, label).alpha
        brute = brute_alpha_u(coders, length, label)
        if brute is None:
            assert ours is None
        else:
            assert ours == pytest.approx(float(brute), abs=1e-9)


# --- Categories: κ and nominal α ---------------------------------------------------------------


def nltk_task(ratings):
    return AnnotationTask(
        data=[
            (str(coder), str(item), value)
            for item, row in enumerate(ratings)
            for coder, value in enumerate(row)
        ]
    )


def random_ratings(seed, things, coders, categories):
    rng = random.Random(seed)
    return [[rng.choice(categories) for _ in range(coders)] for _ in range(things)]


@pytest.mark.parametrize("seed", range(5))
def test_cohen_kappa_agrees_with_nltk(seed):
    ratings = random_ratings(seed, 40, 2, ["claim", "quote", "none"])
    # Some agreement beyond chance: the second coder copies the first half of the time.
    for row in ratings[::2]:
        row[1] = row[0]
    ours = cohen_kappa([(a, b) for a, b in ratings])
    assert ours.value == pytest.approx(nltk_task(ratings).kappa(), abs=1e-12)
    assert ours.items == 40


# Fleiss (1971) as Wikipedia works it through: 10 things, 14 raters, 5 categories; each row
# says how many raters chose each category. κ = 0.210.
FLEISS_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_of_the_published_example():
    ratings = [[c for c, count in enumerate(row) for _ in range(count)] for row in FLEISS_TABLE]
    result = fleiss_kappa(ratings)
    assert result.value == pytest.approx(0.210, abs=5e-4)
    assert result.observed == pytest.approx(0.378, abs=5e-4)
    assert (result.items, result.coders) == (10, 14)


@pytest.mark.parametrize("seed", range(5))
def test_fleiss_kappa_agrees_with_nltks_multi_coder_pi(seed):
    ratings = random_ratings(seed, 30, 4, ["a", "b", "c"])
    for row in ratings[::3]:
        row[:] = [row[0]] * 4
    assert fleiss_kappa(ratings).value == pytest.approx(nltk_task(ratings).pi(), abs=1e-12)


def test_fleiss_kappa_refuses_things_coded_by_different_numbers():
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([["a", "b"], ["a", "b", "c"]])


@pytest.mark.parametrize("seed", range(5))
def test_nominal_alpha_agrees_with_the_krippendorff_package(seed):
    rng = random.Random(seed)
    ratings = random_ratings(seed, 25, 3, [1, 2, 3, 4])
    for row in ratings[::2]:
        row[:] = [row[0]] * 3
    for row in ratings:  # missing values
        if rng.random() < 0.3:
            row[rng.randrange(3)] = None
    reliability = [
        [float("nan") if v is None else v for v in column] for column in zip(*ratings, strict=True)
    ]
    theirs = krippendorff.alpha(reliability_data=reliability, level_of_measurement="nominal")
    assert alpha_nominal(ratings).value == pytest.approx(theirs, abs=1e-12)


def test_nominal_alpha_and_kappas_say_not_enough_data():
    assert alpha_nominal([["a", None], [None, "b"]]).value is None
    assert cohen_kappa([]).value is None
    assert cohen_kappa([("a", "a"), ("a", "a")]).value is None  # chance is certain
    assert fleiss_kappa([]).value is None


# --- Span F1 ------------------------------------------------------------------------------------


def test_exact_and_overlap_f1_per_pair_and_together():
    ana = [Unit("quote", 0, 10), Unit("claim", 20, 30), Unit("claim", 40, 45)]
    alex = [Unit("quote", 0, 10), Unit("claim", 22, 30)]
    ali = [Unit("quote", 2, 8)]
    items = {"a": {"ana": ana, "alex": alex, "ali": ali}, "b": {"ana": []}}
    exact = span_f1(items)
    pair = exact.pairs["alex", "ana"]  # alex the reference, ana the other
    assert (pair.units_a, pair.units_b, pair.found_b, pair.found_a) == (2, 3, 1, 1)
    assert pair.precision == pytest.approx(1 / 3) and pair.recall == pytest.approx(1 / 2)
    assert pair.f1 == pytest.approx(2 / 5)
    overlap = span_f1(items, match="overlap")
    pair = overlap.pairs["alex", "ana"]
    assert (pair.precision, pair.recall) == (pytest.approx(2 / 3), 1)
    assert overlap.pairs["ali", "ana"].precision == pytest.approx(1 / 3)
    assert exact.pairs["ali", "ana"].f1 == 0
    # Together: the counts of the three pairs summed; pairs are (alex, ana), (alex, ali) and
    # (ali, ana), so the "other" units are ana's, ali's and ana's.
    assert exact.overall.found_b == 1 and exact.overall.units_b == 3 + 1 + 3
    assert exact.items == 1  # item "b" has one coder
    quotes = span_f1(items, label="quote")
    assert quotes.pairs["alex", "ana"].f1 == 1


def test_f1_says_not_enough_data():
    assert span_f1({"a": {"ana": [Unit("x", 0, 1)]}}).overall.f1 is None
    empty = span_f1({"a": {"ana": [], "alex": []}})
    assert empty.overall.f1 is None and empty.pairs["alex", "ana"].precision is None
    with pytest.raises(ValueError, match="exact"):
        span_f1({}, match="fuzzy")


def test_a_repeated_span_is_found_once_per_copy():
    items = {"a": {"ana": [Unit("x", 0, 4)] * 2, "alex": [Unit("x", 0, 4)]}}
    pair = span_f1(items).pairs["alex", "ana"]
    assert (pair.found_b, pair.found_a) == (1, 1)


# --- Values of matched spans ---------------------------------------------------------------------


def test_attribute_agreement_counts_same_values_and_number_distances():
    pairs = [
        ({"kind": "killed", "min": 12, "max": 12}, {"kind": "killed", "min": 10, "max": 12}),
        ({"kind": "injured", "min": 200}, {"kind": "killed", "min": 200, "max": 999}),
        ({"kind": None, "precision": "exact"}, {"kind": None, "min": None}),
    ]
    result = attribute_agreement(pairs)
    assert set(result) == {"kind", "min", "max"}
    assert (result["kind"].pairs, result["kind"].same) == (3, 2)
    assert result["kind"].share_same == pytest.approx(2 / 3)
    assert result["kind"].mean_abs_difference is None
    # The third pair has no min on one side: not compared.
    assert (result["min"].pairs, result["min"].same) == (2, 1)
    assert result["min"].mean_abs_difference == 1  # |12 − 10| and |200 − 200|
    assert result["max"].share_same == 1


@st.composite
def two_coders(draw):
    def units():
        return draw(
            st.lists(
                st.tuples(st.sampled_from("XY"), st.integers(0, 40), st.integers(1, 12)).map(
                    lambda t: Unit(t[0], t[1], t[1] + t[2])
                ),
                max_size=12,
            )
        )

    return {"a": units(), "b": units()}


@settings(max_examples=300, deadline=None)
@given(two_coders())
def test_overlap_counts_agree_with_comparing_every_pair_of_spans(coders):
    def found(units, reference):
        return sum(
            any(r.label == u.label and r.start < u.end and u.start < r.end for r in reference)
            for u in units
        )

    pair = span_f1({"item": coders}, match="overlap").pairs["a", "b"]
    assert pair.found_b == found(coders["b"], coders["a"])
    assert pair.found_a == found(coders["a"], coders["b"])
    per_item = SpanCounts({"item": coders}, match="overlap").per_item()["item"]
    assert (per_item.found_a, per_item.found_b) == (pair.found_a, pair.found_b)


def test_label_confusion_takes_the_widest_overlap():
    items = {
        "a": {
            "ana": [Unit("quote", 0, 10), Unit("claim", 20, 30), Unit("claim", 40, 45)],
            "alex": [Unit("claim", 0, 4), Unit("quote", 3, 10), Unit("claim", 22, 30)],
        },
        "solo": {"ali": [Unit("claim", 0, 4)]},
    }
    counts = label_confusion(items)
    assert counts["quote", "quote"] == 2  # ana's quote met alex's wider quote, and back
    assert counts["claim", "claim"] == 2
    assert counts["claim", NO_SPAN] == 1  # ana's 40–45
    assert counts["claim", "quote"] == 1  # alex's 0–4 lies mostly under ana's quote
    assert sum(counts.values()) == 6


@settings(max_examples=200, deadline=None)
@given(two_coders())
def test_label_confusion_agrees_with_comparing_every_pair_of_spans(coders):
    expected = {}
    for a, b in (("a", "b"), ("b", "a")):
        for unit in coders[a]:
            best, width = NO_SPAN, 0
            for other in sorted(coders[b], key=lambda u: u.start):
                overlap = min(unit.end, other.end) - max(unit.start, other.start)
                if overlap > width or (overlap == width > 0 and other.label == unit.label):
                    best, width = other.label, overlap
            expected[unit.label, best] = expected.get((unit.label, best), 0) + 1
    assert dict(label_confusion({"item": coders})) == expected
