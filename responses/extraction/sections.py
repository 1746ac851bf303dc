"""Sections: cleaned text → numbered sections with headings and a class.

Contract: ``find_sections(text) -> list[Section]``, in document order, non-overlapping per level.
Level 1: "一、" (or a markdown "#" heading), level 2: "（一）"/"(一)", level 3: "1." "1、".
A section runs to the next heading of the same or a higher level, or to the closing ("感谢…",
"以上答复…", "此复") at the end of the body. ``kind``: ``next_steps`` (headings with 下步, 下一步,
今后, 打算, 计划, 下阶段, 努力方向, 思路 …), ``response`` (办理意见, 答复, 关于…问题, 建议…),
``past`` (情况, 开展, 成效, 做法, 必要性 …) or ``other``; a sub-section that is not itself
classed inherits its parent's class. The heading of a level-2/3 section is its text up to the
first 。 (when short), else the whole first line when it is short; a level-2/3 line followed directly by
the next numbered line (no text of its own) is a list item, not a heading: it has no heading text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .scan import LineAnchored
from .types import Section

HEADING_RE = re.compile(
    r"^[ \t\u3000]*(?:\*\*)?(?:"
    r"(?P<h1>[一二三四五六七八九十]{1,3})[、．.]"
    r"|(?P<md>#{1,6})[ \t]+"
    r"|[（(](?P<h2>[一二三四五六七八九十]{1,3})[）)]"
    r"|(?P<h3>\d{1,2})(?:[.．、](?!\d)|[)）])"
    r")",
    re.MULTILINE,
)
_HEADINGS = LineAnchored(HEADING_RE)  # the same matches, found from line starts only (scan.py)
CLOSING_RE = re.compile(
    r"^[ \t\u3000]*(?:以上|感谢|衷心感谢|再次感谢|非常感谢|以上答复|以上意见|此复|特此函复|特此答复|"
    r"如有不妥|专此|谢谢|欢迎|希望您|希望你们|希望继续)",
    re.MULTILINE,
)
_CLOSINGS = LineAnchored(CLOSING_RE)
_NEXT = re.compile(r"下步|下一步|今后|打算|计划|下阶段|下一阶段|努力方向|工作思路|思路|展望|安排|谋划|拟")
# Plan headings of reports ("2025年发展目标任务", "重点工作") unless they report results.
_PLAN = re.compile(r"目标任务|主要任务|重点任务|工作任务|发展目标|预期目标|主要目标|重点工作|工作重点")
_REPORTS = re.compile(r"情况|成效|回顾|完成|进展|成绩|总结")
_RESP = re.compile(r"办理意见|办理情况|答复|意见|关于|问题|建议|提案|回复|采纳")
_PAST = re.compile(r"情况|开展|成效|做法|已|基本|背景|必要性|紧迫性|主要内容|现状|进展|措施|工作|推进")


_MIXED = re.compile(r"^(?P<a>[^和及与]{2,30})(?:和|及|与)")


def classify(heading: str) -> str | None:
    m = _MIXED.match(heading)
    if m and not _NEXT.search(m["a"]) and re.search(r"共识|情况|成效|做法|开展", m["a"]) and _NEXT.search(heading):
        # "形成的共识和拟采取的措施情况": a report and a plan; its sub-sections tell which is which.
        return "response"
    if _NEXT.search(heading) or (_PLAN.search(heading) and not _REPORTS.search(heading)):
        return "next_steps"
    if _RESP.search(heading):
        return "response"
    if _PAST.search(heading):
        return "past"
    return None


_SENTENCE_END = re.compile(r"[。！？]")
_COMMA_OR_SEMICOLON = re.compile(r"[，,；;]")
_CLAUSE_PUNCT = re.compile(r"[，。；]")


def _heading_text(text: str, body_start: int, line_end: int) -> int:
    """End offset of the heading text that starts at ``body_start``."""
    line = text[body_start:line_end]
    stop = _SENTENCE_END.search(line)
    if stop and stop.end() >= len(line.rstrip()) and _COMMA_OR_SEMICOLON.search(line):
        # "1.明年3月底前完成摸底，形成清单。" on a line of its own is a list item, not a heading.
        return body_start
    if stop and stop.start() <= 40:
        return body_start + stop.end()
    if len(line) <= 40 and not _CLAUSE_PUNCT.search(line):
        return line_end
    return body_start


@lru_cache(maxsize=1)  # find_sections and read_structure ask it of the same text, one after the other
def find_body_end(text: str) -> int:
    """Where the body ends: at the last closing line ("此复", "感谢…") when it lies after the first third and no
    line after it holds more than 80 characters besides whitespace (a signature, a date, contacts follow a real
    closing; "以上这些目标，…" inside a report, or a "感谢…" line before the answer's last paragraph, is not one)."""
    closing = None
    for m in _CLOSINGS.finditer(text):
        closing = m.start()
    if closing is None or closing <= len(text) // 3 or _long_line_after(text, closing):
        return len(text)
    return closing


def _long_line_after(text: str, start: int) -> bool:
    line_end = text.find("\n", start)
    return line_end >= 0 and any(len("".join(line.split())) > 80 for line in text[line_end:].split("\n"))


def find_sections(text: str) -> list[Section]:
    """See module docstring."""
    body_end = find_body_end(text)
    heads = []
    for m in _HEADINGS.finditer(text, 0, body_end):
        if m["h1"]:
            level, num = 1, m["h1"]
        elif m["md"]:
            level, num = 1, m["md"]
        elif m["h2"]:
            level, num = 2, m["h2"]
        else:
            level, num = 3, m["h3"]
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        h_end = _heading_text(text, m.end(), line_end)
        heads.append((m.start(), level, num, m.end(), h_end))
    for i, (start, level, num, hs, he) in enumerate(heads):
        # A "heading" with no text of its own before the next numbered line (or the end of the body) is an
        # item of a list ("（一）计划于6月底前完成可研编制。" then "（二）…"): its words are content, and as an
        # item it takes its parent's class rather than classing itself by its own words.
        if level > 1 and he > hs:
            following = heads[i + 1][0] if i + 1 < len(heads) else body_end
            if not text[he:following].strip():
                heads[i] = (start, level, num, hs, hs)
    sections: list[Section] = []
    kinds_stack: dict[int, str] = {}
    for i, (start, level, num, hs, he) in enumerate(heads):
        end = body_end
        for j in range(i + 1, len(heads)):
            if heads[j][1] <= level:
                end = heads[j][0]
                break
        heading = text[hs:he].strip().strip("*").strip()
        own = classify(heading)
        parent = None
        for lv in range(level - 1, 0, -1):
            if lv in kinds_stack:
                parent = kinds_stack[lv]
                break
        if own == "next_steps" or parent is None:
            kind = own or "other"
        else:
            kind = parent if parent == "next_steps" else (own or parent)
        kinds_stack[level] = kind
        for lv in list(kinds_stack):
            if lv > level:
                del kinds_stack[lv]
        sections.append(Section(num, heading, level, kind, start, end, hs, he))
    return sections
