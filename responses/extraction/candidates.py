"""Candidates: the clauses of a document that could state a commitment, with their rule signals.

Contract: ``propose(text, structure, ref) -> list[Candidate]``, in document order. Rules here aim at
RECALL; a trained ranker (``ranker.py``) decides which candidates are commitments. A clause is
proposed when any signal fires: a time that has not passed (its own, or inherited from its sentence,
paragraph, list head or heading), a marker word (将 计划 拟 力争 争取 确保 预计 努力 下一步 …), a task
verb opening it, a target quantity, a recurring schedule, a vague time (尽快), or a next-steps or
programme section. Clauses below the closing line (signature, contacts, page chrome), shorter than
four Chinese characters, or that are a bare heading with no time are never proposed; nor are bylines,
credit lines, photo captions and page chrome (``is_chrome``), in a clause or as its whole paragraph.

``Candidate.signals`` names every signal that fired (features for the ranker, and the "why" shown
to the clerk); ``inline_heading`` marks a short comma-less sentence that opens its paragraph (or follows
one that does) with more sentences after it: a report's heading run into its paragraph. ``Candidate.deadline`` is the clause's own time when it has not passed, else one
earlier in its sentence, else the inherited scope (ANNOTATION.md: a paragraph-opening time governs
its paragraph, a heading's or list head's year its items), else, outside letters (``is_letter``), the
document's period: the first year not yet over that its title or lead (first two lines that carry text,
a page stamp or an image line not counted, before a numbered section heading) names
("部署2025年重点工作", "2017年目标": a programme document's tasks are dated by its period), for a
clause without past words; a clause with its own vague time or a recurring schedule is not dated
by its context. Three readings change the deadline only, never the signals (session 14): a year that opens the
paragraph though its first clause goes on (``Unit.open_time``) dates the paragraph's later clauses (before any
heading, list-head or document scope; a past one leaves them undated); the year of a paragraph just before a
numbered list (``Unit.list_year``) dates its items that have no live scope; a clause's list of years ("2019年、
2020年") is dated by the last. Where a document has no period, one more dates the same clauses as the document period
would, the signals again unchanged (session 15, ``dating_period``): a notice issuing a document (印发) that the header
reads as a letter takes its lead's period, and a report (工作报告) the reference year that its text writes.
Session 16 (s16hzn): a 未来N年 / 今后N年 horizon dates, for the deadline only, its own clause and the clauses it governs
(``horizon_dates``).

Genre (issue 10, session 8): when the title or lead (the same lines) names a programme (``_PROGRAMME``: 实事,
重点项目, 工作要点, 行动计划, 实施方案, 清单 …) and the document is not a letter (``is_letter``: a proposal title,
an addressee body or a proposal number in the header; default ``is_reply``) nor an answer (答复/复函/回复 in the
lead), every candidate gets ``genre:programme`` and those of list items and table rows ``genre:programme_item``.
Session 18 (s18letters): in a letter (``is_letter``) a clause holding a perfective 了 (``_ASPECT_LE``: "组织了",
"列入了"; not 为了, 除了, 了解 …) gets ``past_aspect``, a learned signal of done work.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from .dates import find_vague, roll_forward
from .metadata import promised_reference
from .scan import Prefiltered
from .structure import Clause, Structure
from .targets import TargetIndex
from .types import TimeExpr

MARKER_RE = re.compile(
    r"确保|力争|争取|将|计划|拟|预计|努力|下一步|下步|下阶段|今后|继续|进一步|准备|要|着力|推动|持续|加快|全力|"
    r"待[^，,。；;]{2,30}?后|预期|目标"
)
_STRENGTH = ("确保", "力争", "争取", "将", "计划", "预计")
_TASK_VERB = re.compile(
    r"[ \t\u3000*—\-]*(?:[一二三四五六七八九十]+是|同时|并|还|要|将)?[ \t\u3000]*"
    r"(?:推进|加快|加大|加强|完成|建设|建成|实施|开展|推动|落实|做好|完善|建立|健全|启动|新建|改造|提升|实现|组织|深化|"
    r"强化|持续|积极|全面|新增|打造|培育|抓好|开工|新开工|扩大|提高|优化|支持|引导|鼓励|争创|创建|稳定|保持|"
    r"筹措|安排|投入|修建|改建|扩建|整治|治理|出台|制定|编制|举办|召开|配合|协调|督促|指导|研究)"
)
_PAST_WORDS = re.compile(r"已经|已|了[，,。；]|了$|累计|截至|截止|同比|比上年|较上年|先后|目前|现有|去年|上年")
_SUGGEST = re.compile(r"[ \t\u3000]*(?:同时，)?建议")
_DECLINED = re.compile(r"建议不再|不再单独|暂不予|不予采纳|暂不具备|无法采纳|难以采纳|暂无法|不宜再")
_ENUM = re.compile(
    r"[ \t\u3000*]*(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]|第[一二三四五六七八九十]+[，,、]|"
    r"[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、)）](?!\d)|[①-⑳])"
)
_TITLE = re.compile(r"《[^《》\n]{0,150}》")
_CJK4 = re.compile(r"[\u4e00-\u9fff](?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){3}")  # four Chinese characters
_LEAD = re.compile(r"(?:[ \t\u3000*#—\-–“\"▶►▸▷•·●○◆◇■□★☆✓✔▪◎※➢➤→>]|[（(]?\d{1,2}[.．、)）\t](?!\d)|[①-⑳])+")
_TAIL = " \t\u3000*#，,：:；;。！？!?"


_NAME = r"[\u4e00-\u9fff·]{2,4}"
_BYLINE = re.compile(
    rf"[（(【\[]?(?:本报|本台|本网|新华社)?(?:(?:特约|见习|实习)?记者|通讯员|实习生|摄影)[ \t\u3000：:]*{_NAME}"
    rf"(?:[ \t\u3000、，,]+(?:(?:特约|见习|实习)?记者|通讯员|实习生)?[ \t\u3000：:]*{_NAME})*"
    r"[ \t\u3000]*(?:摄|报道|文/图|图/文|文|图)?[）)】\]]?"
)
_CREDIT = re.compile(
    r"(?:责任编辑|编辑|来源|作者|审核|校对|摄影|图片来源|图片|图/文|文/图|图|文|供图|原标题|监制|策划|制图|编审|终审)"
    r"[ \t\u3000]*[：:/／|]"
)
_CAPTION = re.compile(r"图为|[▲△↑]|图[ \t\u3000]?\d{1,2}[：: \t\u3000]")
_CAPTION_END = re.compile(
    rf"(?:记者|通讯员|实习生|供图)[ \t\u3000]*{_NAME}?[ \t\u3000]*摄?[）)】]?[。.]?$|(?<!拍)摄[）)】]?[。.]?$"
)
_CAPTION_TAIL_WORDS = ("摄", "记者", "通讯员", "实习生", "供图")
_CHROME_WORDS = (
    "分享到",
    "打印本页",
    "【字体",
    "关闭窗口",
    "扫一扫",
    "返回顶部",
    "无障碍浏览",
    "当前位置：",
    "当前位置:",
)

# The word lists as one pattern each: one search in C instead of a generator over the words.
_CHROME_WORDS_RE = re.compile("|".join(map(re.escape, _CHROME_WORDS)))
_CAPTION_TAIL_RE = re.compile("|".join(map(re.escape, _CAPTION_TAIL_WORDS)))


# What every byline, credit line, caption and chrome word of ``is_chrome`` contains (one of the words its
# patterns require); a unit without any of them has no chrome clause, so its clauses skip ``is_chrome``.
# Every alternative opens with a literal, so re finds the next possible start in C.
_CHROME_NEEDS = ["记者", "通讯员", "实习生", "摄", "图", *"：:/／|▲△↑", *_CHROME_WORDS]
CHROME_NEEDS = re.compile("|".join(map(re.escape, _CHROME_NEEDS)))


def is_chrome(body: str) -> bool:
    """A byline (记者/通讯员…), a credit line (编辑：/来源：/图：), a photo caption or page chrome."""
    body = body.strip(" \t\u3000*#。.")
    n = len(body)
    if not n:
        return False
    # Cheap tests first (substrings, anchored patterns on short text): this runs on every clause.
    if n <= 80 and (_BYLINE.fullmatch(body) or _CREDIT.match(body)):
        return True
    if _CAPTION.match(body) or n <= 40 and _CHROME_WORDS_RE.search(body):
        return True  # (cleaning.py drops whole chrome lines; what is left of them is short)
    if n <= 150:
        tail = body[-24:]
        return bool(_CAPTION_TAIL_RE.search(tail) and _CAPTION_END.search(tail))
    return False


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3×; never changed after it is made
class Candidate:
    """A clause that may state a commitment, with its resolved deadline and the signals that fired."""

    start: int
    end: int
    clause: Clause
    deadline: TimeExpr | None
    deadline_source: str  # own | sentence | paragraph | list_head | heading | none
    recurring: TimeExpr | None
    vague: TimeExpr | None
    signals: tuple[str, ...]
    position: float  # 0 at the start of the document, 1 at its end


def _forward(t: TimeExpr | None, ref: dt.date) -> TimeExpr | None:
    if t is None or t.deadline is None:
        return None
    if t.deadline >= ref:
        return t
    return roll_forward(t, ref)


_NEXT_OPENING = re.compile(r"[ \t\u3000*]*(?:下一步|下步|今后|下阶段|下一阶段|未来|接下来)")
_FUTURE_TYPE = re.compile(r"^(?:到|至|力争|争取|预计|明年|次年|今后|未来)|(?:底|末|内|前|期间|时期|上旬|中旬|下旬)$")


def _time_type(text: str, t: TimeExpr) -> str:
    """A coarse type of a time expression, as a signal: how much it says 'by then'."""
    if _SINCE_AFTER.match(text, t.end):
        return "time:since"
    words = _SPACE_DIGITS.sub("", t.text)
    if _FUTURE_TYPE.search(words):
        return "time:by"
    if _RANGE.search(t.text):
        return "time:range"
    return f"time:{t.precision}"


# A perfective 了 ("组织了", "列入了", "制定了《…》"): done work, which ``_PAST_WORDS`` (了 before a stop only) misses; not
# 为了, 除了, 明了, 罢了, 了解, 了如指掌. A letter's signal ``past_aspect`` (session 18, s18letters).
_ASPECT_LE = re.compile(r"(?<![为除明罢])了(?!解|如指掌)")


_SPACE_DIGITS = re.compile(r"[ \t\u3000\d]")
_RANGE = re.compile(r"[—–\-－~～至]")
_SINCE_AFTER = re.compile(r"[ \t\u3000]*(?:以来|来|以前|之前)")


def strength_of(text: str) -> str:
    """The strongest marker word of a commitment's text (ANNOTATION.md ``strength``)."""
    for word in _STRENGTH:
        if word in text:
            return word
    return "other"


