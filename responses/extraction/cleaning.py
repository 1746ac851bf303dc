"""Cleaning: decoded text → the cleaned text every offset refers to.

Contract: ``clean(text) -> str``. Normalises line ends and BOM, drops web-page chrome lines
("无障碍浏览 长者模式", "打印本页", "【字体：大 中 小】" …), trims trailing spaces, collapses runs of
blank lines, and joins a paragraph that a page or line break split mid-sentence with its
continuation (the break is removed). Full-width digits and spaces are kept as written: the later
stages' patterns accept them, so quotes stay exact substrings of the source.
Linear time: a few compiled patterns and one pass over the lines.
"""

from __future__ import annotations

import re

_CHROME_TOKENS = re.compile(
    r"无障碍浏览|无障碍|长者模式|关怀模式|适老化|关怀版|繁体|繁體|简体|English|"
    r"打印本页|打印|关闭窗口|关闭|收藏|分享到|分享|扫一扫|字号|字体|默认|浏览次数|"
    r"首页|当前位置|您当前的位置|返回顶部|上一篇|下一篇|[大中小]|[【】\[\]：:|｜>＞/\s]"
)
_CHROME_HINT = re.compile(
    r"无障碍|长者模式|关怀模式|打印本页|关闭窗口|分享到|扫一扫|当前位置|返回顶部|【字体|字号[:：]"
)
_TERMINAL = set('。！？!?；;：:”’」』）)》】…—"*')
_HEADING_START = re.compile(
    r"[ \t\u3000]*(?:#|——|-{2}|\*\*|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}[.．、](?!\d)|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[条章节部分])"
)
_DATE_LINE = re.compile(r"^[ \t\u3000]*(?:\d{4}|[〇零○一二三四五六七八九]{4})[ \t\u3000]*年.{1,12}日")
_DOCNO_LINE = re.compile(r"[ \t\u3000]*[\u4e00-\u9fff]{1,16}[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]")
_SALUTATION_LINE = re.compile(r"[ \t\u3000]*[^\n，,。]{1,30}(?:代表|委员|同志|先生|女士)[：:][ \t\u3000]*$")
_RUN_IN_LABEL = re.compile(r"[ \t\u3000]*[\u4e00-\u9fff]{2,6}[：:](?![ \t\u3000]*$)")
_BULLET = re.compile(r"[ \t\u3000]*[-•·●▪][ \t\u3000]")
_FIELD_LINE = re.compile(r"(?:[-•·●▪*][ \t\u3000]*)?[\u4e00-\u9fff]{2,6}[ \t\u3000]*[：:]")
_QUANTITY_END = re.compile(r"\d[%％\u4e00-\u9fff]{0,3}$")
_PROSE_PUNCT = re.compile(r"[，,、；。]")
_MARK_LINE = re.compile(
    r"[ \t\u3000]*(?:[A-DＡ-Ｄ][ \t\u3000]*类|[〔\[［【(（]?(?:公开|不公开|不予公开|依申请公开|主动公开)[〕\]］】)）]?)[ \t\u3000]*$"
)
# "昆明市发展和改革委员会办公室   2023年6月2日印发": the issue line of the footer.
_ISSUE_LINE = re.compile(
    r"(?:\d{4}|[〇零○一二三四五六七八九]{4})[ \t\u3000]*年[^\n]{1,12}日[ \t\u3000]*印发[ \t\u3000]*$"
)
# (Written with their first character apart — "\n\n\n+", "[…][…]*\n" rather than "\n{3,}", "[…]+\n": the same matches,
# and a pattern that opens with a literal or a class is searched in C; one that opens with a repeat is tried at
# every position.)
_BLANKS = re.compile(r"\n\n\n+")
_FIELD_ROW = re.compile(r"\S[ \t\u3000]{2,}\S.*\S[ \t\u3000]{2,}\S")
_TRAIL = re.compile(r"[ \t\u3000\xa0][ \t\u3000\xa0]*\n")


def _is_chrome(line: str) -> bool:
    if not _CHROME_HINT.search(line) or len(line) > 80:
        return False
    return not _CHROME_TOKENS.sub("", line).strip()


