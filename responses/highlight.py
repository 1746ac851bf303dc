"""Render a letter's cleaned text as HTML with its commitments highlighted (deadline words and targets marked).

Pure function over offsets into the cleaned text: the extraction pipeline and stored commitments keep the
character span of every clause, so the page shows exactly what was extracted.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Mark:
    """A commitment's span, its label, and the inner spans to mark (kind "dl" = deadline words, "tg" = target)."""

    start: int
    end: int
    label: str
    anchor: str = ""
    focus: bool = False
    inner: Sequence[tuple[int, int, str]] = field(default_factory=tuple)


def find_inner(text: str, start: int, end: int, words: Iterable[str], kind: str) -> list[tuple[int, int, str]]:
    """Locate each of `words` inside text[start:end] (first occurrence after the previous one)."""
    found = []
    cursor = start
    for word in words:
        if not word:
            continue
        at = text.find(word, cursor, end)
        if at < 0:
            at = text.find(word, start, end)
        if at >= 0:
            found.append((at, at + len(word), kind))
            cursor = at + len(word)
    return found


def _render_inner(text: str, start: int, end: int, inner: Sequence[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = start
    for s, e, kind in sorted(inner):
        s, e = max(s, pos), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(f'<span class="{escape(kind)}">{escape(text[s:e])}</span>')
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, marks: Iterable[Mark]) -> SafeString:
    """The escaped text with <mark> around each span; overlapping spans are clipped, out-of-range ones skipped."""
    out: list[str] = []
    pos = 0
    length = len(text)
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        start, end = max(mark.start, pos), min(mark.end, length)
        if start < 0 or start >= end:
            continue
        out.append(escape(text[pos:start]))
        classes = "c focus" if mark.focus else "c"
        anchor = f' id="{escape(mark.anchor)}"' if mark.anchor else ""
        out.append(f'<mark class="{classes}"{anchor}><sup>{escape(mark.label)}</sup>')
        out.append(_render_inner(text, start, end, mark.inner))
        out.append("</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))
