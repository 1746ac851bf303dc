"""Document structure: cleaned text → units (headings, paragraphs, list items, table rows) and clauses.

Contract: ``read_structure(text, sections, ref) -> Structure``. One reading of the text, done once:

- A **unit** is one non-blank line. ``kind``: ``heading`` (a numbered section heading standing on its
  own line, or a short line without sentence punctuation), ``list_item`` (opens with 一是/（一）/1./①/
  第一，or a bullet symbol ▶ • ● ■ ★ ✓ —— …, or follows a list head), ``table_row`` (cells separated by tabs, "|" or wide spaces) or
  ``paragraph``.
- Each unit carries its ``section_kind``: ``review`` (a section reporting past work: 情况, 成效,
  回顾 …), ``response`` (a section answering a point), ``next_steps`` (下步, 今后, 计划 …),
  ``programme`` (under a heading or list head that names a coming period: "2025年民生实事项目",
  "今年将重点办好以下十件民生实事：") or ``other``. Section classes come from ``sections.py``.
- Each unit carries the **time scope** it inherits, the innermost of: a heading's time (a heading
  naming a period that has not ended), a list head's time (a line ending in "：" that names one; when it
  names several, the last year not yet over, not the day of a passed act: "于2025年3月21日表决通过…2025年民生
  实事项目："; a day date followed by 前 keeps the head's first time), a
  paragraph-opening time ("2025年，…", "预计到2025年，…"). A day on the reference date (a letter's date line, a
  page's "发布时间：2024年09月02日") is the document's own date: it scopes nothing. ``scope_source`` says which
  (``heading`` | ``list_head`` | ``paragraph`` | ``none``). A paragraph-opening time that is already
  past at the reference date is kept (``scope`` is then a past time): it marks a review paragraph.
  A heading whose dated times are all over ("一、2025年工作回顾") likewise gives its units that past time (the
  latest), and their current-year words (今年, 全年, 年内 … with no written year) are read in its year; a heading
  naming several periods is scoped by the last year not yet over, as a list head.
  Two more times are kept for dating only (session 14; candidates.py reads them, no signal does): ``open_time``, a
  year that opens the unit though its first clause says more ("2015年将新开工重点项目16个，…"), and ``list_year``,
  the first year not over of a paragraph that a numbered list follows at once without a colon ("今年，我市将办好
  …“十件实事”" / "1.…"), given to that list's items.
- A **clause** is a sentence or ；-piece of a unit (split at 。！？；), further split at the "，" before
  a second, different deadline or schedule ("力争2023年实现…，到2025年新增…" gives two). ``own_time`` is the
  clause's first dated time expression (not the base of a comparison: "力争比去年…"); ``sentence_time`` one earlier in the same sentence.

Time expressions, vague words and targets are found once over the whole text (dates.py, targets.py)
and looked up by offset with bisect, so the reading is linear in the text size.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from .dates import find_time_expressions, last_day, roll_forward
from .sections import find_body_end
from .types import Section, TimeExpr

UNIT_KINDS = ("heading", "paragraph", "list_item", "table_row")
SECTION_KINDS = ("review", "response", "next_steps", "programme", "other")
SCOPE_SOURCES = ("heading", "list_head", "paragraph", "none")


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3×; never changed after it is made
class Unit:
    """A line of the document with its kind, section kind and inherited time scope."""

    index: int
    kind: str  # heading | paragraph | list_item | table_row
    start: int
    end: int
    section_kind: str  # review | response | next_steps | programme | other
    scope: TimeExpr | None
    scope_source: str  # heading | list_head | paragraph | none
    after_closing: bool  # below the closing line ("此复", "感谢…"): signature, contacts, page chrome
    heading: str = ""  # the heading the unit sits under (innermost numbered section, or a bare heading line)
    # Dating only (session 14; never a scope, never a signal): a year that opens the paragraph though its first clause
    # says more (``_opening_time``'s wider reading), and the year of a list head that ends without a colon.
    open_time: TimeExpr | None = None
    list_year: TimeExpr | None = None


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3×; never changed after it is made
class Clause:
    """A sentence, ；-piece or deadline-split part of a unit: the grain of a candidate."""

    start: int
    end: int
    unit: Unit
    own_time: TimeExpr | None
    sentence_time: TimeExpr | None
    first_in_unit: bool


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3×; never changed after it is made
class Structure:
    """The units and clauses of one document, with every time expression found in it."""

    units: tuple[Unit, ...]
    clauses: tuple[Clause, ...]
    times: tuple[TimeExpr, ...]


_LINE = re.compile(r"[^\n]+")
_PIECE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")
# A bullet symbol opening a line (issue 10, session 8): ▶ ► • ● ■ ★ ✓ … stand alone; a hyphen, an en dash or ">"
# needs a space after it (a "-2025" or a breadcrumb ">" without one is not an item); "—" or "——" opens an item, a
# longer rule ("———") does not.
BULLET = r"(?:[▶►▸▷•·●○◆◇■□★☆✓✔▪◎※➢➤→]|——?(?!—)|[-–>](?=\s))\s*"
_LIST_MARK = re.compile(
    r"[ \t\u3000*]*(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]|第[一二三四五六七八九十]+[，,、]|"
    r"[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、)）](?!\d)|[①-⑳]|" + BULLET + ")"
)
# A tab, a "|", or three spaces before a cell: \t|\||[ \u3000]{3,}\S written to open with one character class,
# so re skips ahead in C (a pattern opening with alternatives is tried at every position of the line).
_TABLE = re.compile(r"[\t| \u3000](?:(?<=[\t|])|(?<=[ \u3000])[ \u3000]{2,}\S)")
_SENTENCE_PUNCT = re.compile(r"[，,。；;！？!?]")
_REPORTS = re.compile(r"情况|成效|回顾|完成|进展|成绩|总结|以来|成果")
_OPENING_REST = re.compile(r"[ \t\u3000，,：:]|预计|力争|争取|计划|到|至|在|于|截至|截止|今后|未来")
_ATTRIBUTION = re.compile(r"[ \t\u3000]*(?:据了解|据悉|据介绍|记者了解到|记者获悉|会议明确|会议提出)[，,]")
_SINCE = re.compile(r"[ \t\u3000]*(?:以来|来)")
_CLAUSE_CUT = re.compile(r"[，,]")
_YEAR_RANGE = re.compile(r"[—–\-－~～至到]")
_INLINE_HEAD = re.compile(r"[：:](?=[ \t\u3000]*[^\s])")  # a colon with the items after it on the same line
_COMPARED = ("比", "较")
_KIND = {"past": "review", "response": "response", "next_steps": "next_steps", "other": "other"}


class _Times:
    """Time expressions sorted by start, for lookups by span."""

    def __init__(self, times: list[TimeExpr], text: str = ""):
        self.items = times
        self.keys = [t.start for t in times]
        # A time after 比/较 is the base of a comparison ("力争比去年实现更多增长"), not the clause's time.
        self.compared = {t.start for t in times if t.start and text[t.start - 1 : t.start] in _COMPARED}

    def within(self, start: int, end: int) -> list[TimeExpr]:
        return self.items[bisect.bisect_left(self.keys, start) : bisect.bisect_left(self.keys, end)]

    def has(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.keys, start)
        return i < len(self.keys) and self.keys[i] < end

    def _gives_deadline(self, t: TimeExpr) -> bool:
        """Not a schedule, not the year of a comparison."""
        return t.deadline is not None and t.recurring is None and t.start not in self.compared

    def dated(self, start: int, end: int) -> list[TimeExpr]:
        return [t for t in self.within(start, end) if self._gives_deadline(t)]

    def first_dated(self, start: int, end: int) -> TimeExpr | None:
        return next((t for t in self.within(start, end) if self._gives_deadline(t)), None)


def _forward(t: TimeExpr | None, ref: dt.date) -> TimeExpr | None:
    """``t`` when its period has not ended at ``ref`` (a long-past bare month rolls to next year)."""
    if t is None or t.deadline is None:
        return None
    if t.deadline >= ref:
        return t
    return roll_forward(t, ref)


def _year_ahead(text: str, t: TimeExpr, ref: dt.date, strict: bool = False) -> bool:
    """A year not yet over that is not the start of a review ("今年以来"); ``strict``: nor a range
    ("2022-2025年") nor inside a title (《…》)."""
    if t.precision != "year" or _forward(t, ref) is None or _SINCE.match(text, t.end):
        return False
    if strict:
        line = text.rfind("\n", 0, t.start) + 1
        return not _YEAR_RANGE.search(t.text) and text.rfind("《", line, t.start) <= text.rfind("》", line, t.start)
    return True


def _opening_time(text: str, times: _Times, s: int, e: int) -> tuple[TimeExpr | None, bool]:
    """A time phrase that opens the span and is its first clause's only content ("2025年，…"), with ``False``; else a
    year that opens the span though its first clause goes on ("2015年将新开工重点项目16个，…"; "今年琼海继续深化…"),
    with ``True`` (ANNOTATION.md: a time phrase that opens a paragraph governs it; session 14 uses this wider
    reading for dating only, as ``Unit.open_time``)."""
    if not times.has(s, e):
        return None, False  # (most lines: no time expression at all)
    m = _ATTRIBUTION.match(text, s, e)
    if m:
        s = m.end()
    cut = _CLAUSE_CUT.search(text, s, e)
    ce = cut.start() if cut else e
    t = times.first_dated(s, ce)
    if t is None:
        return None, False
    if _SINCE.match(text, t.end):
        return None, False  # "今年以来，…": a review of the year so far
    if t.precision == "day" and not t.text.endswith("前"):
        return None, False  # "1月12日上午，…会议召开": the day of a reported event, not a period ahead
    if ce - s <= 30 and len(_OPENING_REST.sub("", text[s:ce].replace(t.text, ""))) <= 2:
        return t, False
    if t.precision == "year" and len(_OPENING_REST.sub("", text[s : t.start])) <= 2:
        return t, True
    return None, False


_HEAD_SENTENCE = re.compile(r"[^，,：:、；;。！？!?\n]{1,16}。")


def _after_inline_heading(text: str, times: _Times, s: int, e: int) -> TimeExpr | None:
    """Session 16 H (dating only): a paragraph that opens with a short comma-less sentence (an inline heading:
    "——人才供给规模持续提升。", "（二）主要目标。") followed by a year that opens the next sentence ("到2027年，…",
    "力争在2020年前…"): that year, read as a paragraph-opening time of the rest of the paragraph."""
    if not times.has(s, e):
        return None
    m = _LIST_MARK.match(text, s, e)
    p = m.end() if m else s
    while p < e and text[p] in " \t\u3000*#":
        p += 1
    h = _HEAD_SENTENCE.match(text, p, e)
    if h is None or h.end() >= e:
        return None
    t, _ = _opening_time(text, times, h.end(), e)
    return t if t is not None and t.precision == "year" else None


_DEADLINE_AFTER = re.compile(r"[ \t\u3000]*(?:之前|以前|前)")
# A current-year word with no written year: read in a past heading's year in the units under it.
_THIS_YEAR = re.compile(r"今年|本年|当年|全年|年内")
_WRITTEN_YEAR = re.compile(r"\d{4}|[〇零○Ｏ一二三四五六七八九]{4}")


def _heading_time(text: str, times: _Times, s: int, e: int, ref: dt.date) -> tuple[TimeExpr | None, bool]:
    """A heading's scope: its first dated time when not over, or the last year not yet over when it names several
    ("“十四五”时期发展成就和“十五五”时期主要目标任务", as a list head); when every dated time in it is over (a review
    heading: "2025年工作回顾"), the latest of them, with ``True``."""
    first = times.first_dated(s, e)
    t = _list_year(text, times, s, e, ref) or (None if _own_day(first, ref) else _forward(first, ref))
    if t is None:
        dated = times.dated(s, e)
        if dated and all(_forward(x, ref) is None for x in dated):
            return max(dated, key=lambda x: x.deadline or dt.date.min), True
    return t, False


def _own_day(t: TimeExpr | None, ref: dt.date) -> bool:
    """A day on the reference date: the document's own date (a letter's date line, a page's 发布时间) or the day of
    an act done on it, never a period ahead; it gives no heading or list-head scope (session 11)."""
    return t is not None and t.precision == "day" and t.deadline == ref


def _in_year(t: TimeExpr, year: int) -> TimeExpr:
    """``t`` (a current-year word: 今年, 全年, 年内, "今年6月") read in ``year``."""
    d = t.deadline
    assert d is not None
    nd = last_day(year, d.month) if d == last_day(d.year, d.month) else d.replace(year=year)  # (29 Feb is a month end)
    return TimeExpr(t.start, t.end, t.text, nd, t.precision, t.recurring, t.vague)


def _reanchor(out: list[Clause], first: int, anchor: TimeExpr, ref: dt.date) -> None:
    """In a unit under a past heading, a clause's current-year word is read in the heading's year."""
    assert anchor.deadline is not None
    year = anchor.deadline.year
    for c in out[first:]:
        for name in ("own_time", "sentence_time"):
            t = getattr(c, name)
            if (
                t is not None
                and t.deadline is not None
                and t.deadline.year == ref.year
                and _THIS_YEAR.search(t.text)
                and not _WRITTEN_YEAR.search(t.text)
            ):
                setattr(c, name, _in_year(t, year))


def _list_year(text: str, times: _Times, s: int, e: int, ref: dt.date) -> TimeExpr | None:
    """A list head holding several dated times: the last one at year precision that is not passed (not "…以来")
    names the list ("于2025年3月21日表决通过…2025年民生实事项目："), not the day of a passed act; ``None`` (keep
    the first dated time) when the head holds a single dated time or a day date that is a deadline (…前)."""
    dated = times.dated(s, e)
    if len(dated) < 2:
        return None
    if any(t.precision == "day" and (t.text.endswith("前") or _DEADLINE_AFTER.match(text, t.end)) for t in dated):
        return None
    years = [t for t in dated if _year_ahead(text, t, ref)]
    return years[-1] if years else None


def _is_table_row(line: str) -> bool:
    """Cells separated by a tab, a "|" or three spaces (_TABLE); a str scan first, as every such line holds
    a tab, a "|", two spaces in a row or an ideographic space."""
    line = line.strip()
    return ("\t" in line or "|" in line or "  " in line or "\u3000" in line) and _TABLE.search(line) is not None


def _is_bare(line: str) -> bool:
    """A short line without sentence punctuation: a heading, or an item of a flattened list."""
    stripped = line.strip(" \t\u3000*#")
    return (
        len(stripped) <= 40
        and not stripped.endswith(("：", ":"))  # a list head
        and not _SENTENCE_PUNCT.search(stripped)
        and not _is_table_row(line)
    )


def read_structure(text: str, sections: list[Section], ref: dt.date) -> Structure:
    """See module docstring."""
    past_scopes: set[TimeExpr] = set()  # the past heading times given as a scope (a review heading's units)
    times = _Times(find_time_expressions(text, ref), text)
    body_end = find_body_end(text)
    sec_starts = [s.start for s in sections]
    heading_lines = {s.start: s for s in sections}

    units: list[Unit] = []
    clauses: list[Clause] = []
    heading_scope: list[tuple[int, int, TimeExpr]] = []  # (section end, level, time)
    bare_scope: TimeExpr | None = None
    bare_heading = ""
    outer_scope: TimeExpr | None = None
    list_scope: TimeExpr | None = None
    list_open = list_marked = False
    list_year: TimeExpr | None = None  # the year of a paragraph just before a numbered list (dating only)
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if text[m.start() : m.end()].strip(" \t\u3000*#")]
    bare = [_is_bare(text[s:e]) and s not in heading_lines for s, e in lines]
    for li, (s, e) in enumerate(lines):
        line = text[s:e]
        stripped = line.strip(" \t\u3000*#")
        # Short unpunctuated lines next to each other are a list flattened to lines, not headings.
        in_flat_list = bare[li] and ((li > 0 and bare[li - 1]) or (li + 1 < len(bare) and bare[li + 1]))
        after_closing = s >= body_end
        # Section and heading scope
        sec = None
        i = bisect.bisect_right(sec_starts, s) - 1
        while i >= 0:
            if sections[i].start <= s < sections[i].end:
                sec = sections[i]
                break
            i -= 1
        if heading_scope:
            heading_scope = [h for h in heading_scope if h[0] > s]
        own_sec = heading_lines.get(s) if s in heading_lines else None
        is_heading = False
        if own_sec is not None and own_sec.heading_end > own_sec.heading_start:
            is_heading = own_sec.heading_end >= e - 2 or not _SENTENCE_PUNCT.search(text, own_sec.heading_end, e)
            t, past = _heading_time(text, times, own_sec.heading_start, own_sec.heading_end, ref)
            if past and t is not None:
                past_scopes.add(t)
            if t is not None and (past or not _REPORTS.search(own_sec.heading)):
                heading_scope = [h for h in heading_scope if h[1] < own_sec.level]
                heading_scope.append((own_sec.end, own_sec.level, t))
            if own_sec.level == 1:
                bare_scope, bare_heading = None, ""
            list_open, list_scope = False, None
        elif bare[li] and not in_flat_list:
            is_heading = True
            t, past = _heading_time(text, times, s, e, ref)
            if past and t is not None:
                past_scopes.add(t)
            bare_scope = t if t is not None and (past or not _REPORTS.search(stripped)) else None
            bare_heading = stripped
            list_open, list_scope = False, None
        kind = "heading" if is_heading else "paragraph"
        if not is_heading:
            if _is_table_row(line):
                kind = "table_row"
            elif _LIST_MARK.match(line) or in_flat_list:
                kind = "list_item"
                list_marked = list_open
            elif list_open and not list_marked:
                kind = "list_item"  # the items of a list without numbers
            elif list_open:
                list_open, list_scope = False, None  # an unnumbered paragraph after numbered items ends the list
        section_kind = _KIND.get(sec.kind, "other") if sec is not None else "other"
        if (
            sec is not None
            and section_kind == "other"
            and not _REPORTS.search(sec.heading)
            and heading_scope
            and heading_scope[-1][2] not in past_scopes
        ):
            section_kind = "programme"
        if is_heading and _REPORTS.search(stripped):
            outer_scope = None  # a review section ends a programme's scope
        # Inherited scope: innermost first.
        scope, source = None, "none"
        if outer_scope is not None:
            scope, source = outer_scope, "list_head"
        if heading_scope:
            scope, source = heading_scope[-1][2], "heading"
        if bare_scope is not None:
            scope, source = bare_scope, "heading"
        if list_scope is not None and kind in ("list_item", "table_row"):
            scope, source = list_scope, "list_head"
        open_time = None
        if kind != "heading":
            t, wider = _opening_time(text, times, s, e)
            if wider:
                open_time = t  # dates the paragraph's later clauses; not their scope (session 14)
            elif t is not None:
                scope, source = t, "paragraph"
            if t is None:
                open_time = _after_inline_heading(text, times, s, e)
        if source in ("heading", "list_head") and section_kind in ("other", "response") and scope not in past_scopes:
            section_kind = "programme"
        heading = bare_heading or (sec.heading if sec is not None else "")
        if kind not in ("list_item", "table_row"):
            list_year = None
        unit = Unit(
            len(units), kind, s, e, section_kind, scope, source, after_closing, heading[:30], open_time, list_year
        )
        units.append(unit)
        n_clauses = len(clauses)
        _clauses_of(text, times, unit, ref, clauses)
        if scope is not None and scope in past_scopes:
            _reanchor(clauses, n_clauses, scope, ref)
        # A line ending in "：" opens a list; its time (if any) governs the items under it.
        tail = line.rstrip(" \t\u3000*")
        if (
            kind == "paragraph"
            and not tail.endswith(("：", ":"))
            and li + 1 < len(lines)
            and _LIST_MARK.match(text, lines[li + 1][0], lines[li + 1][1])
        ):
            # A paragraph followed at once by a numbered line heads that list though it ends without a colon
            # ("今年，我市将办好…“十件实事”" / "1.实施…"): its first year not over dates the items (session 14; dating
            # only, ``Unit.list_year``).
            ly = next((x for x in times.within(s, e) if _year_ahead(text, x, ref, strict=True)), None)
            list_year = _forward(ly, ref) if ly is not None else None
        if kind != "heading" and tail.endswith(("：", ":")):
            list_open, list_marked = True, False
            head_start = max(text.rfind("。", s, e), text.rfind("；", s, e), s)
            t = times.first_dated(head_start, e)
            if t is not None:
                t = _list_year(text, times, head_start, e, ref) or t
            if _own_day(t, ref):
                t = None
            before = None
            if t is None:
                # "2025年全市…预期目标是…。为此，要重点做好以下八个方面的工作：": the year of the paragraph,
                # else of the two lines before it ("…被确定为2025年民生实事项目。" / "这八件民生实事项目是：").
                # The year of a line before governs this list only (not, as the head's own year does, the
                # sections after it); a year inside a title or a plan's range ("（2022-2025年）") does not.
                back = units[max(0, len(units) - 3)].start
                t = next((x for x in times.within(s, head_start) if _year_ahead(text, x, ref)), None)
                if t is None:
                    lb = next(
                        (x for x in reversed(times.within(back, s)) if _year_ahead(text, x, ref, strict=True)), None
                    )
                    before = _forward(lb, ref) if lb is not None else None
            if t is not None:
                list_scope = _forward(t, ref)
            else:
                list_scope = before or (scope if source != "none" else None)
            if t is not None and list_scope is not None:
                outer_scope = list_scope  # the list's items may be whole sections ("一、…"): it governs them
        elif kind not in ("list_item", "table_row"):
            list_open, list_scope = False, None
    return Structure(tuple(units), tuple(clauses), tuple(times.items))


def _clauses_of(text: str, times: _Times, unit: Unit, ref: dt.date, out: list[Clause]) -> None:
    """Sentences and ；-pieces of a unit, split again before a second, different deadline."""
    first = True
    sent_time: TimeExpr | None = None
    head_time: TimeExpr | None = None
    if not times.has(unit.start, unit.end):
        # Most units: no time expression, so no piece has one of its own and none heads a list with a time.
        for m in _PIECE.finditer(text, unit.start, unit.end):
            ps, pe = m.span()
            if text[ps:pe].strip(" \t\u3000*#"):
                out.append(Clause(ps, pe, unit, None, None, first))
                first = False
        return
    for m in _PIECE.finditer(text, unit.start, unit.end):
        ps, pe = m.start(), m.end()
        if not text[ps:pe].strip(" \t\u3000*#"):
            continue
        # A time word governs its own sentence or ；-piece (ANNOTATION.md), and a list head inside
        # the paragraph ("2025年…主要预期目标是：…；…；…") the items after it.
        sent_time = head_time
        inside = times.within(ps, pe)
        if not inside:  # most pieces: one clause, no time of its own
            out.append(Clause(ps, pe, unit, None, sent_time, first))
            first = False
        else:
            _cut(text, times, unit, ref, out, ps, pe, inside, sent_time, first)
            first = False
        has_colon = head_time is None and (text.find("：", ps, pe) >= 0 or text.find(":", ps, pe) >= 0)
        colon = _INLINE_HEAD.search(text, ps, pe) if has_colon else None  # (str.find first: faster than re)
        if colon is not None:
            ht = _forward(times.first_dated(ps, colon.start()), ref)
            if ht is not None and ht.precision == "year":
                head_time = ht


def _cut(
    text: str,
    times: _Times,
    unit: Unit,
    ref: dt.date,
    out: list[Clause],
    ps: int,
    pe: int,
    inside: list[TimeExpr],
    sent_time: TimeExpr | None,
    first: bool,
) -> None:
    """The clauses of a piece with time expressions in it: cut before a schedule of its own and before
    each further, different deadline."""
    dated = [t for t in inside if t.deadline is not None or t.recurring]
    cuts = [ps]
    if dated and dated[0].recurring:
        # "该县将实行包片责任制，每月通报一次生产进度": a schedule clause of its own is an entry of its own.
        cut = max(text.rfind("，", ps, dated[0].start), text.rfind(",", ps, dated[0].start))
        if cut > ps + 4:
            cuts.append(cut + 1)
    seen = {dated[0].deadline or dated[0].recurring} if dated else set()
    for t in dated[1:]:
        key = t.deadline or t.recurring
        if key in seen or (t.recurring is None and _forward(t, ref) is None):
            continue
        seen.add(key)
        cut = max(text.rfind("，", ps, t.start), text.rfind(",", ps, t.start))
        if cut > cuts[-1]:
            cuts.append(cut + 1)
    cuts.append(pe)
    for cs, ce in zip(cuts, cuts[1:], strict=False):
        own = times.first_dated(cs, ce)
        out.append(Clause(cs, ce, unit, own, sent_time, first))
        first = False
        if own is not None:
            sent_time = own
