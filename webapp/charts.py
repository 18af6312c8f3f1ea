"""A small horizontal bar chart drawn on the server as SVG, with its numbers also given as text."""

from __future__ import annotations

import dataclasses

BAR_HEIGHT = 22
GAP = 6
WIDTH = 600  # viewBox units; the SVG scales to its container
LABEL_WIDTH = 260  # room for the labels, left of the bars
BAR_SPACE = 290  # the longest bar; the count is written after each bar


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    count: int
    url: str
    y: int
    width: float  # viewBox units


@dataclasses.dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = WIDTH


def bar_chart(title: str, items: list[tuple[str, int, str]]) -> Chart:
    """Bars for (label, count, link) items, longest for the largest count, in the order given."""
    top = max((count for _label, count, _url in items), default=0) or 1
    bars = [
        Bar(label, count, url, i * (BAR_HEIGHT + GAP), round(BAR_SPACE * count / top, 1))
        for i, (label, count, url) in enumerate(items)
    ]
    return Chart(title, bars, max(1, len(bars)) * (BAR_HEIGHT + GAP))
