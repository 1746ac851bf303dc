"""Deadline normaliser: Chinese time expressions → dates, by the rules of ANNOTATION.md.

Contract:
- ``find_time_expressions(text, ref)`` scans the whole text once with one compiled pattern and
  returns ``TimeExpr`` objects (offsets into ``text``), each normalised against ``ref``.
- ``normalize_deadline(phrase, ref)`` returns the first expression of a short phrase, or a
  vague/none result (``deadline`` None) — the table-driven tests call this.
- ``parse_full_date(s)`` parses "2023年5月30日" / "二〇二三年五月三十日" (None if not a date).

Rules: a year (2025 年内, 到 2026 年, 2026年底, 今年, 年内, 明年) → 12-31, precision year;
上半年 → 06-30 / 下半年 → 12-31 (half); 一季度…四季度 → quarter end (quarter); "9月", "9月底",
"9月份前" → month end (month); 春节/元旦/国庆前 → that festival's day (of the year given, else the next
one; 春节 from a table, day); 上旬/中旬/下旬 → 10th/20th/last day (month); 本月(底/内) → the
reference month's end, 下月/下个月 → the next month's end (month; 当月/次月 are relative to an event); a full date → that
day; "（2023—2025年）" → 2025-12-31 unless the range spans more than 5 years (a plan horizon);
"十四五" 期间/末 → 2025-12-31 (the n-th five-year plan ends in 1955 + 5n); "三个月内" →
reference + 3 months (day); 每季度/每半年/每月/一月一调度 → recurring, no date; 近期/尽快/适时 →
vague, no date. A bare month, quarter or half takes the reference year (a December letter's
"一季度" is therefore already past — see docs/extraction.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TypeGuard

from .numerals import cn_to_int
from .types import TimeExpr

_S = r"[ \t\u3000\xa0]*"
_YEAR_NUM = r"(?:\d{4}|[〇零○Ｏ一二三四五六七八九]{4})"
# "全年" before a plan or goal it qualifies ("铺排好全年新开工项目计划", "围绕全年工作目标") names whose plan it
# is, not when the work is due; "全年主要预期目标是：" still heads the year's targets.
# "全年无休对外开放", "全年候": all year round, a duration rather than a year.
_REL_YEAR = (
    r"(?:今年|本年度|本年|当年|(?<!年)全年(?![\u4e00-\u9fff]{0,6}(?:计划|目标)(?![是为：:]))(?!无休|不间断|无间断|不打烊|候|365)"
    r"|明年|次年|后年|去年|上年度|上年)"
)
_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]|\d{1,2})"
_DAY = r"(?:\d{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_QN = r"(?:[一二三四1-4１-４])"

_QUARTER = rf"(?:第{_S})?(?P<qn{{i}}>{_QN}){_S}季度(?:末|底)?"
_HALF = r"(?P<hn{i}>[上下])半年(?:末|底)?"
_MONTHDAY = (
    rf"(?P<mn{{i}}>{_MONTH}){_S}月份?(?:{_S}(?P<dn{{i}}>{_DAY}){_S}[日号])?"
    rf"(?:{_S}(?P<xun{{i}}>上旬|中旬|下旬|初|中|底|末))?"
)
_BEFORE = r"(?:(?:以|之)?前(?!期|提|景|沿|列|端|身))?"  # "2018年前期费" is not "before 2018"


def _alt(i: int) -> str:
    return "(?:" + "|".join(p.replace("{i}", str(i)) for p in (_QUARTER, _HALF, _MONTHDAY)) + ")"


# Speed, the same matches: every match holds one of _ANCHORS (年 月 季度 半年 内 十X五 每 一X一 春节 元旦 国庆
# 中秋), and before its first anchor it reads at most ten characters of _LEAD_CHARS (numbers, 到/至/截止,
# 今/明/本/下/上/第/半 …; "2025—2027年" has the most), spaces between them not counted. A position that
# no such run joins to an anchor cannot start a match, and the second lookahead rejects it before the
# alternatives are tried (re tries this pattern at every position). The run is capped at 16 so that a
# long run of digits costs a bounded look per position. tests/extraction/test_fast_paths.py compares
# with the pattern without it.
_ANCHORS = "年月季内五每一节旦庆秋"
_LEAD_CHARS = (
    r"\d〇零○Ｏ二三四六七八九十两“\"今明春元国中—–\-－~～至到截止展望个工作日自然天周星期以之本下当全次后去上第半"
)
ANCHOR_GUARD = f"(?=(?:[{_LEAD_CHARS}]{_S}){{0,16}}[{_ANCHORS}])"

_TIME_PATTERN = rf"""
 (?=[\d〇零○Ｏ一二三四五六七八九十两“"每到至截今本当全明次后去上下年第展春元国中])
 {ANCHOR_GUARD}
 (?:(?P<fest>(?:(?P<fy>\d{{4}}){_S}年{_S}|(?P<fry>今年|明年))?(?P<fn>春节|元旦|国庆节?|中秋节?){_S}(?:前|之前|以前))
 |(?P<range>(?<!\d)(?P<r1>\d{{4}}){_S}年?{_S}(?:[—–\-－~～]{{1,2}}|至|到){_S}(?P<r2>\d{{4}}){_S}年(?!\d))
|(?P<fyp>(?P<zw>展望{_S})?[“"]?十(?P<fypn>[一二三四五六七八九])五[”"]?(?:{_S}(?:期间|时期|期末|规划期|末)|(?(zw)|(?!))))
|(?P<within>(?<![\d.])(?P<wn>\d{{1,3}}|[一二两三四五六七八九十]{{1,3}}){_S}
     (?P<wu>个{_S}月|个{_S}工作日|个{_S}自然日|工作日|天|日|周|个{_S}星期|年){_S}(?:以|之)?内)
|(?P<rec>每{_S}个?{_S}(?P<recu>季度|半年|月|年|周|星期)(?!度[^调])
     |一(?P<rec2u>[月季年周])一(?:调度|通报|报告|报|会商|考核|检查|督查|研判|总结|评估|推进|分析|次))
|(?P<relm>(?P<relmw>本|(?<!上)下个?)月份?(?P<relmx>底|末|内|上旬|中旬|下旬|初)?{_BEFORE})
|(?P<abs>(?:(?P<pre>到|至|截至|截止到|截止){_S})?
   (?:
      (?:(?P<y>{_YEAR_NUM}){_S}年|(?P<ry>{_REL_YEAR}))
      (?:{_S}{_alt(1)}|{_S}(?P<ys>年底|年末|年内|年中|底|末|内|中))?
    |(?<![\d个])(?:{_alt(2)})
    |(?P<bare>年内|年底|年末|年中)
   ){_BEFORE}))
"""

TIME_RE = re.compile(_TIME_PATTERN, re.VERBOSE)

VAGUE_RE = re.compile(r"近期|尽快|适时|尽早|早日|择机|抓紧|及早")

_REC = {
    "季度": "quarterly",
    "季": "quarterly",
    "半年": "half-yearly",
    "月": "monthly",
    "年": "yearly",
    "周": "weekly",
    "星期": "weekly",
}

FULL_DATE_RE = re.compile(rf"(?P<y>{_YEAR_NUM}){_S}年{_S}(?P<m>{_MONTH}){_S}月{_S}(?P<d>{_DAY}){_S}[日号]")


def _int(s: str | None) -> int | None:
    if not s:
        return None
    return cn_to_int(s)


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def add_workdays(d: dt.date, n: int) -> dt.date:
    while n > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def parse_full_date(s: str) -> dt.date | None:
    m = FULL_DATE_RE.search(s)
    if not m:
        return None
    try:
        return dt.date(_int(m["y"]) or 0, _int(m["m"]) or 0, _int(m["d"]) or 0)
    except ValueError:
        return None


def _valid_year(y: int | None) -> TypeGuard[int]:
    return y is not None and 1900 <= y <= 2100


def _resolve(m: re.Match, ref: dt.date) -> tuple[dt.date | None, str, str | None] | None:
    """(deadline, precision, recurring) for one match; None when it is not a usable expression."""
    g = m  # g["name"]: the group's text or None (no dict of all 40 groups per match)
    if g["range"]:
        r1, r2 = _int(g["r1"]), _int(g["r2"])
        if not (_valid_year(r1) and _valid_year(r2)):
            return None
        if r2 < r1 or r2 - r1 > 5:
            return None  # a long plan horizon (2021-2035年) is not a deadline
        return dt.date(r2, 12, 31), "year", None
    if g["fyp"]:
        n = _int(g["fypn"])
        return dt.date(1955 + 5 * (10 + (n or 0)), 12, 31), "year", None
    if g["within"]:
        n = _int(g["wn"]) or 0
        unit = re.sub(_S, "", g["wu"])
        if n <= 0 or n > 120:
            return None
        try:
            if unit == "个月":
                return add_months(ref, n), "day", None
            if unit == "年":
                return add_months(ref, 12 * n), "day", None
            if unit in ("个工作日", "工作日"):
                return add_workdays(ref, n), "day", None
            if unit in ("周", "个星期"):
                return ref + dt.timedelta(days=7 * n), "day", None
            return ref + dt.timedelta(days=n), "day", None
        except (ValueError, OverflowError):
            return None
    if g["rec"]:
        unit = g["recu"] or g["rec2u"]
        return None, "none", _REC.get(unit)
    if g["fest"]:
        day = _festival(g["fn"], _int(g["fy"]) if g["fy"] else None, g["fry"], ref)
        return None if day is None else (day, "day", None)
    if g["relm"]:
        first = add_months(ref.replace(day=1), 0 if g["relmw"] == "本" else 1)
        if g["relmx"] in ("上旬", "初"):
            return first.replace(day=10), "month", None
        if g["relmx"] == "中旬":
            return first.replace(day=20), "month", None
        return last_day(first.year, first.month), "month", None
    # absolute
    year: int
    if g["y"]:
        parsed = _int(g["y"])
        if not _valid_year(parsed):
            return None
        year = parsed
    elif g["ry"]:
        ry = g["ry"]
        off = {"明年": 1, "次年": 1, "后年": 2, "去年": -1, "上年": -1, "上年度": -1}.get(ry, 0)
        year = ref.year + off
    else:
        year = ref.year
    i = "1" if (g["y"] or g["ry"]) else "2"
    qn, hn, mn = g["qn" + i], g["hn" + i], g["mn" + i]
    try:
        if qn:
            q = _int(qn) or 0
            if not 1 <= q <= 4:
                return None
            return last_day(year, q * 3), "quarter", None
        if hn:
            return (dt.date(year, 6, 30) if hn == "上" else dt.date(year, 12, 31)), "half", None
        if mn:
            month = _int(mn) or 0
            if not 1 <= month <= 12:
                return None
            dn, xun = g["dn" + i], g["xun" + i]
            if dn:
                return dt.date(year, month, _int(dn) or 0), "day", None
            if xun in ("上旬", "初"):
                return dt.date(year, month, 10), "month", None
            if xun in ("中旬", "中"):
                return dt.date(year, month, 20), "month", None
            return last_day(year, month), "month", None
    except ValueError:
        return None
    ys = g["ys"] or g["bare"] or ""
    if ys in ("年中", "中"):
        return dt.date(year, 6, 30), "half", None
    return dt.date(year, 12, 31), "year", None


# 春节 (the lunar new year's day) by year; other festivals have fixed solar dates.
_SPRING_FESTIVAL = {
    2010: (2, 14), 2011: (2, 3), 2012: (1, 23), 2013: (2, 10), 2014: (1, 31), 2015: (2, 19), 2016: (2, 8),
    2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25), 2021: (2, 12), 2022: (2, 1), 2023: (1, 22),
    2024: (2, 10), 2025: (1, 29), 2026: (2, 17), 2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3),
    2031: (1, 23), 2032: (2, 11), 2033: (1, 31), 2034: (2, 19), 2035: (2, 8),
}  # fmt: skip


def _festival(name: str, year: int | None, rel: str | None, ref: dt.date) -> dt.date | None:
    """The day of a festival: of the year given, else the next one after the reference date."""

    def day(y: int) -> dt.date | None:
        if name == "春节":
            md = _SPRING_FESTIVAL.get(y)
            return dt.date(y, *md) if md else None
        if name == "元旦":
            return dt.date(y, 1, 1)
        if name.startswith("国庆"):
            return dt.date(y, 10, 1)
        return None  # 中秋 moves with the moon and is not tabulated: no date

    if year is not None or rel is not None:
        return day(year if year is not None else ref.year + (1 if rel == "明年" else 0))
    for y in (ref.year, ref.year + 1):
        d = day(y)
        if d is not None and d >= ref:
            return d
    return None


def _strip_text(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\u3000\xa0":
        start += 1
    while end > start and text[end - 1] in " \t\u3000\xa0":
        end -= 1
    return start, end


# "审批时限压缩至15个工作日以内" states a service standard, not a deadline.
_STANDARD_BEFORE = re.compile(r"(?:压缩|缩短|压减|缩减|减少|减至|控制|时限|周期|用时|提速|办结)[^，,。；;\n]{0,4}$")
# Words that anchor a month/quarter/half to a year; without them the expression is "bare".
_YEAR_WORD = re.compile(
    r"\d{4}|[〇零○Ｏ一二三四五六七八九]{4}|今年|本年|当年|全年|明年|次年|后年|去年|上年|年度|年底|年末|年内"
)


def is_bare(t: TimeExpr) -> bool:
    """A month, quarter or half written without a year ("3月底前", "一季度", "上半年")."""
    return t.precision in ("month", "quarter", "half") and not _YEAR_WORD.search(t.text)


def roll_forward(t: TimeExpr, ref: dt.date, min_days: int = 90) -> TimeExpr | None:
    """The same bare period one year later, when it ended at least ``min_days`` before ``ref``.

    A December letter promising "一季度" or "3月底前" means next year's; a period that ended only
    days before the letter was simply due (the caller drops it). None when no roll applies.
    """
    if t.deadline is None or not is_bare(t) or (ref - t.deadline).days < min_days:
        return None
    d = t.deadline
    try:
        nd = last_day(d.year + 1, d.month) if d == last_day(d.year, d.month) else d.replace(year=d.year + 1)
    except ValueError:
        return None
    return TimeExpr(t.start, t.end, t.text, nd, t.precision, t.recurring, t.vague)


def find_time_expressions(text: str, ref: dt.date) -> list[TimeExpr]:
    """Every time expression in ``text`` (one pass), normalised against ``ref``."""
    out: list[TimeExpr] = []
    for m in TIME_RE.finditer(text):
        if m["within"] and _STANDARD_BEFORE.search(text, max(0, m.start() - 10), m.start()):
            continue
        r = _resolve(m, ref)
        if r is None:
            continue
        s, e = _strip_text(text, m.start(), m.end())
        out.append(TimeExpr(s, e, text[s:e], r[0], r[1], r[2]))
    return out


def find_vague(text: str) -> list[TimeExpr]:
    return [TimeExpr(m.start(), m.end(), m.group(), None, "none", None, True) for m in VAGUE_RE.finditer(text)]


def normalize_deadline(phrase: str, ref: dt.date) -> TimeExpr:
    """Normalise the first time expression of a short phrase (vague or none when there is none)."""
    exprs = find_time_expressions(phrase, ref)
    if exprs:
        return exprs[0]
    vague = find_vague(phrase)
    if vague:
        return vague[0]
    return TimeExpr(0, 0, "", None, "none", None)
