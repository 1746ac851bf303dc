"""Session 17's speed steps (s17speed) give exactly what the code before them gave.

Each rewritten pattern is compared with the pattern as it was written before, over every document of the corpus and
the seeds (raw and cleaned) and over random text made of the characters it names; each rewritten function with the
plain code it replaces.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from responses.extraction import candidates
from responses.extraction.cleaning import clean

from .conftest import ROOT, seed_paths

# The patterns as they were written before s17speed.
OLD_PAST_DATING = re.compile(r"已经|已|了[，,。；]|了$|累计|截至|截止|同比|比上年|较上年|先后|(?<!项)目前|去年|上年")


@cache
def _texts() -> tuple[str, ...]:
    paths = sorted((ROOT / "corpus").rglob("*.txt")) + seed_paths()
    raw = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    return tuple(raw + [clean(t) for t in raw if t.strip()])


def _spans(it) -> list[tuple]:
    return [(m.span(), m.group(), m.groups()) for m in it]


def test_past_dating_opens_every_alternative_with_a_literal_and_finds_the_same_words():
    from re import _compiler, _parser  # type: ignore[attr-defined]

    p = candidates._PAST_DATING
    info = _compiler._code(_parser.parse(p.pattern, p.flags), p.flags)
    assert info[2] & 4  # SRE_INFO_CHARSET: re skips in C to a character that can start a match
    n = 0
    for text in _texts():
        want = _spans(OLD_PAST_DATING.finditer(text))
        assert _spans(p.finditer(text)) == want
        n += len(want)
    assert n > 1000  # the corpus holds many of them


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="项目前期已经了，。累计截至同比上年去较先后现有 \n", max_size=40))
def test_past_dating_on_random_text(text):
    assert _spans(candidates._PAST_DATING.finditer(text)) == _spans(OLD_PAST_DATING.finditer(text))
    for pos in range(len(text) + 1):
        a, b = candidates._PAST_DATING.search(text, pos), OLD_PAST_DATING.search(text, pos)
        assert (a.span() if a else None) == (b.span() if b else None)
