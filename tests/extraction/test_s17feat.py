"""Session 17 (s17feat): outside a programme (genre), a letter and a live scope, the boundary cut is not made
("nocut") or keeps only the pieces with a marker word of their own ("marked"); LUOSHI_FEATURE read at call time."""

from __future__ import annotations

import datetime as dt

import pytest

from responses.extraction import ranker
from responses.extraction.ranker import prepare

REF = dt.date(2023, 6, 1)
# A news feature's review paragraph: tasks run into a marked target (ANNOTATION.md: outside a programme only the
# marked statement is an entry).
FEATURE = (
    "昭通：步履稳健迈上新型工业化道路\n\n记者 张三\n\n"
    "全市聚焦特色农业产业发展，坚持用工业化理念打造农业全产业链，提升农业产业规模化水平，"
    "力争今年实现农业综合产值95亿元。\n"
    "全县大力推进高标准农田建设，提升粮食安全保障水平，确保全县粮食播种面积稳定在69万亩以上，产量稳中有增。\n"
    "全县大力推进高标准农田建设，提升粮食安全保障水平，加快补齐农业基础设施短板。\n"
)
PROGRAMME = "2023年民生实事项目清单\n\n" + FEATURE.split("\n\n", 2)[2]
# A boundary model that cuts at every comma.
CUT_ALL = ranker.Model({}, {}, 0.0, 0.5, split_intercept=30.0, split_threshold=0.5)


def _pieces(text: str, needle: str) -> list[str]:
    p = prepare(text, reference_date=REF)
    c = next(c for c in p.candidates if needle in p.work[c.start : c.end])
    return [p.work[x.start : x.end] for x in CUT_ALL.split(p.work, False, c)]


def test_off_cuts_a_feature_clause_at_every_comma(monkeypatch):
    monkeypatch.delenv("LUOSHI_FEATURE", raising=False)
    assert len(_pieces(FEATURE, "力争")) == 4
    monkeypatch.setenv("LUOSHI_FEATURE", "something-else")  # an unknown value is off
    assert len(_pieces(FEATURE, "力争")) == 4


def test_nocut_keeps_a_feature_clause_whole(monkeypatch):
    monkeypatch.setenv("LUOSHI_FEATURE", "nocut")
    assert _pieces(FEATURE, "力争") == []


def test_marked_keeps_the_marked_pieces_each_running_over_the_unmarked_after_it(monkeypatch):
    monkeypatch.setenv("LUOSHI_FEATURE", "marked")
    assert _pieces(FEATURE, "力争") == ["力争今年实现农业综合产值95亿元"]
    assert _pieces(FEATURE, "确保") == ["确保全县粮食播种面积稳定在69万亩以上，产量稳中有增"]
    assert _pieces(FEATURE, "加快补齐") == []  # no piece with a marker word: the clause stays whole


@pytest.mark.parametrize("variant", ["nocut", "marked"])
def test_a_programme_is_cut_as_before(monkeypatch, variant):
    monkeypatch.delenv("LUOSHI_FEATURE", raising=False)
    before = _pieces(PROGRAMME, "力争")
    monkeypatch.setenv("LUOSHI_FEATURE", variant)
    assert len(before) == 4 and _pieces(PROGRAMME, "力争") == before


REVIEW = (
    "昭通：步履稳健迈上新型工业化道路\n\n记者 张三\n\n## 工作成效\n\n"
    "全市聚焦特色农业产业发展，坚持用工业化理念打造农业全产业链，提升农业产业规模化水平，"
    "力争今年实现农业综合产值95亿元。\n"
)


def test_review_keeps_a_clause_whole_in_a_review_section_only(monkeypatch):
    monkeypatch.setenv("LUOSHI_FEATURE", "review")
    assert _pieces(REVIEW, "力争") == []
    assert len(_pieces(FEATURE, "力争")) == 4  # not a review section: cut as before
