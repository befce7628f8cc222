from types import SimpleNamespace as NS

from annotator.articles.layout import layout, units_touching

TEXT = "Titre\n\nUne phrase. Deux « mots ».\nFin 😀 ici."


def sentences():
    spans = [(0, 5), (7, 18), (19, 33), (34, 44)]
    return [NS(index=i, start=s, end=e) for i, (s, e) in enumerate(spans)]


def span(pk, start, end, color=1):
    return NS(pk=pk, start=start, end=end, label=NS(color=color, name=f"L{pk}"))


def test_units_cover_each_line_exactly():
    lines = layout(TEXT, sentences(), [])
    assert [[u.index for u in line] for line in lines] == [[0], [1, 2], [3]]
    for line in lines:
        text = "".join(seg.text for unit in line for seg in unit.segments)
        start = line[0].unit_start
        assert TEXT[start : start + len(text)] == text
        assert "\n" not in text
    # The gap after a sentence belongs to it.
    assert lines[1][0].segments[-1].text.endswith(". ")


def test_overlapping_spans_split_segments_and_carry_both():
    quote, claim = span(1, 19, 33), span(2, 24, 32, color=2)
    units = units_touching(TEXT, sentences(), [quote, claim], [(24, 32)])
    assert [u.index for u in units] == [2]
    segs = units[0].segments
    both = [s for s in segs if len(s.marks) == 2]
    assert [s.text for s in both] == ["« mots »"]
    assert segs[0].starts == [quote]


def test_span_crossing_sentences_touches_both_units():
    cross = span(1, 12, 24)
    units = units_touching(TEXT, sentences(), [cross], [(12, 24)])
    assert [u.index for u in units] == [1, 2]


def test_offsets_count_code_points_after_an_emoji():
    emoji_at = TEXT.index("😀")
    after = span(1, emoji_at + 2, emoji_at + 6)
    units = units_touching(TEXT, sentences(), [after], [(after.start, after.end)])
    marked = [s for s in units[0].segments if s.marks]
    assert marked[0].start == after.start
    assert marked[0].text == "ici."
