"""Normalising an imported text (line endings, NFC) and carrying offsets across exactly."""

import itertools
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.articles.cleaning import LINE_BREAKS, clean_text
from annotator.articles.normalisation import normalise


def equivalent(text):
    """What the upload path makes of these characters: line endings, then NFC."""
    return unicodedata.normalize("NFC", LINE_BREAKS.sub("\n", text))


def test_line_endings_and_composition_are_counted():
    n = normalise("Le pre\u0301fet\r\na parle\u0301.\rFin\u2028.")
    assert n.text == "Le préfet\na parlé.\nFin\n."
    assert (n.line_endings, n.composed, n.changed) == (3, True, True)
    assert not normalise("Déjà NFC\net \\n.").changed


def test_a_span_across_a_windows_line_break_moves_with_the_text():
    text = "Titre\r\n\r\nLe maire a parlé.\r\nFin."
    n = normalise(text)
    start, end = text.index("Le"), text.index("Fin") + 3
    assert n.text[n.position(start) : n.position(end)] == "Le maire a parlé.\nFin"


def test_positions_inside_a_rewritten_unit_have_no_place():
    n = normalise("Cafe\u0301\r\nnoir")
    assert n.position(4) is None  # between "e" and its accent
    assert n.position(6) is None  # between "\r" and "\n"
    assert [n.position(i) for i in (0, 3, 5, 7, 11)] == [0, 3, 4, 5, 9]


def test_the_text_is_what_the_upload_path_would_store_for_these_characters():
    raw = "Un te\u0301moin\r\n\r\nLa pre\u0301fe\u0300te"
    assert normalise(raw).text == clean_text(raw).text


# Letters, combining accents (some in non-canonical order), line endings of every kind,
# Hangul jamo and Tibetan vowels (which compose or reorder across starters), emoji.
PIECES = st.sampled_from(
    [
        "a", "e", "E", " ", "\u00e9", "\u0301", "\u0300", "\u0327", "\u0323", "\u0302",
        "\r\n", "\r", "\n", "\u2028", "\x0c", "\x85",
        "\u1100", "\u1161", "\u11a8", "\uac00", "\u0f71", "\u0f72", "\u0f73", "\u0f74",
        "\u0b47", "\u0b3e", "\u212b", "\u0344", "🌊",
    ]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=30).map("".join)


SPANS = TEXTS.flatmap(
    lambda text: st.tuples(st.just(text), st.integers(0, len(text)), st.integers(0, len(text)))
)


@settings(max_examples=300, deadline=None)  # no wall-clock limit on a shared machine
@given(SPANS)
@example(("e\u0301\r\ne\u0301", 0, 6))
@example(("\u1100\u1161\u11a8\r\nx\u0f74\u0f73", 5, 8))
def test_mapped_offsets_slice_the_normalised_span_text(case):
    text, one, two = case
    start, end = min(one, two), max(one, two)
    n = normalise(text)
    assert n.text == equivalent(text)
    assert n.position(0) == 0 and n.position(len(text)) == len(n.text)
    new_start, new_end = n.position(start), n.position(end)
    if new_start is not None and new_end is not None:
        assert n.text[new_start:new_end] == equivalent(text[start:end])


@settings(deadline=None)
@given(TEXTS)
def test_positions_keep_their_order_and_line_starts_keep_a_place(text):
    n = normalise(text)
    kept = [n.position(i) for i in range(len(text) + 1) if n.position(i) is not None]
    assert kept == sorted(kept)
    # A composed letter ends at its line's end at the latest: a line start always has a place.
    line_starts = [0, *(i + 1 for i, char in enumerate(text) if char == "\n"), len(text)]
    assert all(n.position(i) is not None for i in line_starts)
    # So a span of whole lines always moves, and keeps its meaning.
    for start, end in itertools.pairwise(line_starts):
        assert n.text[n.position(start) : n.position(end)] == equivalent(text[start:end])