class _Hits:
    """Matches of one pattern over the whole text (not inside ``skip``'s spans), by start offset."""

    def __init__(self, regex: re.Pattern | Prefiltered, text: str, skip: _Hits | None = None, *, words: bool = False):
        hits = list(regex.finditer(text))
        if skip is not None and skip.keys:
            hits = [m for m in hits if not skip.covers(m.start())]
        self.keys: list[int] = [m.start() for m in hits]
        self.ends: list[int] = [m.end() for m in hits]
        # The matched words (``within``), when asked for: only the markers' are read.
        self.words: list[str] = [w[:2] if w.startswith("待") else w for w in map(re.Match.group, hits)] if words else []

    def within(self, start: int, end: int) -> list[str]:
        return self.words[bisect.bisect_left(self.keys, start) : bisect.bisect_left(self.keys, end)]

    def has(self, start: int, end: int) -> bool:
        """Whether a hit starts in [start, end) (``within`` is not empty)."""
        i = bisect.bisect_left(self.keys, start)
        return i < len(self.keys) and self.keys[i] < end

    def covers(self, pos: int) -> bool:
        i = bisect.bisect_right(self.keys, pos) - 1
        return i >= 0 and pos < self.ends[i]


_SECTION_NUMBER = re.compile(
    r"[ \t\u3000*#]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])"
)


