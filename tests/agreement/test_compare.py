"""The side-by-side comparison of an article's spans: rows and their differences."""

from annotator.agreement.compare import BOUNDS, LABEL, MISSING, VALUES, Drawn, align


def drawn(pk, label, start, end, **values):
    return Drawn(pk, label, start, end, "x" * (end - start), values)


def test_overlapping_spans_share_a_row_and_say_how_they_differ():
    rows = align(
        {
            1: [
                drawn(1, "Quote", 0, 10),
                drawn(2, "Claim", 20, 30),
                drawn(3, "Casualty", 40, 48, kind="killed"),
                drawn(4, "Claim", 60, 70),
            ],
            2: [
                drawn(5, "Quote", 0, 10),
                drawn(6, "Claim", 22, 30),
                drawn(7, "Casualty", 40, 48, kind="injured"),
                drawn(8, "Quote", 60, 70),
            ],
            3: [drawn(9, "Quote", 0, 10), drawn(10, "Claim", 20, 30)],
        }
    )
    assert [(r.start, r.end) for r in rows] == [(0, 10), (20, 30), (40, 48), (60, 70)]
    assert [r.differences for r in rows] == [(), (BOUNDS,), (MISSING, VALUES), (MISSING, LABEL)]
    assert rows[2].missing_for == (3,) and rows[3].missing_for == (3,)
    assert [s.pk for s in rows[1].cells[2]] == [6]
    assert rows[3].cells[3] == []


def test_a_chain_of_overlaps_is_one_row():
    rows = align(
        {1: [drawn(1, "Claim", 0, 10), drawn(2, "Claim", 8, 20)], 2: [drawn(3, "Claim", 5, 12)]}
    )
    assert len(rows) == 1
    assert (rows[0].start, rows[0].end, rows[0].differences) == (0, 20, (BOUNDS,))


def test_touching_spans_are_two_rows():
    rows = align({1: [drawn(1, "Claim", 0, 10)], 2: [drawn(2, "Claim", 10, 20)]})
    assert [r.differences for r in rows] == [(MISSING,), (MISSING,)]


def test_the_same_span_and_values_agree():
    same = {
        1: [drawn(1, "Casualty", 3, 9, kind="killed", min=12)],
        2: [drawn(2, "Casualty", 3, 9, min=12, kind="killed")],
    }
    assert align(same)[0].differences == ()
