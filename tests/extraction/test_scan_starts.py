"""Session 14's speed pass (s14speed): patterns that re tried at every position, now searched from the characters
their matches can start with, give exactly the matches they gave.

``scan.LineAnchored`` finds a "^" pattern from line starts; a few patterns are written with their first character
apart, or go through ``scan.Prefiltered``. Each is compared with the plain pattern over every document of the corpus
and the seeds (raw and cleaned), and over random text made of the characters the patterns name.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from responses.extraction import cleaning, metadata, sections
from responses.extraction.cleaning import clean
from responses.extraction.scan import LineAnchored

from .conftest import ROOT, seed_paths

# The patterns as they were written before s14speed.
OLD_PHONE_LINE = re.compile(r"(?:联系)?电\s*话(?:\s*[：:]|[ \t\u3000]+(?=[\d(（]))\s*(?P<rest>[^\n]*)")
OLD_BLANKS = re.compile(r"\n{3,}")
OLD_TRAIL = re.compile(r"[ \t\u3000\xa0]+\n")


@cache
def _texts() -> tuple[str, ...]:
    paths = sorted((ROOT / "corpus").glob("*/*.txt")) + seed_paths()
    raw = [p.read_text(encoding="utf-8") for p in paths]
    return tuple(raw + [clean(t) for t in raw])


def _anchored() -> list[tuple[str, LineAnchored]]:
    out = []
    for module in (sections, metadata):
        out += [(f"{module.__name__}.{k}", v) for k, v in vars(module).items() if isinstance(v, LineAnchored)]
    return out


def _spans(it) -> list[tuple]:
    return [(m.span(), m.groups()) for m in it]


def _same(la: LineAnchored, text: str) -> int:
    """Compare ``la`` with its pattern on ``text`` from the start, from a third, and up to two thirds; the count."""
    p = la.pattern
    n = len(text)
    want = _spans(p.finditer(text))
    assert _spans(la.finditer(text)) == want
    assert _spans(la.finditer(text, n // 3)) == _spans(p.finditer(text, n // 3))
    assert _spans(la.finditer(text, n // 3, 2 * n // 3)) == _spans(p.finditer(text, n // 3, 2 * n // 3))
    a, b = p.search(text, n // 2), la.search(text, n // 2)
    assert (a.span() if a else None) == (b.span() if b else None)
    return len(want)


def test_every_line_anchored_pattern_of_the_pipeline_is_wrapped():
    names = [name for name, _ in _anchored()]
    assert len(names) >= 20  # sections' two, metadata's eighteen
    assert "responses.extraction.sections._HEADINGS" in names
    assert "responses.extraction.metadata.DATE_LINE_RE" in names


def test_line_anchored_patterns_find_what_their_patterns_find_in_the_corpus():
    found = 0
    for _, la in _anchored():
        for text in _texts():
            found += _same(la, text)
    assert found > 5000


_LINE_CHARS = list(
    "\n\n\n  \t\u3000一二三、.（）()*#以上感谢此复特函2025年12月31日号主办协单位部门：:委员代表您你AB类人文件关于答复"
) + [
    "**",
    "以上答复",
    "主办单位：",
    "2025年6月2日",
    "市人民政府",
    "张三代表\n您",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINE_CHARS), max_size=60).map("".join))
def test_line_anchored_patterns_on_random_lines(text):
    for _, la in _anchored():
        _same(la, text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "\n", "a\n", "ab\n", " ", "x"]), max_size=30).map("".join), st.integers(0, 45)
)
def test_line_anchored_on_matches_that_end_after_a_line_break(text, pos):
    """A match that ends with its line's "\\n" is followed by one at the next line's start (not by the pattern)."""
    for p in (re.compile(r"^a+b?\n", re.MULTILINE), re.compile(r"^(?:a|\n)+", re.MULTILINE)):
        la = LineAnchored(p)
        assert _spans(la.finditer(text, pos)) == _spans(p.finditer(text, pos))
        assert _spans(la.finditer(text, pos, len(text) - 1)) == _spans(p.finditer(text, pos, len(text) - 1))


def test_line_anchored_examples():
    la = LineAnchored(re.compile(r"^ab\n", re.MULTILINE))
    assert [m.span() for m in la.finditer("ab\nab\nxab\nab")] == [(0, 3), (3, 6)]
    assert [m.span() for m in la.finditer("ab\nab\nab\n")] == [(0, 3), (3, 6), (6, 9)]
    assert [m.span() for m in la.finditer("x\nab\nab\nab\n")] == [(2, 5), (5, 8), (8, 11)]
    assert [m.span() for m in la.finditer("ab\nab\n", 1)] == [(3, 6)]
    heading = sections._HEADINGS
    assert [m.start() for m in heading.finditer("一、甲\n（二）乙\n 3.丙 二、丁")] == [0, 4, 9]  # not "二、" mid-line


@pytest.mark.parametrize(
    "pattern",
    [r"^a|b", r"a^", r"^a*", r"(?:^a)"],
)
def test_line_anchored_refuses_what_it_cannot_find_from_line_starts(pattern):
    with pytest.raises(ValueError):
        LineAnchored(re.compile(pattern, re.MULTILINE))
    with pytest.raises(ValueError):
        LineAnchored(re.compile(r"^a"))  # not MULTILINE: "^" is the text's start only


def _same_search(old: re.Pattern, new, text: str) -> int:
    n = len(text)
    for pos, end in ((0, n), (n // 3, n), (0, 2 * n // 3)):
        assert _spans(new.finditer(text, pos, end)) == _spans(old.finditer(text, pos, end))
        a, b = old.search(text, pos, end), new.search(text, pos, end)
        assert (a.span() if a else None) == (b.span() if b else None)
    return len(old.findall(text))


def test_rewritten_metadata_patterns_find_what_they_found_in_the_corpus():
    found = [0, 0, 0]
    for text in _texts():
        found[0] += _same_search(OLD_PHONE_LINE, metadata.PHONE_LINE_RE, text)
        found[1] += _same_search(metadata._SESSION_CORE_RE, metadata._SESSION_CORE, text)
        found[2] += _same_search(metadata.TITLE_ALT_RE, metadata._TITLE_ALT, text)
    assert min(found) > 100


_META_CHARS = list(
    '联系电话 ：:\n1234(（第一二十百零〇届次人大民代表会议政协常委全体全国《》“”"提出交所了的关于建议提案议案甲'
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_META_CHARS), max_size=50).map("".join))
def test_rewritten_metadata_patterns_on_random_text(text):
    _same_search(OLD_PHONE_LINE, metadata.PHONE_LINE_RE, text)
    _same_search(metadata._SESSION_CORE_RE, metadata._SESSION_CORE, text)
    _same_search(metadata.TITLE_ALT_RE, metadata._TITLE_ALT, text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list(" \t\u3000\xa0\n\nab")), max_size=40).map("".join))
def test_rewritten_cleaning_patterns_substitute_as_before(text):
    assert cleaning._BLANKS.sub("\n\n", text) == OLD_BLANKS.sub("\n\n", text)
    assert cleaning._TRAIL.sub("\n", text) == OLD_TRAIL.sub("\n", text)


def test_rewritten_cleaning_patterns_in_the_corpus():
    for text in _texts():
        assert cleaning._BLANKS.sub("\n\n", text) == OLD_BLANKS.sub("\n\n", text)
        assert cleaning._TRAIL.sub("\n", text) == OLD_TRAIL.sub("\n", text)