def _lead_end(text: str, structure: Structure) -> int:
    """The end of the title and lead: the first two lines that carry text (four Chinese characters, not page
    chrome), and the chrome lines among or before them, before any numbered section heading."""
    end = n = 0
    for unit in structure.units:
        if n == 2:
            break
        if unit.kind == "heading" and _SECTION_NUMBER.match(text, unit.start, unit.end):
            break  # a numbered section heading: the body has begun, there is no lead
        end = unit.end
        # Only lines that carry text count (session 9): a page stamp ("2025 01/24 16:18:06"), an image line or a
        # "来源：" line before the title does not push the title out of the lead.
        line = text[unit.start : unit.end]
        if _CJK4.search(line) and not is_chrome(line):
            n += 1
    return end


# A programme named in the title or lead (ANNOTATION.md: a 民生实事 / 重点项目 list, a year's 工作要点, a newly
# issued 方案; the genre's other names): the document's subject is a government's programme for a period.
_PROGRAMME = re.compile(
    r"实事|民生工程|重点项目|重大项目|重点工程|重大工程|工作要点|工作安排|行动计划|实施方案|计划草案|目标任务|清单"
)


_ANSWER = re.compile(r"答复|复函|回复")


def is_programme(text: str, structure: Structure) -> bool:
    """Whether the title or lead (``_lead_end``) names a programme (``_PROGRAMME``) and is not an answer
    (答复/复函/回复)."""
    end = _lead_end(text, structure)
    return _PROGRAMME.search(text, 0, end) is not None and _ANSWER.search(text, 0, end) is None