def clean(text: str) -> str:
    """Return the cleaned text (see module docstring)."""
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    text = text.replace("\x0c", "\n\n")
    text = _CONTROLS.sub("", text) if _has_controls(text) else text
    if any(ws + "\n" in text for ws in " \t\u3000\xa0"):  # (str.__contains__ is a faster scan than re)
        text = _TRAIL.sub("\n", text)
    if (_INLINE_HINT_A.search(text) or _INLINE_HINT_B.search(text)) and _INLINE_BREAK.search(text):
        text = _unflatten(text)
    lines = text.split("\n")
    if _CHROME_HINT.search(text):  # (a line's hint is a hint in the text: none there, no chrome line)
        lines = [ln for ln in lines if not _is_chrome(ln)]
    # Paragraphs: runs of non-empty lines separated by blank lines. Decide for each line break
    # whether it splits a sentence (see _continues and _Layout).
    layout = _Layout(lines)
    out: list[str] = []
    pending_sep = ""
    last = ""  # the line before, as read
    for i, ln in enumerate(lines):
        if not ln.strip():
            if out:
                pending_sep += "\n"
            continue
        if out and _continues(out[-1], ln, pending_sep, layout, last, i):
            out[-1] = out[-1] + ln.lstrip(" \t\u3000")
        else:
            if out:
                out.append(pending_sep if pending_sep else "")
            out.append(ln)
        pending_sep = ""
        last = ln
    joined = _join(out)
    if "\n\n\n" in joined:
        joined = _BLANKS.sub("\n\n", joined)
    return joined.strip("\n") + "\n" if joined.strip() else ""


# A letter flattened onto one line by a web page ("…的答复 张阳委员: 您提出的…答复如下: 一、工作现状 鲁桥镇…。
# 二、下一步计划 一是…"): the space before and after an inline salutation, and before and after a short
# numbered section heading that follows the end of a sentence, were line breaks. Each such space (one
# character) becomes "\n", so offsets and quotes are unchanged.
_WS = "[ \t\u3000\xa0]"
_INLINE_BREAK = re.compile(
    rf"(?:(?P<a>{_WS})|^)[^\s，,。；;：:《》“”|]{{2,12}}?(?:委员|代表)们?[：:](?P<b>{_WS})"
    rf"|[。！？；;：:|]{_WS}*?(?P<c>{_WS})[一二三四五六七八九十]{{1,3}}、[^\s，,。；;：:、]{{2,20}}?(?P<d>{_WS})(?=[^\s])",
    re.MULTILINE,
)
# What every match of _INLINE_BREAK contains; these open with a literal or a class, so re skips ahead in C
# (the pattern itself is tried at every position of the text). Only whether they are found is read: hint A is
# "(?:委员|代表)们?[：:]" + a space, found from its colon (session 17: a colon is rarer than 委 or 代, where re
# stopped to try the pattern).
_INLINE_HINT_A = re.compile(rf"[：:](?:(?<=委员.)|(?<=代表.)|(?<=委员们.)|(?<=代表们.)){_WS}")
_INLINE_HINT_B = re.compile(rf"{_WS}[一二三四五六七八九十]{{1,3}}、")


def _unflatten(text: str) -> str:
    breaks = []
    for m in _INLINE_BREAK.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        if (len(text) if line_end < 0 else line_end) - line_start < 120:
            continue  # only long lines: a short line with a space is a title or a signature
        breaks += [m.start(g) for g in ("a", "b", "c", "d") if m.start(g) >= 0]
    if not breaks:
        return text
    chars = list(text)
    for i in breaks:
        chars[i] = "\n"
    return "".join(chars)


def _join(parts: list[str]) -> str:
    # parts alternate: text, separator ("" means a single newline), text, …
    buf = []
    for i, p in enumerate(parts):
        if i % 2 == 0:
            buf.append(p)
        else:
            buf.append("\n" + p if p else "\n")
    return "".join(buf)


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _has_controls(text: str) -> bool:
    return _CONTROLS.search(text) is not None


def _has_wide_gap(p: str) -> bool:
    """Whether ``p`` (without tabs) holds two spaces in a row, as every _FIELD_ROW match does (a str scan
    is faster than the pattern, which is tried at every character)."""
    return "  " in p or "\u3000" in p


# A line opening with a number and a space ("01 新改扩建…", "2 新建…"): an item of a numbered list.
_NUMBERED = re.compile(r"[ \t\u3000]*(\d{1,3})[ \t\u3000]+(?=[^\s\d])")
# A break after a paragraph (a line, in a text that is not hard-wrapped) of fewer characters is a real end.
_MIN_BROKEN = 40


