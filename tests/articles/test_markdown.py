"""The Markdown reader: what it strips, and why it cannot rescan a line (issue 15).

Speed itself is the bench's (scenario 6, `make bench`); here, the property that makes it
linear: no inline pattern repeats a class that admits the character its attempts start
with, so a failed attempt never runs over the place where the next one begins.
"""

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest

from annotator.articles.markdown import INLINE, inline, read

LOOKAROUND = (sre.ASSERT, sre.ASSERT_NOT)


def repeats(parsed):
    """Every repeat's body in a parsed pattern, nested ones too."""
    for op, value in parsed:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            yield value[2]
            yield from repeats(value[2])
        elif op is sre.SUBPATTERN:
            yield from repeats(value[-1])
        elif op is sre.BRANCH:
            for branch in value[1]:
                yield from repeats(branch)
        elif op in LOOKAROUND:
            yield from repeats(value[1])


def steps(body):
    """(first consuming item, guarded by a lookaround) for each way one step can go."""
    items = list(body)
    if len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][-1])
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        for branch in items[0][1][1]:
            yield from steps(branch)
        return
    consuming = [item for item in items if item[0] not in LOOKAROUND]
    yield consuming[0], len(consuming) < len(items)


def takes(item, character):
    """Whether a literal, a class or "any" matches `character`."""
    op, value = item
    if op is sre.ANY:
        return True
    if op is sre.LITERAL:
        return chr(value) == character
    if op is sre.NOT_LITERAL:
        return chr(value) != character
    assert op is sre.IN, op
    negate = value[0][0] is sre.NEGATE
    found = False
    for kind, member in value[1:] if negate else value:
        if kind is sre.LITERAL:
            found |= chr(member) == character
        elif kind is sre.RANGE:
            found |= member[0] <= ord(character) <= member[1]
        elif kind is sre.CATEGORY:
            found |= bool(
                re.fullmatch({"CATEGORY_SPACE": r"\s"}.get(str(member), r"\w"), character)
            )
    return found != negate


def prefix(parsed):
    """The literal characters every attempt of the pattern starts with ("![" for images)."""
    items = [item for item in parsed if item[0] not in LOOKAROUND]
    literals = []
    for op, value in items:
        if op is not sre.LITERAL:
            break
        literals.append(chr(value))
    assert literals, "no literal start"
    return literals


def rescans(pattern):
    """Whether a repeat can run, unguarded, over every character an attempt starts with.

    If no repeat takes one of them, a failed attempt stops before the next attempt's
    start: each character is then scanned a bounded number of times.
    """
    parsed = _parser.parse(pattern)
    taken = [(item, guarded) for body in repeats(parsed) for item, guarded in steps(body)]
    return all(
        any(takes(item, c) and not guarded for item, guarded in taken) for c in prefix(parsed)
    )


@pytest.mark.parametrize("pattern", [p.pattern for p, *_ in INLINE])
def test_no_inline_pattern_repeats_over_the_start_of_a_next_attempt(pattern):
    # Guarded steps ("*" only inside a word) take characters where the pattern's own
    # lookbehind refuses to start.
    assert not rescans(pattern)


@pytest.mark.parametrize(
    "old",
    [r"(?<!\\)\*\*(?=\S)(.+?)(?<=[^\s\\])\*\*", r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])"],
    ids=["bold", "link"],
)
def test_the_old_quadratic_patterns_fail_that_rule(old):
    assert rescans(old)


@pytest.mark.parametrize(
    "line",
    [
        "**a " * 1000,  # the attack: unclosed bold, each rescanning the rest
        "[" * 1000 + "a" + "](" * 500,  # nested brackets, no link
        "![a](<https://a [b](" * 200,  # unclosed images, autolinks, links
        "_a " * 1000,
        "*a " * 1000,
    ],
    ids=["bold", "brackets", "links", "underscores", "stars"],
)
def test_unclosed_markers_stay_as_written(line):
    assert inline(line) == line


def test_runs_of_backticks_and_underscores_pair_as_before():
    assert inline("```` a ____ __a ") == "```` a __ __a "


def test_every_kind_of_inline_syntax_is_stripped():
    line = "*un* et **deux** et _trois_ et `quatre` et [cinq](u) ![x](y) <https://six.example>"
    assert inline(line) == "un et deux et trois et quatre et cinq  https://six.example"


def test_bold_may_hold_italics_and_words_keep_their_underscores():
    assert inline("**un *très* bon**") == "un très bon"
    assert inline("le rapport_final_v2 et __Radio__") == "le rapport_final_v2 et Radio"


def test_heading_closing_hashes_go_only_after_a_space():
    assert read("## Titre ##\n# C#") == ("Titre\nC#", "Titre")