def _lead_years(text: str, structure: Structure, ref: dt.date, end: int):
    """The times of the title or lead (before ``end``) that name a year not yet over, not a schedule, not "…以来"."""
    for t in structure.times:
        if t.start >= end:
            break
        if (
            t.precision == "year"
            and t.recurring is None
            and t.deadline is not None
            and t.deadline >= ref
            and not _SINCE_AFTER.match(text, t.end)
        ):
            yield t


def document_period(text: str, structure: Structure, ref: dt.date) -> TimeExpr | None:
    """The first year not yet over named in the title or lead (``_lead_end``: the first two lines that carry
    text, before any numbered section heading), not a review."""
    end = _lead_end(text, structure)
    return next((t for t in _lead_years(text, structure, ref, end) if not _RANGE.search(t.text)), None)


# Session 16 W (dating only): the past words that stop a period's dating, read as words: not "目前" inside "项目前期" (项目 +
# 前期), not "现有" (an existing object, "改造现有设施", not done work). The ``past_words`` signal keeps _PAST_WORDS.
# "目(?<!项目)前" is "(?<!项)目前" written so that every alternative opens with a literal: re then skips in C to the
# next position that can start a match (a pattern with an alternative that opens with a lookbehind is tried at every
# position of the text; session 17: 107 → 15 µs a seed document, the same matches).
_PAST_DATING = re.compile(r"已经|已|了[，,。；]|了$|累计|截至|截止|同比|比上年|较上年|先后|目(?<!项目)前|去年|上年")


def plan_period(text: str, structure: Structure, ref: dt.date) -> TimeExpr | None:
    """Session 16 R (dating only): a plan's period named in the title or lead, a range of years not over of at most five
    years ("三年行动计划（2023—2025年）": dates.py reads a longer one, a plan's horizon, as no deadline); a plan cited
    in a title ("出台《…（2022-2025年）》") does not date (the guide), one issued (印发 in the lead) does."""
    end = _lead_end(text, structure)
    for t in _lead_years(text, structure, ref, end):
        if _RANGE.search(t.text):
            line = text.rfind("\n", 0, t.start) + 1
            if text.rfind("《", line, t.start) <= text.rfind("》", line, t.start) or _ISSUES.search(text, 0, end):
                return t
    return None


_REPORT = re.compile(r"工作报告")
_ISSUES = re.compile(r"印发")


def dating_period(
    text: str, structure: Structure, ref: dt.date, letter: bool, period: TimeExpr | None
) -> TimeExpr | None:
    """The period that dates, for the deadline only, what the document period would date where there is none
    (session 15): a notice issuing a document (印发 in the title or lead, "关于印发《…2023年…计划》的通知") that
    ``is_letter`` reads as a letter (a body such as 人大 named in its header) takes its lead's period; a report (工作报告 in the title or lead)
    whose lead names no period takes the reference year when the text writes that year in digits (not the received
    date of a text without a year): the first time expression at year precision ending on that year's last day (a
    written year, 今年, 全年 …; not "…以来", not a range, not inside 《》)."""
    end = _lead_end(text, structure)
    if letter:
        return document_period(text, structure, ref) if _ISSUES.search(text, 0, end) else None
    if period is not None:
        return None
    if _REPORT.search(text, 0, end) is None or str(ref.year) not in text:
        return plan_period(text, structure, ref)
    last = dt.date(ref.year, 12, 31)
    for t in structure.times:
        if (
            t.precision == "year"
            and t.recurring is None
            and t.deadline == last
            and not _SINCE_AFTER.match(text, t.end)
            and not _RANGE.search(t.text)
        ):
            line = text.rfind("\n", 0, t.start) + 1
            if text.rfind("《", line, t.start) <= text.rfind("》", line, t.start):
                return t
    return plan_period(text, structure, ref)


_INLINE_HEADING_MAX = 16
_COMMAS = re.compile(r"[，,、：:]")