class _Layout:
    """What the whole text says about its line breaks.

    ``width``: the width a hard-wrapped text (PDF text, a docx or a text copy wrapped at a fixed width) wraps
    at, or 0. W is the most common length of the lines of ≥ 8 characters (ties: the longer); the text is
    hard-wrapped when W ≥ 16, at least 3 lines have W characters, at least half of the lines of ≥ W/2
    characters have W − tol … W + W/8 + 1 (digits and Latin letters make a full line longer) and at most a
    tenth are longer. ``numbered``: the indices of the lines that open a numbered item ("01 …", or "n …" when
    another line opens with n − 1 or n + 1).
    """

    __slots__ = ("numbered", "tol", "width")

    def __init__(self, lines: list[str]) -> None:
        lengths = [len(ln.strip(" \t\u3000")) for ln in lines]
        self.width = self.tol = 0
        counts: dict[int, int] = {}
        for n in lengths:
            if n >= 8:
                counts[n] = counts.get(n, 0) + 1
        if counts:
            w, cw = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            tol = max(1, w // 20)
            hi = w + w // 8 + 1
            wide = [n for n in lengths if n >= w // 2]
            full = sum(1 for n in wide if w - tol <= n <= hi)
            over = sum(1 for n in wide if n > hi)
            if w >= 16 and cw >= 3 and 2 * full >= len(wide) and 10 * over <= len(wide):
                self.width, self.tol = w, tol
        self.numbered: set[int] = set()
        nums: dict[int, str] = {}
        for i, ln in enumerate(lines):
            if ln[:1].isdigit() or ln[:1] in " \t\u3000":
                m = _NUMBERED.match(ln)
                if m:
                    nums[i] = m.group(1)
        if nums:
            values = {int(v) for v in nums.values()}
            self.numbered = {
                i for i, v in nums.items() if (len(v) > 1 and v[0] == "0") or {int(v) - 1, int(v) + 1} & values
            }

    def full(self, line: str) -> bool:
        """Whether ``line`` reaches the width of a hard-wrapped text."""
        return bool(self.width) and len(line.strip(" \t\u3000")) >= self.width - self.tol


_ATTACHMENT = re.compile(r"[ \t\u3000]*附\s*件\s*\d*\s*[：:]")
_COMMA_OR_STOP = re.compile(r"[，,；;。]")
_STOP = re.compile(r"[；;。]")


def _continues(prev: str, nxt: str, sep: str, layout: _Layout, last: str, i: int) -> bool:
    """True when the break between ``prev`` (the paragraph so far) and ``nxt`` (line ``i`` of the text) falls
    inside a sentence; ``last`` is the line before ``nxt`` as read."""
    p = prev.rstrip(" \t\u3000")
    if not p or p[-1] in _TERMINAL:
        return False
    if i in layout.numbered:
        return False  # "01 新改扩建…" / "02 新改建…": each number starts an item
    if "\t" in p or "\t" in nxt:
        return False  # table rows stay one per line
    if (
        _HEADING_START.match(nxt)
        or _DATE_LINE.match(nxt)
        or _DOCNO_LINE.match(nxt)
        or ("印发" in nxt and _ISSUE_LINE.search(nxt))
    ):
        return False
    core = p.strip(" \t\u3000")
    if p.count("|") + p.count("｜") >= 2 or _MARK_LINE.match(p) or _MARK_LINE.match(nxt):
        return False  # "文 号: | 主题分类: |" page-field rows; "A类" / "公开" lines under a title
    if _has_wide_gap(p) and _FIELD_ROW.search(p) and not _PROSE_PUNCT.search(p):
        return False  # " 索 引 号  1585…  发布机构  临沂市工业和信息化局": a row of a page's field table
    if p.count(">") + p.count("＞") + p.count("»") >= 2:
        return False  # "首页>政务公开>…": a breadcrumb, never the start of a sentence
    if _SALUTATION_LINE.match(nxt):
        return False  # "自会平代表：" opens the letter after a page-field line
    if _BULLET.match(nxt):
        return False  # "- 发布机构:…" lines of a page's field list stay one per line
    if layout.width:
        # A hard-wrapped text: a break (a newline, or a blank line where a page ended) is a wrap exactly when
        # the line before reaches the width (a full line is not a heading or a field line: it goes on).
        return layout.full(last)
    if _FIELD_LINE.match(core) and not _PROSE_PUNCT.search(core):
        return False
    if _ATTACHMENT.match(core):
        return False  # "附件：…反馈表" is a line of its own (the signature follows)
    if _RUN_IN_LABEL.match(nxt):
        return False  # "消费：安排…" starts an item of a labelled list
    if sep and len(core) < 60 and _QUANTITY_END.search(core):
        return False  # "…增加2300亿元" / blank line / next item: a list of targets, one per line
    if _HEADING_START.match(core) and len(core) <= 40 and not _COMMA_OR_STOP.search(core):
        return False
    if _HEADING_START.match(core) and len(core) <= 30 and not _STOP.search(core):
        return False  # "一、千方百计扩大内需,推动经济平稳健康发展": a short numbered heading, a comma inside
    if not _PROSE_PUNCT.search(core):
        return False  # a line without sentence punctuation (a title, a signature) is not prose
    # A line is a paragraph (web pages, text copies): the break is inside a sentence only after a long
    # paragraph when the next line ends the sentence (a page break inside a paragraph), not between the
    # short unpunctuated items of a list, one per line.
    n = nxt.rstrip(" \t\u3000")
    return len(core) >= _MIN_BROKEN and bool(n) and n[-1] in _TERMINAL
