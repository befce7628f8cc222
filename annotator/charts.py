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