def _short_sentence(body: str) -> bool:
    return len(body) <= _INLINE_HEADING_MAX and not _COMMAS.search(body)


def _inline_heading(text: str, c: Clause, body: str) -> bool:
    """A short sentence without a comma that opens its paragraph, or follows one that does, with more
    sentences after it: a report's heading run into its paragraph ("推动消费扩容升级提质。提升居民消费能力。
    深入实施…")."""
    if not (_short_sentence(body) and text[c.end - 1 : c.end] == "。" and text[c.end : c.unit.end].strip()):
        return False
    before = text[c.unit.start : c.start].strip(" \t\u3000*#")
    if not before:
        return True
    prev = before[:-1] if before.endswith("。") else None
    if prev is None or "。" in prev:
        return False
    return _short_sentence(_LEAD.sub("", prev, count=1) if _LEAD.match(prev) else prev)


def propose(
    text: str,
    structure: Structure,
    ref: dt.date,
    *,
    is_reply: bool = False,
    is_letter: bool | None = None,
    targets: TargetIndex | None = None,
) -> list[Candidate]:
    """See module docstring. ``targets``: the text's ``TargetIndex`` when the caller has made it (else made here)."""
    letter = is_reply if is_letter is None else is_letter
    # A numbered 通知 issuing a programme is not a letter: its items are dated by its period (issue 10, session 8).
    period = None if letter else document_period(text, structure, ref)
    late_period = dating_period(text, structure, ref, letter, period)  # dating only (session 15)
    programme = not letter and is_programme(text, structure)
    vague = find_vague(text)
    vague_keys = [v.start for v in vague]
    recurring = [t for t in structure.times if t.recurring]
    rec_keys = [t.start for t in recurring]
    n = max(1, len(text))
    time_at = {t.start: t for t in structure.times}
    out: list[Candidate] = []
    unit_sig: dict[int, list[str]] = {}
    unit_chrome: dict[int, str] = {}  # no | unit | clauses: which chrome test the unit needs
    unit_scope: dict[int, TimeExpr | None] = {}  # a unit's scope when it has not passed (_forward), once per unit
    unit_open: dict[int, list[str]] = {}  # a unit's first signals (unit:, section:, doc:, genre:), once per unit
    # Each pattern runs once over the whole text; clauses look their hits up by offset.
    title_hits = _Hits(_TITLE, text)
    marker_hits = _Hits(MARKER_RE, text, skip=title_hits, words=True)
    target_hits = targets if targets is not None else TargetIndex(text)
    past_hits = _Hits(_PAST_WORDS, text)
    past_dating = _Hits(_PAST_DATING, text)
    declined_hits = _Hits(_DECLINED, text)
    for c in structure.clauses:
        unit = c.unit
        s, e = c.start, c.end
        lead = _LEAD.match(text, s, e)
        if lead:
            s = lead.end()
        while e > s and text[e - 1] in _TAIL:
            e -= 1
        if e - s < 4 or not _CJK4.search(text, s, e):
            continue
        body = text[s:e]
        chrome = unit_chrome.get(unit.index)
        if chrome is None:
            # "no": the unit holds nothing a chrome line needs (CHROME_NEEDS), so none of its clauses is one
            if not CHROME_NEEDS.search(text, unit.start, unit.end):
                chrome = "no"
            elif unit.end - unit.start <= 200 and is_chrome(text[unit.start : unit.end]):
                chrome = "unit"
            else:
                chrome = "clauses"
            unit_chrome[unit.index] = chrome
        if chrome == "unit" or (chrome == "clauses" and is_chrome(body)):
            continue  # bylines, photo captions, credits and page chrome are never proposed
        own_time = c.own_time
        own = _forward(own_time, ref) if own_time is not None else None
        v = vague[bisect.bisect_left(vague_keys, s) : bisect.bisect_left(vague_keys, e)] if vague else []
        r = recurring[bisect.bisect_left(rec_keys, s) : bisect.bisect_left(rec_keys, e)] if recurring else []
        markers = marker_hits.within(s, e)
        if unit.after_closing and not markers:
            continue  # signature, contacts, page chrome: only a marked sentence is read there
        if unit.index not in unit_scope:
            unit_scope[unit.index] = _forward(unit.scope, ref)
        scope = unit_scope[unit.index]
        enumerated = _ENUM.match(text, c.start, e) is not None
        task_verb = _TASK_VERB.match(text, s, e) is not None
        target = target_hits.has(s, e)
        proposed = (
            enumerated
            or own is not None
            or markers
            or task_verb
            or target
            or v
            or r
            or scope is not None
            or unit.section_kind in ("next_steps", "programme")
        )
        if not proposed:
            continue
        # The signals, in this order (the ranker's features and the clerk's "why"); the unit's first ones made once.
        opening = unit_open.get(unit.index)
        if opening is None:
            opening = [f"unit:{unit.kind}", f"section:{unit.section_kind}", "doc:reply" if is_reply else "doc:other"]
            if programme:
                opening.append("genre:programme")
                if unit.kind in ("list_item", "table_row"):
                    opening.append("genre:programme_item")
            unit_open[unit.index] = opening
        sig: list[str] = opening.copy()
        if own_time is not None and own is None:
            sig.append("past_time")
        if own is not None:
            sig.append("future_time")
        if own_time is not None:
            sig.append(_time_type(text, own_time))
        if v:
            sig.append("vague_time")
        if r:
            sig.append("recurring")
        if title_hits.keys and title_hits.has(s, e):  # (most texts have no title, no declined point)
            sig.append("title")
        if markers:
            sig.extend(["marker:" + mk for mk in sorted(set(markers))])
        if unit.after_closing:
            sig.append("after_closing")
        if enumerated:
            sig.append("enumerated")
        if task_verb:
            sig.append("task_verb")
        if target:
            sig.append("target")
        past = past_hits.has(s, e)
        if past:
            sig.append("past_words")
        if letter and _ASPECT_LE.search(body):
            sig.append("past_aspect")
        if _SUGGEST.match(body):
            sig.append("suggest")
        if declined_hits.keys and declined_hits.has(s, e):
            sig.append("declined")
        if unit.index not in unit_sig:
            unit_sig[unit.index] = [
                name
                for name, hit in (
                    ("unit_opens_next_steps", _NEXT_OPENING.match(text, unit.start, unit.end)),
                    ("unit_past_words", past_hits.has(unit.start, unit.end)),
                )
                if hit
            ]
        sig.extend(unit_sig[unit.index])
        if c.first_in_unit:
            sig.append("first_in_unit")
        if body.endswith(("：", ":")) or text[e : e + 1] in "：:":
            sig.append("colon_intro")
        if len(body) <= _INLINE_HEADING_MAX and _inline_heading(text, c, body):  # (a longer one never is)
            sig.append("inline_heading")
        size = e - s
        sig.append("len:short" if size < 12 else "len:long" if size > 80 else "len:mid")
        # Deadline: own time, else an earlier one in the sentence, else the inherited scope.
        deadline, source = own, "own" if own is not None else "none"
        st = None  # the sentence's time not yet over (read when the clause has no time of its own)
        if own_time is None and not v and not r:
            st = _forward(c.sentence_time, ref) if c.sentence_time is not None else None
            if st is not None:
                deadline, source = st, "sentence"
            else:
                if scope is not None and scope.start < s:
                    deadline, source = scope, unit.scope_source
                elif unit.scope is None and period is not None and period.start < s and not past:
                    deadline, source = period, "document"
        if unit.scope is not None:
            sig.append(f"scope:{unit.scope_source}" if scope is not None else "scope:past")
        if source not in ("own", "none"):
            sig.append(f"dated_by:{source}")
        # Session 16 W, dating only (after the signals: ``dated_by`` stays the start's): past words that are not past words
        # read as words ("项目前期", "现有") no longer stop the document period.
        past_d = past and past_dating.has(s, e)
        if (
            past
            and not past_d
            and own_time is None
            and not v
            and not r
            and st is None
            and unit.scope is None
            and period is not None
            and period.start < s
        ):
            deadline, source = period, "document"
        # Dating only (session 14): the readings below change the deadline, never the signals above.
        if own_time is None and not v and not r and st is None:
            if unit.open_time is not None and unit.open_time.start < s:
                # A year that opens the paragraph governs it ("2015年将新开工重点项目16个，…。西藏儿童医院…即将开工
                # 建设"); a past one leaves it undated, as a past paragraph scope does.
                deadline = _forward(unit.open_time, ref)
                source = "paragraph" if deadline is not None else "none"
            elif unit.list_year is not None and scope is None:
                deadline, source = unit.list_year, "list_head"  # a list head without a colon
        # A notice's or a report's period where the document period is missing (session 15): dating only.
        if (
            late_period is not None
            and deadline is None
            and own_time is None
            and not v
            and not r
            and st is None
            and unit.scope is None
            and unit.open_time is None
            and not past_d
            and late_period.start < s
        ):
            deadline, source = late_period, "document"
        if own_time is not None and own_time.precision == "year":
            # A list of years ("力争在2019年、2020年进行硬化") runs to its last year.
            last = own_time
            while text[last.end : last.end + 1] == "、" and (nxt := time_at.get(last.end + 1)) is not None:
                if nxt.precision != "year" or nxt.deadline is None:
                    break
                last = nxt
            if last is not own_time and _forward(last, ref) is not None:
                deadline, source = last, "own"
        pos = s / n
        sig.append(f"pos:{min(4, int(pos * 5))}")

        out.append(
            Candidate(s, e, c, deadline, source, r[0] if r else None, v[0] if v else None, tuple(sig), round(pos, 3))
        )
    horizon_dates(text, structure, ref, out)  # dating only (session 16, s16hzn)
    return out


