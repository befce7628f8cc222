"""French text as tokens for reading numbers: words (lower-cased, NFC), numbers in digits
with their French separators glued ("1 200", "1.200", "3,5"), and single marks.

Offsets are not kept: readers look at words, never back at the text. One regex pass and one
walk over its matches, so linear in the text.
"""

import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal, NamedTuple

# A word (with combining accents, for text not in NFC) or any other single character.
_RAW = re.compile(r"[\w\u0300-\u036f]+|\S")
# Thousands separators: space, no-break space, narrow no-break space, thin space (digits
# around a dot are handled apart, the dot being a token of its own).
_GROUP_SPACES = " \u00a0\u202f\u2009"
_HYPHENS = "-\u2010\u2011"
# Elision ("jusqu'à", "d’une"): the apostrophe only separates words. U+02BC is a letter
# for the regex, so it is made a ’ first (same length: offsets do not move).
APOSTROPHES = "'’\u02bc"
_DIGITS = frozenset("0123456789")
# More digits than any count of people; int() of thousands of digits would raise.
_MAX_DIGITS = 16


# A NamedTuple rather than a dataclass: quicker to build, and a long sentence makes many.
class Token(NamedTuple):
    kind: Literal["num", "word", "punct", "other"]
    text: str  # lower-cased NFC for words
    number: Fraction | None = None  # for "num": its value ("1,5" -> 3/2)


def _is_digits(text: str) -> bool:
    # str.isdigit() alone accepts "٣" and "３": only ASCII digits are numbers here.
    return text.isascii() and text.isdigit()


def tokenize(text: str) -> list[Token]:
    text = text.replace("\u02bc", "’")
    raw = [(m.group(), *m.span()) for m in _RAW.finditer(text)]
    tokens: list[Token] = []
    append = tokens.append  # the loop runs once per word of every sentence read
    i, n = 0, len(raw)
    while i < n:
        word, start, end = raw[i]
        if word[0] in _DIGITS and _is_digits(word):
            i, token = _digits_token(text, raw, i)
            append(token)
            continue
        i += 1
        if word in APOSTROPHES:
            continue
        if word in _HYPHENS and tokens and tokens[-1].kind == "word" and i < n:
            # A hyphen inside a word ("dix-sept", "sans-abri") joins parts we read apart.
            before, after = raw[i - 2], raw[i]
            if (
                before[2] == start
                and after[1] == end
                and before[0].isalpha()
                and after[0].isalpha()
            ):
                continue
        if not word.isascii():  # ASCII is its own NFC: most words skip the call
            word = unicodedata.normalize("NFC", word)
        word = word.lower()
        if word.isalpha():
            append(Token("word", word))
        elif len(word) == 1 and not word.isalnum() and word != "_":
            append(Token("punct", word))
        else:  # "3e", "12h", "٣": neither a number nor a word we could read
            append(Token("other", word))
    return tokens


def _digits_token(text: str, raw: list[tuple[str, int, int]], i: int) -> tuple[int, Token]:
    """Join "1 200", "1.200.000" or "3,5" (raw tokens from i) into one number token."""
    groups, end = [raw[i][0]], raw[i][2]
    j = i + 1

    def glued(k: int, at: int) -> bool:
        return k < len(raw) and raw[k][1] == at

    if len(groups[0]) <= 3:
        separator = None
        while True:
            if glued(j, end + 1) and text[end] in _GROUP_SPACES and separator in (None, text[end]):
                group_at, sep = j, text[end]
            elif (
                glued(j, end)
                and raw[j][0] == "."
                and separator in (None, ".")
                and glued(j + 1, end + 1)
            ):
                group_at, sep = j + 1, "."
            else:
                break
            group = raw[group_at][0]
            if not (_is_digits(group) and len(group) == 3):
                break
            groups.append(group)
            separator, end, j = sep, raw[group_at][2], group_at + 1
    fraction = ""
    if glued(j, end) and raw[j][0] == "," and glued(j + 1, end + 1) and _is_digits(raw[j + 1][0]):
        fraction, end, j = raw[j + 1][0], raw[j + 1][2], j + 2
    if glued(j, end) and raw[j][0] in ".," and glued(j + 1, end + 1) and raw[j + 1][0][0].isdigit():
        # "1.20", "1.2345", "3,5,2": not a French number; reading "1" would be a lie.
        return j + 2, Token("other", text[raw[i][1] : raw[j + 1][2]])
    digits = "".join(groups)
    if len(digits) > _MAX_DIGITS or len(fraction) > _MAX_DIGITS:
        return j, Token("num", digits, None)
    value = Fraction(int(digits))
    if fraction:
        value += Fraction(int(fraction), 10 ** len(fraction))
    return j, Token("num", digits, value)


def word_at(tokens: Sequence[Token], i: int) -> str:
    """The word at i, or "" (past the end, or not a word): keeps look-ahead checks short."""
    if 0 <= i < len(tokens) and tokens[i].kind == "word":
        return tokens[i].text
    return ""


def phrase_end(tokens: Sequence[Token], i: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """Index after the first phrase of `phrases` found at i, or i."""
    first = word_at(tokens, i)
    if not first:
        return i
    for phrase in phrases:
        # The first word rules out most phrases before the others are looked at.
        if phrase[0] == first and all(
            word_at(tokens, i + k) == word for k, word in enumerate(phrase[1:], start=1)
        ):
            return i + len(phrase)
    return i
