"""commitments.charts: the SVG bar chart's legend stays inside the chart (session 20)."""

import re

from commitments.charts import hbar_chart


def _text_width(text: str, size: int) -> int:
    """A CJK character is a square at its font size, a Latin one at most ~0.6 of it."""
    return sum(size if ord(ch) >= 0x2E80 else round(size * 0.6) for ch in text)


ENGLISH = ["Fulfilled on time", "Fulfilled late", "Partly fulfilled", "Missed", "Overdue", "Open, not yet due"]


def _legend(svg: str) -> list[tuple[float, float, str]]:
    return [
        (float(x), float(y), text)
        for x, y, text in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)" font-size="12" fill="#1f2933">([^<]+)</text>', svg
        )
    ]


def test_a_long_english_legend_wraps_inside_the_chart():
    """In English the per-agency chart's legend ran past the SVG's right edge ("Fu…" for "Fulfilled late")."""
    colours = ["#1", "#2", "#3", "#4", "#5", "#6"]
    rows = [("Agency A", [(i + 1, c, name) for i, (c, name) in enumerate(zip(colours, ENGLISH, strict=True))])]
    svg = str(hbar_chart(rows, width=720, title="t"))
    height = int(re.search(r'height="(\d+)"', svg).group(1))
    legend = _legend(svg)
    assert [t for _, _, t in legend] == ENGLISH
    for x, y, text in legend:
        assert x + _text_width(text, 12) <= 720, text
        assert y <= height
    assert len({y for _, y, _ in legend}) > 1  # wrapped onto a second line


def test_a_chinese_legend_stays_on_one_line():
    names = ["按期兑现", "逾期兑现", "部分兑现", "未兑现", "已逾期", "未到期"]
    rows = [("甲局", [(1, f"#{i}", n) for i, n in enumerate(names)])]
    legend = _legend(str(hbar_chart(rows, width=720)))
    assert [t for _, _, t in legend] == names
    assert len({y for _, y, _ in legend}) == 1
