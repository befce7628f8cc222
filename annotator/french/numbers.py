"""Read a French casualty expression into the attributes of a casualty figure.

The rules are those of the annotation guidelines (suggestions gold standard, §3.3), so that
the values prefilled for an analyst and those of the rule-based suggester agree:

>>> read_casualty("une dizaine de blessés")
Reading(min=10, max=10, precision='approx', kind='injured')
>>> read_casualty("57 passagers", "57 passagers ont péri dans le naufrage.")
Reading(min=57, max=57, precision='exact', kind='killed')
>>> parse_number("quatre-vingt-dix-sept")
97

Linear in the input: one regex pass cuts tokens, and the readers walk them left to right
with a look-ahead of a few tokens. Nothing here raises on any str.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from . import casualty_words as lexicon
from .casualty_words import Kind
from .tokens import APOSTROPHES, Token, phrase_end, tokenize, word_at

Precision = Literal["exact", "approx"]

# Values go to PostgreSQL integer columns.
MAX_VALUE = 2_147_483_647


@dataclass(frozen=True)
class Reading:
    min: int | None  # None: no lower bound stated
    max: int | None  # None: open-ended ("plus de 200")
    precision: Precision
    kind: Kind | None  # None when the words do not say


# --- Numbers ------------------------------------------------------------------------------

_UNITS = dict(
    zip(
        "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
        "seize".split(),
        range(1, 17),
        strict=True,
    )
)
_UNITS["une"] = 1
# Belgian and Swiss septante, huitante / octante, nonante included.
_TENS = {
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90,
}  # fmt: skip
_SCALES = {"milliard": 10**9, "million": 10**6}
_SCALE_WORDS = {"mille": 1000, "million": 10**6, "millions": 10**6}
_SCALE_WORDS |= {"milliard": 10**9, "milliards": 10**9}


def _small(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """1 to 19: "un" … "seize", "dix-sept" … "dix-neuf"."""
    word = word_at(tokens, i)
    if word == "dix" and word_at(tokens, i + 1) in ("sept", "huit", "neuf"):
        return 10 + _UNITS[word_at(tokens, i + 1)], i + 2
    if word in _UNITS:
        return _UNITS[word], i + 1
    return None


def _below_100(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    word = word_at(tokens, i)
    if word == "quatre" and word_at(tokens, i + 1) in ("vingt", "vingts"):
        if word_at(tokens, i + 1) == "vingts":  # "quatre-vingts" takes no tail
            return 80, i + 2
        tail = _small(tokens, i + 2)
        return (80 + tail[0], tail[1]) if tail else (80, i + 2)
    if word not in _TENS:
        return _small(tokens, i)
    value, j = _TENS[word], i + 1
    # "vingt et un", "soixante et onze" (1990 spelling: "vingt-et-un"); not "quatre-vingt et un".
    if word_at(tokens, j) == "et":
        if word_at(tokens, j + 1) in ("un", "une") or (
            word == "soixante" and word_at(tokens, j + 1) == "onze"
        ):
            return value + _UNITS[word_at(tokens, j + 1)], j + 2
        return value, j
    tail = _small(tokens, j)
    # "soixante-dix" … "soixante-dix-neuf"; other tens take 2 to 9 ("vingt-deux").
    if tail and (2 <= tail[0] <= 19 if word == "soixante" else 2 <= tail[0] <= 9):
        return value + tail[0], tail[1]
    return value, j


def _below_1000(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    if word_at(tokens, i) == "cent":
        tail = _below_100(tokens, i + 1)
        return (100 + tail[0], tail[1]) if tail else (100, i + 1)
    small = _below_100(tokens, i)
    if small is None:
        return None
    value, j = small
    hundred = word_at(tokens, j)
    if j != i + 1 or not 2 <= value <= 9 or hundred not in ("cent", "cents"):
        return small
    if hundred == "cents":  # "deux cents" takes no tail ("deux cents mille" is tolerated)
        return value * 100, j + 1
    tail = _below_100(tokens, j + 1)
    return (value * 100 + tail[0], tail[1]) if tail else (value * 100, j + 1)


def _spelled(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """A number in words, read greedily from i: its value and the index after it."""
    if word_at(tokens, i) == "zéro":
        return 0, i + 1
    total, j, found = 0, i, False
    for name, scale in _SCALES.items():
        group = _below_1000(tokens, j)
        if group and word_at(tokens, group[1]) in (name, name + "s"):
            total, j, found = total + group[0] * scale, group[1] + 1, True
    if word_at(tokens, j) == "mille":
        total, j, found = total + 1000, j + 1, True
    else:
        group = _below_1000(tokens, j)
        if group and group[0] >= 2 and word_at(tokens, group[1]) == "mille":
            total, j, found = total + group[0] * 1000, group[1] + 1, True
    group = _below_1000(tokens, j)
    if group:
        total, j, found = total + group[0], group[1], True
    return (total, j) if found else None


def _number(tokens: Sequence[Token], i: int) -> tuple[Fraction, int] | None:
    """Digits ("1 200", "3,5 millions") or words ("deux cents"), from i; maybe not whole."""
    if i < len(tokens) and tokens[i].kind == "num":
        value = tokens[i].number
        if value is None:
            return None
        scale = _SCALE_WORDS.get(word_at(tokens, i + 1))
        return (value * scale, i + 2) if scale else (value, i + 1)
    spelled = _spelled(tokens, i)
    return (Fraction(spelled[0]), spelled[1]) if spelled else None


def _fits(value: Fraction) -> bool:
    return value.denominator == 1 and 0 <= value <= MAX_VALUE


def parse_number(text: str) -> int | None:
    """The whole of `text` as one non-negative int ("1 200", "mille deux cents"), else None.

    >>> parse_number("3,5 millions"), parse_number("1.200"), parse_number("1,5")
    (3500000, 1200, None)
    """
    if any(apostrophe in text for apostrophe in APOSTROPHES):
        return None  # elision marks separate words of a phrase, never parts of a number
    tokens = tokenize(text)
    number = _number(tokens, 0)
    if number is None or number[1] != len(tokens) or not _fits(number[0]):
        return None
    return int(number[0])


# --- Quantities ---------------------------------------------------------------------------


_ANY_HEDGE = lexicon.LOWER + lexicon.UPPER + lexicon.HEDGES


@dataclass(frozen=True)
class _Quantity:
    min: Fraction | None
    max: Fraction | None
    approx: bool
    end: int  # index of the token after it
    bare: bool = False  # one number token, no multiplier: may have an elided one


def _count(tokens: Sequence[Token], i: int) -> _Quantity | None:
    """One count at i: "trois", "1 200", "une centaine", "plusieurs milliers", "aucun"."""
    word = word_at(tokens, i)
    if word in lexicon.ZERO:
        return _Quantity(Fraction(0), Fraction(0), approx=False, end=i + 1)
    if word in ("plusieurs", "quelques", "des"):
        vague = _vague(tokens, i + 1)
        if vague or word == "des":  # "des blessés" is no figure (§3.1)
            return vague
        return _Quantity(Fraction(2), None, approx=True, end=i + 1)
    if word in lexicon.VAGUE_UNITS:  # "milliers de réfugiés", without a determiner
        return _vague(tokens, i)
    number = _number(tokens, i)
    if number is None:
        return None
    value, j = number
    if word_at(tokens, j) not in lexicon.ROUND:
        return _Quantity(value, value, approx=False, end=j, bare=j == i + 1)
    value, j = value * lexicon.ROUND[word_at(tokens, j)], j + 1
    while word_at(tokens, j) in ("de", "d") and word_at(tokens, j + 1) in lexicon.MULTIPLIERS:
        value, j = value * lexicon.MULTIPLIERS[word_at(tokens, j + 1)], j + 2
    return _Quantity(value, value, approx=True, end=j)


def _vague(tokens: Sequence[Token], i: int) -> _Quantity | None:
    unit = lexicon.VAGUE_UNITS.get(word_at(tokens, i))
    if unit is None:
        return None
    j = i + 1
    while word_at(tokens, j) in ("de", "d") and word_at(tokens, j + 1) in lexicon.MULTIPLIERS:
        unit, j = unit * lexicon.MULTIPLIERS[word_at(tokens, j + 1)], j + 2
    return _Quantity(Fraction(2 * unit), Fraction(10 * unit - 1), approx=True, end=j)


def _starts_number(tokens: Sequence[Token], i: int) -> bool:
    return _number(tokens, i) is not None


def _quantity(tokens: Sequence[Token], i: int) -> _Quantity | None:
    """The whole quantity expression at i, with its approximators, bounds and ranges."""
    while word_at(tokens, i) in lexicon.SKIPPED:
        i += 1
    bound: Literal["lower", "upper"] | None = None
    hedged = between = False
    while True:
        if (j := phrase_end(tokens, i, lexicon.LOWER)) > i:
            bound = "lower"
        elif (j := phrase_end(tokens, i, lexicon.UPPER)) > i:
            bound = "upper"
        elif (j := phrase_end(tokens, i, lexicon.HEDGES)) > i:
            hedged = True
        elif word_at(tokens, i) in ("quelque", "quelques") and _starts_number(tokens, i + 1):
            j, hedged = i + 1, True  # "quelque 50": about 50; "quelques blessés" is a count
        elif word_at(tokens, i) == "entre":
            j, between = i + 1, True
        elif word_at(tokens, i) in ("de", "d") and _starts_number(tokens, i + 1):
            j = i + 1  # "de 15 à 25"
        else:
            break
        i = j
    first = _count(tokens, i)
    if first is None:
        return None
    low, high, end, bare = first.min, first.max, first.end, first.bare
    approx = first.approx or hedged or between or bound is not None
    link = word_at(tokens, end)
    if link in ("à", "ou") or (between and link == "et"):
        second_at = end + 1
        # Hedges on a bound are ignored (§3.3): "entre 30 et près de 40" is 30 to 40.
        while (j := phrase_end(tokens, second_at, _ANY_HEDGE)) > second_at:
            second_at = j
        second = _count(tokens, second_at)
        if second is not None and low is not None and second.min is not None:
            low = min(low, second.min)
            high = None if high is None or second.max is None else max(high, second.max)
            approx, end, bare = True, second.end, False
    if between:
        bound = None  # "entre au moins 30 et 40": the hedge on a bound is ignored too
    if bound == "lower":
        high = None
    elif bound == "upper":
        low = None
    return _Quantity(low, high, approx, end, bare)


# --- Kinds --------------------------------------------------------------------------------

# A new count or noun phrase after "et" / "ou" ends the clause about this one.
_PHRASE_STARTS = frozenset(_UNITS) | frozenset(_TENS) | lexicon.ZERO | {"cent", "mille"}
_PHRASE_STARTS |= lexicon.NOUN_PHRASE_STARTS
_PHRASE_FIRST_WORDS = {phrase[0] for phrase, _ in lexicon.KIND_PHRASES}


def _is_stop(token: Token) -> bool:
    if token.kind == "punct":
        return token.text in lexicon.STOP_PUNCT
    return token.kind == "word" and token.text in lexicon.STOP_WORDS


def _kind_phrase(tokens: Sequence[Token], i: int) -> tuple[Kind, int] | None:
    for phrase, kind in lexicon.KIND_PHRASES:
        if (j := phrase_end(tokens, i, [phrase])) > i:
            return kind, j
    return None


def _kinds(tokens: Sequence[Token], i: int, limit: int) -> list[tuple[Kind, str]]:
    """The kind words from i to the end of the clause about this count, with their words."""
    found: list[tuple[Kind, str]] = []
    end = min(len(tokens), i + limit)
    while i < end:
        word = word_at(tokens, i)
        if _is_stop(tokens[i]):
            break
        if word in ("et", "ou") and (
            word_at(tokens, i + 1) in _PHRASE_STARTS
            or (i + 1 < len(tokens) and tokens[i + 1].kind == "num")
        ):
            break
        phrase = _kind_phrase(tokens, i) if word in _PHRASE_FIRST_WORDS else None
        if phrase:
            found.append((phrase[0], word))
            i = phrase[1]
            continue
        if word in lexicon.KINDS:
            found.append((lexicon.KINDS[word], word))
        i += 1
    return found


def _after_dont(before: Sequence[Token]) -> tuple[Kind | None, Fraction | None, int]:
    """A subset after "dont": the kind of the total it belongs to, and the total's count
    of millions or milliards ("3 millions de sinistrés, dont 1" -> affected, 3, 10**6)."""
    k = len(before) - 1
    if word_at(before, k) == "les":  # "9 morts, dont les 2 pilotes"
        k -= 1
    if word_at(before, k) != "dont":
        return None, None, 1
    k -= 1
    if k >= 0 and before[k].text == ",":
        k -= 1
    kind: Kind | None = None
    mantissa, scale = None, 1
    for p in range(k, max(-1, k - 8), -1):
        word = word_at(before, p)
        if _is_stop(before[p]):  # "dont" among them
            break
        kind = kind or lexicon.KINDS.get(word)
        if mantissa is None and word in ("million", "millions", "milliard", "milliards") and p:
            if before[p - 1].kind == "num":
                mantissa = before[p - 1].number
            elif (one := _below_1000(before, p - 1)) and one[1] == p:
                mantissa = Fraction(one[0])
            scale = _SCALE_WORDS[word] if mantissa is not None else 1
    return kind, mantissa, scale


def _context(span_text: str, sentence: str, at: int | None) -> tuple[list[Token], list[Token]]:
    """The tokens of `sentence` before and after the span (empty when it is not there)."""
    if not span_text or not sentence:
        return [], []
    if at is None or at < 0 or sentence[at : at + len(span_text)] != span_text:
        # No position given: the first occurrence. Pass `at` when the text repeats.
        at = sentence.find(span_text)
        if at < 0:
            return [], []
    return tokenize(sentence[:at]), tokenize(sentence[at + len(span_text) :])


def read_casualty(span_text: str, sentence: str = "", at: int | None = None) -> Reading | None:
    """Read a casualty figure's span ("au moins 17 morts") into its attributes, or None when
    it holds no quantity (or one beyond MAX_VALUE).

    `sentence`, if given, is the sentence the span was taken from, and `at` the span's
    offset in it: the kind is read from the span's head noun, then from the words after it
    ("57 passagers ont péri"), which win (§3.3); an estimate ("estimées à …")
    makes it approx; a subset after "dont" takes the total's kind and elided multiplier.

    >>> read_casualty("1,5", "3 millions de sinistrés, dont 1,5 dans le delta")
    Reading(min=1500000, max=1500000, precision='exact', kind='affected')
    """
    tokens = tokenize(span_text)
    quantity = _quantity(tokens, 0)
    if quantity is None:
        return None
    before, after = _context(span_text, sentence, at)
    low, high, approx = quantity.min, quantity.max, quantity.approx
    total_kind, mantissa, scale = _after_dont(before)
    stated = low if low is not None else high
    if (
        quantity.bare
        and quantity.end == len(tokens)
        and mantissa is not None
        and stated is not None
        and stated <= mantissa
    ):
        # "3 millions de sinistrés, dont 1 dans le delta": millions too.
        low = None if low is None else low * scale
        high = None if high is None else high * scale
    n = len(before)
    if word_at(before, n - 1) == "à" and word_at(before, n - 2).startswith(("estim", "évalu")):
        approx = True  # "… estimées à 300" (§3.3)
    if (low is not None and not _fits(low)) or (high is not None and not _fits(high)):
        return None
    head = _kinds(tokens, quantity.end, len(tokens))
    predicate = _kinds(after, 0, lexicon.WINDOW)
    kind = head[-1][0] if head else None
    if predicate and not (kind not in (None, "affected") and predicate[0][1].startswith("évacu")):
        # The predicate wins, but wounded "évacués" are taken to hospital, not displaced.
        kind = predicate[0][0]
    elif not head:
        kind = lexicon.VERBS.get(word_at(before, n - 1)) or total_kind
    return Reading(
        min=None if low is None else int(low),
        max=None if high is None else int(high),
        precision="approx" if approx else "exact",
        kind=kind,
    )
