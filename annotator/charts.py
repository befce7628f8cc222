"""Bar charts drawn on the server as SVG: no script, nothing for the CSP to allow. Every bar
carries its figure as text, so the chart reads without colour; the page's table below it
holds the same figures with their counts."""

from dataclasses import dataclass

WIDTH = 640
ROW = 22  # one bar
GROUP_GAP = 12
NAME_WIDTH = 170
VALUE_WIDTH = 60


@dataclass(frozen=True)
class Bar:
    series: str  # what the bar measures ("F1, exact")
    value: float | None  # in [-1, 1]; None: not enough data
    text: str  # the figure as shown
    y: int
    width: int  # from the zero line, to the right (0 for none or below zero)
    css: int  # which series: css class bar-<n>


@dataclass(frozen=True)
class Group:
    name: str
    y: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    groups: list[Group]
    height: int
    width: int = WIDTH
    zero: int = NAME_WIDTH
    plot: int = WIDTH - NAME_WIDTH - VALUE_WIDTH


def bars(rows: list[tuple[str, list[tuple[str, float | None, str]]]]) -> Chart:
    """rows: (group name, [(series, value, text)]). Values below zero (αu can be) show as
    a bar of no length with their figure: the scale runs from 0 to 1."""
    plot = WIDTH - NAME_WIDTH - VALUE_WIDTH
    groups = []
    y = 0
    for name, series in rows:
        top = y
        shown = []
        for index, (what, value, text) in enumerate(series):
            length = round(max(0.0, min(1.0, value)) * plot) if value is not None else 0
            shown.append(Bar(what, value, text, y, length, index + 1))
            y += ROW
        groups.append(Group(name, top, shown))
        y += GROUP_GAP
    return Chart(groups, max(y, ROW))


# --- Grids: a count per (row, column), e.g. which label one analyst drew where another drew
# which. Each cell says its count; its shade (share of its row, in five steps, darker is
# more) only repeats it, so the grid reads without colour.

CELL = 64
GRID_NAME_WIDTH = 150
HEADER = 110  # column names, slanted
SHADES = 5


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    text: str
    shade: int  # 0 (none of its row) … SHADES - 1 (most of it)
    marked: bool  # on the diagonal: drawn with a border


@dataclass(frozen=True)
class Grid:
    rows: list[tuple[str, int]]  # name, y of its middle
    columns: list[tuple[str, int]]  # name, x of its middle
    cells: list[Cell]
    width: int
    height: int
    size: int = CELL
    left: int = GRID_NAME_WIDTH
    top: int = HEADER


def grid(
    rows: list[str], columns: list[str], counts: list[list[int]], texts: list[list[str]]
) -> Grid:
    """counts[i][j] of row i and column j, shown as texts[i][j]; the cells where row and
    column have the same index are marked (agreement, for a confusion between labels)."""
    cells = []
    for i, (row, shown) in enumerate(zip(counts, texts, strict=True)):
        total = sum(row)
        for j, (count, text) in enumerate(zip(row, shown, strict=True)):
            # Any count at all is at least the lightest shade: "a few" is not "none".
            shade = 1 + round(count / total * (SHADES - 2)) if count else 0
            cells.append(Cell(GRID_NAME_WIDTH + j * CELL, HEADER + i * CELL, text, shade, i == j))
    return Grid(
        [(name, HEADER + i * CELL + CELL // 2) for i, name in enumerate(rows)],
        [(name, GRID_NAME_WIDTH + j * CELL + CELL // 2) for j, name in enumerate(columns)],
        cells,
        GRID_NAME_WIDTH + len(columns) * CELL + HEADER,  # room for the last slanted name
        HEADER + len(rows) * CELL,
    )
