"""Session 20's speed round (s20speed) gives exactly what the code before it gave.

- ``find_targets`` with the text's ``TargetIndex`` takes a span's matches from the whole-text scan instead of scanning
  the span again (``targets._span_matches``): the same targets as the span's own scan over every corpus text and seed
  (spans between its punctuation and around each quantity, starting and ending inside them) and over random text rich
  in numbers, units and spaces; the boundary model's quantity flag of a part (``splitting._part_flags``) asks the same
  of the index (``TargetIndex.first_in``: ``TARGET_SCAN.search`` of the part).
"""

from __future__ import annotations

import random
import re
from functools import cache

from responses.extraction import targets
from responses.extraction.cleaning import clean
from responses.extraction.targets import TargetIndex, find_targets

from .conftest import ROOT, seed_paths


@cache
def _texts() -> tuple[str, ...]:
    paths = sorted((ROOT / "corpus").rglob("*.txt")) + seed_paths()
    raw = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    return tuple(clean(t) for t in raw if t.strip())


_BOUNDS = re.compile(r"[，,。；;！？\n]")


def _spans(text: str, index: TargetIndex) -> set[tuple[int, int]]:
    """Clause-like spans (between punctuation, one and two pieces long) and spans that start or end at, inside or just
    beside a quantity of the whole-text scan."""
    cuts = [0, *(m.end() for m in _BOUNDS.finditer(text)), len(text)]
    spans = {(a, b) for a, b in zip(cuts, cuts[1:], strict=False)}
    spans |= {(a, b) for a, b in zip(cuts, cuts[2:], strict=False)}
    for s, e in zip(index.starts, index.ends, strict=True):
        for a in (s - 2, s - 1, s, s + 1):
            for b in (s + 1, e - 1, e, e + 1, e + 9):
                if 0 <= a <= b <= len(text):
                    spans.add((a, b))
    return spans


def test_targets_from_the_index_are_those_of_the_span_scan_over_the_corpus():
    n = 0
    for text in _texts():
        index = TargetIndex(text)
        for s, e in _spans(text, index):
            assert find_targets(text, s, e, index) == find_targets(text, s, e), (text[s:e], s, e)
            got, want = index.first_in(text, s, e), targets.TARGET_SCAN.search(text, s, e)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (text[s:e], s, e)
            n += 1
    assert n > 100_000


def test_targets_from_the_index_over_random_text():
    rng = random.Random(20)
    pieces = ["1", "2", "0", ",", "234", ".", "．", "5", "万", "亿", "万亿", "元", "个", "个月", "公里", "%", "三", "十",
              "两", "百", "第", "年", "月", "新建", "，", "。", " ", "   ", "\u3000", "\n", "人口", "吨", "千", "平方米",
              "个百分点", "口", "万千瓦"]  # fmt: skip
    for _ in range(600):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        index = TargetIndex(text)
        for s in range(len(text) + 1):
            for e in range(s, len(text) + 1):
                assert find_targets(text, s, e, index) == find_targets(text, s, e), (text, s, e)
                got, want = index.first_in(text, s, e), targets.TARGET_SCAN.search(text, s, e)
                assert (got and got.span()) == (want and want.span()), (text, s, e)


class _Counting:
    """``TARGET_SCAN`` with its span scans counted."""

    def __init__(self, scan):
        self.scan, self.calls = scan, 0

    def finditer(self, *args):
        self.calls += 1
        return self.scan.finditer(*args)


def test_a_span_is_scanned_only_where_the_whole_text_scan_cannot_answer(monkeypatch):
    text = "新增1,234万元，建成12公里，其余三十万亿元"
    index = TargetIndex(text)
    counting = _Counting(targets.TARGET_SCAN)
    monkeypatch.setattr(targets, "TARGET_SCAN", counting)
    assert [t.text for t in find_targets(text, 0, 9, index)] == ["1,234万元"]
    assert [t.text for t in find_targets(text, 10, len(text), index)] == ["12公里", "三十万亿元"]
    assert counting.calls == 0  # every match ends inside its span: read from the index
    assert [t.text for t in find_targets(text, 4, 9, index)] == ["234万元"]  # a match straddles the start: scanned
    assert counting.calls == 1
    assert find_targets(text, 0, 8, index) == []  # "1,234万元" ends after the span, within the scan's end: no scan
    assert counting.calls == 1
    spaced = "新增1,234万" + " " * 10 + "元"  # one match, offsets 2..19: past the end of a scan of (0, 9), 17
    index = TargetIndex(spaced)
    before = counting.calls
    got = find_targets(spaced, 0, 9, index)
    assert counting.calls == before + 1  # scanned from the match
    assert got == find_targets(spaced, 0, 9)
