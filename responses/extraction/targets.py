"""Targets: quantities in the text, multiplied out (300 亿元 → 30000000000 元, 20 万吨 → 200000 吨).

Contract: ``find_targets(text) -> list[Target]`` scans the whole text once. A target is a number
(Arabic, full-width, or Chinese before 万/亿) followed by a multiplier and/or a unit from the list
(元, 吨, GW, 个, 户, 家, 项, 人, 亩, 平方公里, % …). A bare "20 亿"/"1000万" is money (元) unless
the words just before it speak of people (人口, 人数 → 人). Years, dates, ordinals (第5位) and
durations (三个月) are not targets. ``text`` keeps the words as written.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from .numerals import integral, to_number
from .scan import Prefiltered
from .types import Target

_UNITS = (
    "个百分点",
    "平方公里",
    "平方千米",
    "平方米",
    "立方米",
    "千瓦时",
    "万千瓦",
    "千瓦",
    "兆瓦",
    "公里",
    "千米",
    "公顷",
    "公斤",
    "千克",
    "人次",
    "美元",
    "元",
    "吨",
    "GW",
    "MW",
    "kW",
    "KW",
    "GWh",
    "个",
    "户",
    "家",
    "项",
    "件",
    "座",
    "条",
    "所",
    "人",
    "名",
    "亩",
    "%",
    "％",
    "套",
    "台",
    "辆",
    "株",
    "张",
    "床",
    "间",
    "栋",
    "批",
    "米",
    "处",
    "斤",
    # measure words of things a letter promises to build or buy: 路灯30盏, 机井10眼, 图书2万册
    "盏",
    "棵",
    "块",
    "口",
    "眼",
    "头",
    "只",
    "场次",
    "场",
    "册",
    "部",
)
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
_SP = r"[ \t\u3000\xa0]*"
_NUMBER = r"\d+(?:[.．]\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
_NUMBER_AFTER_ITS_FIRST_DIGIT = r"\d*(?:[.．]\d+)?|\d{0,2}(?:,\d{3})+(?:\.\d+)?"
TARGET_RE = re.compile(
    rf"(?<![\d.．第])(?:"
    rf"(?P<num>{_NUMBER}){_SP}"
    rf"(?:(?P<mult>万亿|亿|万|千){_SP}(?P<unit>{_UNIT_ALT})?|(?P<unit2>{_UNIT_ALT}))"
    rf"|(?P<cnum>[一二两三四五六七八九十百千]{{1,6}})(?P<cmult>万亿|亿|万)(?P<unit3>{_UNIT_ALT})?)"
)
# A number without a multiplier or a unit never matches, so bare years and dates cost no Python work.
# TARGET_SCAN finds the same matches faster (scan.py): a match starts with a digit or a Chinese numeral
# that does not follow a digit, a point or 第; after a digit's number and spaces comes a multiplier or
# the first character of a unit (so "2025年", "5月" are skipped in C), and a
# Chinese numeral is followed by 万 or 亿 within six.
_CN = "一二两三四五六七八九十百千"
_AFTER_NUMBER = "".join(sorted({u[0] for u in _UNITS} | set("万亿千")))
TARGET_SCAN = Prefiltered(
    TARGET_RE,
    rf"[\d{_CN}](?<![\d.．第].)(?:(?<=\d)(?=(?:{_NUMBER_AFTER_ITS_FIRST_DIGIT}){_SP}[{re.escape(_AFTER_NUMBER)}])|(?=[{_CN}]{{0,5}}[万亿]))",
)
_PEOPLE = re.compile(r"人口|人数|就业|人才|劳动力|游客|群众")
_MULT = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
_UNIT_NORM = {"％": "%", "KW": "kW", "万千瓦": "kW", "平方千米": "平方公里"}
_BAD_AFTER = re.compile(r"^(?:月|工作日|年|日|号|届|次|季度|周|岁|倍|:|：|\d)")


class TargetIndex:
    """The matches of one ``TARGET_SCAN`` over the whole text, by offset (the pipeline makes it once a document).

    ``reaches(start, end)``: whether one of them overlaps [start, end). A span that none reaches holds no match
    of a scan of the span alone: ``TARGET_RE`` has no lookahead and no end anchor (nor has the prefilter a
    negative lookahead), so what matches at an offset within a shorter end matches there within the text's end
    too, and the whole-text scan, which tries every offset its matches do not cover, found it or covers it."""

    __slots__ = ("ends", "matches", "starts")

    def __init__(self, text: str):
        found = list(TARGET_SCAN.finditer(text))
        self.matches: list[re.Match] = found  # (``find_targets`` reads a span's matches from here)
        self.starts: list[int] = [m.start() for m in found]
        self.ends: list[int] = [m.end() for m in found]  # ascending: the matches do not overlap

    def has(self, start: int, end: int) -> bool:
        """Whether a match starts in [start, end)."""
        i = bisect.bisect_left(self.starts, start)
        return i < len(self.starts) and self.starts[i] < end

    def first_in(self, text: str, start: int, end: int) -> re.Match | None:
        """``TARGET_SCAN.search(text, start, end)`` (``text``: the indexed text), from the whole-text scan where it
        gives the same match (``_span_matches``)."""
        return next(_span_matches(text, self, start, end, min(len(text), end)), None)

    def reaches(self, start: int, end: int) -> bool:
        """Whether a match overlaps [start, end)."""
        i = bisect.bisect_right(self.ends, start)  # the first match that ends after ``start``
        return i < len(self.starts) and self.starts[i] < end


def find_targets(text: str, start: int = 0, end: int | None = None, index: TargetIndex | None = None) -> list[Target]:
    """See module docstring. ``start``/``end`` limit the scan to a span of ``text`` (offsets stay
    those of ``text``); a target must end by ``end``. ``index``: the text's ``TargetIndex``; a span it does
    not reach (up to the scan's end, ``end`` + 8) holds none, and is not scanned."""
    out: list[Target] = []
    stop = len(text) if end is None else end
    scan_end = min(len(text), stop + 8)
    if index is not None:
        if not index.reaches(start, scan_end):
            return out
        matches = _span_matches(text, index, start, stop, scan_end)
    else:
        matches = TARGET_SCAN.finditer(text, start, scan_end)
    for m in matches:
        if m.end() > stop:
            break
        unit = m["unit"] or m["unit2"] or m["unit3"]
        mult = m["mult"] or m["cmult"]
        if not unit and not mult:
            continue
        after = text[m.end() : m.end() + 2]
        if unit == "个" and _BAD_AFTER.match(after):
            continue
        if not unit and _BAD_AFTER.match(after):
            continue
        raw = m["num"] if m["num"] is not None else m["cnum"]
        value = to_number(raw.replace(",", ""))
        if value is None:
            continue
        factor = _MULT.get(mult, 1) if mult else 1
        if unit == "万千瓦":
            factor *= 10**4
        if not unit:
            before = text[max(0, m.start() - 8) : m.start()]
            unit = "人" if _PEOPLE.search(before) else "元"
        unit = _UNIT_NORM.get(unit, unit)
        if unit in ("%", "个百分点"):
            factor = 1
        out.append(Target(m.group().strip(), integral(value * factor), unit, m.start(), m.end()))
    return out


def _span_matches(text: str, index: TargetIndex, start: int, stop: int, scan_end: int) -> Iterator[re.Match]:
    """The matches of ``TARGET_SCAN.finditer(text, start, scan_end)`` (``find_targets`` reads them up to the first
    that ends after ``stop``), taken from the whole-text scan of ``index`` where they are the same (session 20).

    The two scans try the same offsets from ``start`` on while no whole-text match straddles ``start``: each tries an
    offset, and after a match goes on at its end. At an offset both try, a whole-text match that ends by ``scan_end``
    is the scan's match there too: ``TARGET_RE`` has no lookahead and no end anchor, so the paths re tries
    before it fail the same way within the shorter end, and it does not reach that end; and an offset where the
    whole-text scan finds nothing holds no match within a shorter end either (``TargetIndex``). So the whole-text
    matches from ``start`` on are the scan's, up to the first that starts at or after ``scan_end`` (the scan finds none
    there) or ends after it; from a whole-text match that ends after ``scan_end`` (a shorter end may give a shorter
    match there), and where a match straddles ``start``, the span itself is scanned, as before."""
    matches, starts = index.matches, index.starts
    i = bisect.bisect_right(index.ends, start)  # the first match that ends after ``start``
    if i < len(starts) and starts[i] < start:
        yield from TARGET_SCAN.finditer(text, start, scan_end)  # a match straddles ``start``: scan the span
        return
    n = len(matches)
    while i < n:
        m = matches[i]
        if m.start() >= scan_end:
            return
        if m.end() > scan_end:
            yield from TARGET_SCAN.finditer(text, m.start(), scan_end)  # a shorter end may give a shorter match
            return
        yield m  # (one that ends after ``stop`` is the scan's too, and ends ``find_targets``' loop)
        i += 1
