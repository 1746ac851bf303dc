"""Session 15's speed steps (s15speed) give what the plain code gives, on small made-up texts and weights.

- the ranker sums a live-scope candidate's "P:" copies by looking their weights up by the signal
  (``copy_weights``): the same additions in the same order as over ``ranked_signals``, so the same float;
- ``_clauses_of`` cuts a unit without a time expression without its per-piece look-ups: the same clauses as the
  general path;
- ``propose``'s hit lists keep the matched words only where they are read (the markers).
"""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace

from responses.extraction import candidates, ranker, structure
from responses.extraction.sections import find_sections


def _cand(text: str, signals: tuple[str, ...], section_kind: str = "other"):
    unit = SimpleNamespace(heading="", section_kind=section_kind)
    return SimpleNamespace(start=0, end=len(text), clause=SimpleNamespace(unit=unit), signals=signals)


def _plain(model: ranker.Model, text: str, c) -> float:
    """``score_one``'s reading: grams summed in code order (as the batch does), then the weights of
    ``ranked_signals`` in their order, the "P:" strings made."""
    grams, signals = ranker.features(text, c)
    ws = [model.grams[g] for g in sorted(grams, key=ranker._gram_code) if g in model.grams]
    z = model.intercept + (sum(ws) / ranker.math.sqrt(len(ws)) if ws else 0.0)
    z += sum(model.signals.get(s, 0.0) for s in signals)
    return ranker._sigmoid(z)


def test_copy_weights_are_the_p_weights_keyed_by_their_signal():
    assert ranker.copy_weights({"a": 2.0, "P:a": 1.0, "P:b": -0.5, "Px": 3.0}) == {"a": 1.0, "b": -0.5}
    model = ranker.Model(grams={}, signals={"s": 0.1, "P:s": 0.2}, intercept=0.0, threshold=0.5)
    assert model._copy_weights() == {"s": 0.2} and model._copy_weights() is model._copy_weights()


def test_the_copies_summed_by_signal_give_the_same_float_as_the_p_strings():
    """Random weights of many magnitudes (so that a different order of the additions shows in the last bits),
    some signals without a weight or without a copy's weight, live and not live candidates."""
    rng = random.Random(15)
    names = [f"sig{i}" for i in range(40)] + ["scope:heading", "scope:past", "scope:list_head"]
    for _ in range(300):
        weights = {}
        for s in names:
            if rng.random() < 0.8:
                weights[s] = rng.uniform(-1, 1) * 10 ** rng.randint(-8, 3)
            if rng.random() < 0.6:
                weights["P:" + s] = rng.uniform(-1, 1) * 10 ** rng.randint(-8, 3)
        model = ranker.Model(
            grams={"一二": 0.5, "二三": -0.25}, signals=weights, intercept=rng.uniform(-1, 1), threshold=0.5
        )
        cands = [
            _cand(
                "一二三", tuple(rng.sample(names, rng.randint(0, 20))), rng.choice(["other", "programme", "next_steps"])
            )
            for _ in range(6)
        ]
        assert model.score("一二三", cands) == [_plain(model, "一二三", c) for c in cands]


def test_live_scope_is_a_live_section_or_a_scope_signal_other_than_past():
    assert ranker._live_scope(_cand("x", (), "programme")) and ranker._live_scope(_cand("x", (), "next_steps"))
    assert ranker._live_scope(_cand("x", ("a", "scope:heading")))
    assert not ranker._live_scope(_cand("x", ("a", "scope:past")))
    assert ranker._live_scope(_cand("x", ("scope:past", "scope:pastx")))
    assert not ranker._live_scope(_cand("x", ("scopes:heading", "a")))


_TEXT = (
    "关于道路建设的答复\n"
    "一、工作情况\n"
    "我局高度重视，推进道路建设；完善管网。加强管理！\n"
    "二、下一步计划\n"
    "2026年底前完成主干道改造，明年6月启动二期；同时做好养护。\n"
    "重点任务如下：\n"
    "1.加快修复破损路面。\n"
    "2.到2027年，新建公园3个，改造游园5处；\n"
    "   \n"
    "感谢您的关心。\n"
)


