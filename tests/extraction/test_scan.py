"""The faster scans find exactly what the patterns they stand for find (scan.py, issue 10 speed)."""

from __future__ import annotations

import re

import pytest

from responses.extraction import cleaning
from responses.extraction.scan import Prefiltered
from responses.extraction.targets import TARGET_RE, TARGET_SCAN

from .conftest import ROOT, seed_paths


def _texts() -> list[str]:
    paths = sorted((ROOT / "corpus").glob("*/*.txt")) + seed_paths()
    return [p.read_text(encoding="utf-8") for p in paths]


TRICKY = [
    "投入3000万元，新建路灯30盏，第5位，2025年，12.5%，3,000,000元，1.5亿元，.5万",
    "十二万人，一二三四五六七万元，第十二万，两亿元，百千万亿",
    "２０万吨，全年完成投资5.2亿元以上",
]


def _spans(it) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in it]


@pytest.mark.parametrize("text", TRICKY)
def test_target_scan_finds_what_the_pattern_finds_in_tricky_text(text):
    assert _spans(TARGET_SCAN.finditer(text)) == _spans(TARGET_RE.finditer(text))
    for s in range(len(text)):
        for e in (s + 3, s + 9, len(text)):
            assert _spans(TARGET_SCAN.finditer(text, s, e)) == _spans(TARGET_RE.finditer(text, s, e))


def test_target_scan_finds_what_the_pattern_finds_in_the_corpus():
    texts = _texts()
    assert texts
    found = 0
    for text in texts:
        want = _spans(TARGET_RE.finditer(text))
        assert _spans(TARGET_SCAN.finditer(text)) == want
        found += len(want)
        for s in range(0, len(text), 251):
            assert _spans(TARGET_SCAN.finditer(text, s, s + 80)) == _spans(TARGET_RE.finditer(text, s, s + 80))
    assert found > 100


def test_a_lookbehind_is_read_as_in_finditer():
    scan = Prefiltered(re.compile(r"(?<![\d.])\d+元"), r"\d")
    assert [m.group() for m in scan.finditer("1.5元 25元 x3元")] == ["25元", "3元"]
    assert [m.group() for m in scan.finditer("125元", 1)] == []


def test_the_inline_break_hints_hold_for_every_break():
    for text in [*_texts(), "…的答复 张阳委员: 您提出的…。 一、工作现状 鲁桥镇…"]:
        if cleaning._INLINE_BREAK.search(text):
            assert cleaning._INLINE_HINT_A.search(text) or cleaning._INLINE_HINT_B.search(text)


def test_the_table_pattern_finds_what_its_plain_form_finds():
    from responses.extraction.structure import _TABLE

    plain = re.compile(r"\t|\||[ \u3000]{3,}\S")
    lines = [ln.strip() for text in _texts() for ln in text.split("\n")]
    lines += ["a   b", "a \u3000 b", "x|", "\t", "   ", "a  b", "  \u3000\u3000c", "a    ", "甲\t乙", "| 名称 | 数量 |"]
    for line in lines:
        want = plain.search(line)
        got = _TABLE.search(line)
        assert (got and got.span()) == (want and want.span()), line