# A multi-year horizon (ANNOTATION.md: "未来N年" / "今后N年" → the last day of the year N years after the reference
# date, precision year), N from 2 to 10.
_HORIZON = re.compile(r"(?:未来|今后|未來|今後)的?[ \t\u3000]*(?P<n>10|[2-9]|十|[二两三四五六七八九])[ \t\u3000]*个?年")
_HZ_N = {"十": 10, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HZ_JOIN = ("及", "和", "与", "、")
_HZ_OPEN_REST = re.compile(r"[ \t\u3000，,：:]|预计|力争|争取|计划|到|至|在|于|截至|截止")
_CLAUSE_CUT = re.compile(r"[，,]")
_INLINE_COLON = re.compile(r"[：:](?=[ \t\u3000]*[^\s])")


_HZ_YEAR_BEFORE = re.compile(r"(\d{4}|[〇零○Ｏ一二三四五六七八九]{4})[ \t\u3000]*年[ \t\u3000]*[及和与、][ \t\u3000]*$")
_CN_DIGIT = str.maketrans("〇零○Ｏ一二三四五六七八九", "000012345678" + "9")


def find_horizons(text: str, ref: dt.date) -> list[TimeExpr]:
    """Every 未来N年 / 今后N年 (also 未來/今後, 未来的N年; N 2..10) of the text: the last day of year ref.year + N.
    A year joined before it ("2022年及未来五年") is the first of the N years (it ends on year + N − 1), and in
    a text whose reference year is read from promised years only (``metadata.promised_reference``) it ends on the
    reference year."""
    out = []
    promised: bool | None = None  # read once, and only for a horizon with no year joined before it
    for m in _HORIZON.finditer(text):
        g = m.group("n")
        n = int(g) if g.isdigit() else _HZ_N[g]
        year = ref.year + n
        joined = _HZ_YEAR_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if joined is not None:
            year = int(joined.group(1).translate(_CN_DIGIT)) + n - 1
        else:
            if promised is None:
                promised = promised_reference(text) == ref.year and ref.month == 1 and ref.day == 1
            if promised:
                year = ref.year
        out.append(TimeExpr(m.start(), m.end(), m.group(0), dt.date(year, 12, 31), "year"))
    return out


def _opens_with(text: str, start: int, pos: int) -> bool:
    """Whether ``pos`` opens the span from ``start``: at most two characters before it, besides a list mark, spaces,
    punctuation and the words of a time phrase's opening (预计, 力争, 到 …)."""
    lead = _LEAD.match(text, start, pos)
    if lead:
        start = lead.end()
    return len(_HZ_OPEN_REST.sub("", text[start:pos])) <= 2


def _opens_as_time(text: str, u_start: int, u_end: int, h: TimeExpr) -> bool:
    """Whether the horizon opens the span as a time does (``structure._opening_time``): its first clause, to the
    first comma, holds at most two other characters besides the opening words ("未来五年，…")."""
    lead = _LEAD.match(text, u_start, h.start)
    s = lead.end() if lead else u_start
    cut = _CLAUSE_CUT.search(text, s, u_end)
    ce = cut.start() if cut else u_end
    if h.end > ce:
        return False
    return ce - s <= 30 and len(_HZ_OPEN_REST.sub("", text[s : h.start] + text[h.end : ce])) <= 2


def horizon_dates(text: str, structure: Structure, ref: dt.date, cands: list[Candidate]) -> None:
    """Session 16 (s16hzn, kept): a 未来N年 / 今后N年 horizon dates its own clause and the clauses it
    governs (an inline list head's later pieces, its paragraph when it opens it, a list head's items, a heading's
    units up to the next heading with a time, list head or paragraph opening with a time); the deadline only, in
    place, never a signal. A clause with its own time (unless the horizon overlaps it or follows it joined by 及/和),
    its sentence's time, a vague word, a schedule, or a time opening its paragraph keeps the start's deadline."""
    horizons = find_horizons(text, ref)
    if not horizons:
        return
    hz_keys = [h.start for h in horizons]

    def within(s: int, e: int) -> list[TimeExpr]:
        return horizons[bisect.bisect_left(hz_keys, s) : bisect.bisect_left(hz_keys, e)]

    times = structure.times
    t_keys = [t.start for t in times]

    def dated_in(s: int, e: int) -> list[TimeExpr]:
        return [
            t
            for t in times[bisect.bisect_left(t_keys, s) : bisect.bisect_left(t_keys, e)]
            if t.deadline is not None and t.recurring is None
        ]

    # The reach of a heading's or a list head's horizon, unit by unit.
    reach: dict[int, TimeExpr] = {}
    head_hz: TimeExpr | None = None
    list_hz: TimeExpr | None = None
    for u in structure.units:
        hs = within(u.start, u.end)
        if u.kind == "heading":
            list_hz = None
            if hs:
                latest = max((t.deadline for t in dated_in(u.start, u.end) if t.deadline), default=None)
                head_hz = hs[-1] if latest is None or hs[-1].deadline >= latest else None  # type: ignore[operator]
            elif dated_in(u.start, u.end):
                head_hz = None
            continue
        tail = text[u.start : u.end].rstrip(" \t\u3000*")
        if tail.endswith(("：", ":")):  # a list head: a later one ends any reach; its own horizon heads its list
            head_start = max(text.rfind("。", u.start, u.end), text.rfind("；", u.start, u.end), u.start)
            head_hs = within(head_start, u.end)
            list_hz = head_hs[-1] if head_hs else None
            head_hz = None
            continue
        opens = u.scope_source == "paragraph" or u.open_time is not None
        if u.kind in ("list_item", "table_row") and list_hz is not None:
            if not opens:
                reach[u.index] = list_hz
            continue
        list_hz = None
        if u.kind == "paragraph" and opens:
            head_hz = None
            continue
        if head_hz is not None and not opens:
            reach[u.index] = head_hz

    # Within a unit: a horizon opening the paragraph, an inline list head's horizon.
    para_hz: dict[int, TimeExpr | None] = {}
    inline: TimeExpr | None = None
    inline_unit = -1
    for cand in cands:
        c = cand.clause
        u = c.unit
        if u.index not in para_hz:
            hs = within(u.start, u.end)
            para_hz[u.index] = (
                hs[0] if hs and u.kind != "heading" and _opens_as_time(text, u.start, u.end, hs[0]) else None
            )
        if inline_unit != u.index:
            inline, inline_unit = None, u.index
        own_hs = within(c.start, c.end)
        colon = _INLINE_COLON.search(text, c.start, c.end)
        if inline is not None and (
            colon is not None or (c.own_time is not None and _opens_with(text, c.start, c.own_time.start))
        ):
            inline = None  # a later inline head, or a piece opening with a time, ends the reach
        head_inline = None
        if colon is not None:
            before = [h for h in own_hs if h.end <= colon.start()]
            head_inline = before[-1] if before else None
        if cand.recurring is None and cand.vague is None:
            own = c.own_time
            new: TimeExpr | None = None
            if own_hs:
                h = own_hs[0]
                if (
                    own is None
                    or (own.start < h.end and h.start < own.end)
                    or (own.precision == "year" and own.end <= h.start and text[own.end : h.start] in _HZ_JOIN)
                ):
                    new = own_hs[-1] if own is not None and own.end <= h.start else h
            elif own is None and _forward(c.sentence_time, ref) is None:
                opens_unit = (u.scope_source == "paragraph" and u.scope is not None and u.scope.start < cand.start) or (
                    u.open_time is not None and u.open_time.start < cand.start
                )
                p = para_hz[u.index]
                if opens_unit:
                    new = None
                elif inline is not None:
                    new = inline
                elif p is not None and p.start < cand.start:
                    new = p
                else:
                    new = reach.get(u.index)
            if new is not None:
                cand.deadline, cand.deadline_source = new, "horizon"
        if head_inline is not None:
            inline = head_inline