def _clauses(text: str) -> list[tuple]:
    ref = dt.date(2026, 3, 1)
    s = structure.read_structure(text, find_sections(text), ref)
    return [(c.start, c.end, c.unit.index, c.own_time, c.sentence_time, c.first_in_unit) for c in s.clauses]


def test_a_unit_without_a_time_is_cut_as_by_the_general_path(monkeypatch):
    fast = _clauses(_TEXT)
    assert any(c[3] is not None for c in fast) and any(c[3] is None and c[4] is None for c in fast)
    # Every unit through the general path: its pieces looked up one by one.
    calls = []
    plain_has = structure._Times.has

    def has(self, start, end):
        calls.append((start, end))
        return True

    monkeypatch.setattr(structure._Times, "has", has)
    general = _clauses(_TEXT)
    assert calls and general == fast
    monkeypatch.setattr(structure._Times, "has", plain_has)
    pieces = [(_TEXT[a:b]) for a, b, *_ in fast if _TEXT[a:b].startswith(("我局", "完善", "加强"))]
    assert pieces == ["我局高度重视，推进道路建设；", "完善管网。", "加强管理！"]


def test_only_the_marker_hits_keep_their_words():
    text = "我们将于年底前完成，力争明年投用，待资金到位后开工。"
    assert candidates._Hits(candidates.MARKER_RE, text).words == []
    hits = candidates._Hits(candidates.MARKER_RE, text, words=True)
    assert hits.within(0, len(text)) == ["将", "力争", "待资"]
    assert hits.keys == [2, 10, 17]


def test_the_written_out_searches_find_what_the_patterns_find():
    """``Prefiltered.search`` and ``LineAnchored.search`` (loops written out, no generator) against the patterns'
    own ``search`` from every start and to several ends, over made-up text."""
    from responses.extraction.metadata import _FIRST_SECTION, _SHORT_LINE
    from responses.extraction.targets import TARGET_RE, TARGET_SCAN

    rng = random.Random(7)
    alphabet = "0123456789一二三万亿个千米公里，。、\n 第.年月项（）"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(300)]
    texts += ["新建道路12公里，改造3万平方米\n一、工作情况\n（一）推进\n 短行 \n"]
    for text in texts:
        for pos in range(0, len(text) + 1, 3):
            for end in (None, len(text), max(pos, len(text) - 5)):
                args = (text, pos) if end is None else (text, pos, end)
                want = TARGET_RE.search(*args)
                got = TARGET_SCAN.search(*args)
                assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict()))
                for la in (_FIRST_SECTION, _SHORT_LINE):
                    want = la.pattern.search(*args)
                    got = la.search(*args)
                    assert (got and got.span()) == (want and want.span())


def test_a_span_the_whole_text_scan_does_not_reach_holds_no_target():
    """``TargetIndex``: the targets of every span, and the quantity flag of every part, with the index as without it,
    over made-up text rich in numbers, units and separators (spans that start inside a number, end inside one)."""
    from responses.extraction import splitting
    from responses.extraction.targets import TargetIndex, find_targets

    rng = random.Random(11)
    pieces = ["1", "2", "0", ",", "234", ".", "5", "万", "亿", "元", "个", "公里", "%", "三", "十", "两", "第", "年", "月",
              "新建", "，", "。", " ", "\n", "人口", "吨", "千", "平方米", "个百分点", "口"]  # fmt: skip
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 25))) for _ in range(400)]
    texts += ["新增1,234万元，建成12公里，第3个", "全市人口20万，三十万亿元"]
    for text in texts:
        index = TargetIndex(text)
        for s in range(len(text) + 1):
            for e in range(s, len(text) + 1):
                assert find_targets(text, s, e, index) == find_targets(text, s, e), (text, s, e)
                assert splitting._part_flags(text, s, e, index) == splitting._part_flags(text, s, e), (text, s, e)


def test_the_target_index_tells_a_match_that_starts_from_one_that_reaches():
    from responses.extraction.targets import TargetIndex

    text = "新增1,234万元，其余"  # one match: "1,234万元", offsets 2..9
    index = TargetIndex(text)
    assert (index.starts, index.ends) == ([2], [9])
    assert index.has(2, 3) and not index.has(3, 9)
    assert index.reaches(3, 9) and index.reaches(8, 11) and not index.reaches(9, 14) and not index.reaches(0, 2)
