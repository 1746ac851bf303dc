"""The boundary model (splitting.py): a commitment clause holding several entries is cut at a learned "，"."""

from __future__ import annotations

import dataclasses

import pytest

from responses.extraction import extract_text, ranker, splitting
from responses.extraction.ranker import prepare

LIST = "全县2027年将新建改建农村公路1000公里以上，确保农村自来水普及率达95%以上，改建农村卫生户厕42座。"
LONG = "全县2027年将新建改建农村公路1000公里以上，确保农村自来水普及率达95%以上，改建农村卫生户厕42座，新建城乡公交站台120个。"
ITEMS = "一、重点任务\n1. 新建公路10公里，改建户厕42座。\n2. 建成学校1所。\n"


def _clause(text: str, needle: str):
    p = prepare(text)
    return p, next(c for c in p.candidates if needle in p.work[c.start : c.end])


def test_labels_mark_the_comma_before_each_later_entry_inside_the_clause():
    p, c = _clause(LIST, "确保")
    cuts = splitting.commas(p.work, c)
    q1, q2 = "确保农村自来水普及率达95%以上", "改建农村卫生户厕42座"
    spans = [(p.work.index(q), p.work.index(q) + len(q)) for q in ("新建改建农村公路1000公里以上", q1, q2)]
    assert splitting.boundary_labels(c, cuts, spans) == [1] * len(cuts)
    # One entry inside (the gold keeps the sentence whole): no comma is a boundary.
    whole = (c.start, c.end)
    assert splitting.boundary_labels(c, cuts, [whole]) == [0] * len(cuts)


def test_cut_at_the_commas_the_scorer_chooses_short_pieces_kept_with_a_neighbour():
    p, c = _clause(LIST, "确保")
    text = p.work
    before_ensure = {k: "确保" in text[k + 1 : k + 4] for k in splitting.commas(text, c)}

    def scorer(threshold_hit: set[int]):
        it = iter(splitting.commas(text, c))
        return lambda grams, signals: 1.0 if next(it) in threshold_hit else 0.0

    hit = {k for k, v in before_ensure.items() if v}
    pieces = splitting.cut(text, c, scorer(hit), 0.5, False)
    assert [text[x.start : x.end] for x in pieces] == [
        text[c.start : min(hit)],
        text[min(hit) + 1 : c.end],
    ]
    assert all(x.deadline == c.deadline and x.signals == c.signals for x in pieces)
    assert splitting.cut(text, c, scorer(set()), 0.5, False) == []  # nothing chosen: kept whole
    # A piece under four characters is never emitted alone.
    p2, c2 = _clause("全县2027年将新建改建农村公路1000公里以上，另外，确保农村自来水普及率达95%以上。", "确保")
    all_cuts = set(splitting.commas(p2.work, c2))
    pieces2 = splitting.cut(p2.work, c2, scorer_all(all_cuts), 0.5, False)
    assert pieces2 and all(x.end - x.start >= 4 for x in pieces2)


def scorer_all(_cuts):
    return lambda grams, signals: 1.0


def test_features_name_the_parts_on_both_sides_of_each_comma():
    p, c = _clause(LIST, "确保")
    cuts = splitting.commas(p.work, c)
    feats = splitting.boundary_features(p.work, c, cuts, reply=False)
    assert len(feats) == len(cuts)
    grams, signals = feats[-1]
    assert "a:改建" in grams and "doc:other" in signals and "a:target" in signals and "b:target" in signals


def test_a_model_without_a_boundary_model_never_cuts_and_the_file_keeps_it(tmp_path):
    assert ranker.FALLBACK.split_threshold > 1
    p, c = _clause(LIST, "确保")
    assert ranker.FALLBACK.split(p.work, False, c) == []
    shipped = ranker.read_model(ranker.SHIPPED)
    assert shipped.split_signals and 0 < shipped.split_threshold < 1
    path = tmp_path / "m.json"
    ranker.save_model(shipped, path)
    back = ranker.read_model(path)
    assert back.split_threshold == pytest.approx(shipped.split_threshold)
    assert back.split_grams.keys() == shipped.split_grams.keys()


def test_the_pipeline_emits_the_pieces_the_model_cuts():
    shipped = ranker.read_model(ranker.SHIPPED)
    always = dataclasses.replace(shipped, split_signals={"doc:other": 30.0}, split_threshold=0.5)
    never = dataclasses.replace(shipped, split_threshold=2.0)
    text = LIST
    whole = [c.text for c in extract_text(text, model=never).commitments]
    cut = [c.text for c in extract_text(text, model=always).commitments]
    assert len(whole) == 1 and len(cut) == 3
    assert "".join(cut) == whole[0].replace("，", "")
    assert all(c.deadline is not None and c.deadline.year == 2027 for c in extract_text(text, model=always).commitments)


def test_a_reply_letter_is_never_cut():
    """The boundary model learned not to cut a letter's sentences (``doc:reply`` weighs against a cut); the
    pipeline does not run it there at all (letters are most of what is uploaded: the time is saved)."""
    shipped = ranker.read_model(ranker.SHIPPED)
    always = dataclasses.replace(shipped, split_signals={"doc:other": 30.0, "doc:reply": 30.0}, split_threshold=0.5)
    letter = (
        "子交函〔2023〕34号\n关于对政协第十届委员会第二次会议第14号提案的答复\n崔银雷委员：\n"
        "您提出的《关于加快建设乡村道路维修及维护的提案》收悉。现答复如下：\n我局" + LIST + "\n"
    )
    r = extract_text(letter, model=always)
    assert ranker.is_reply(r.metadata)
    assert [c.text for c in r.commitments if "农村公路" in c.text] == ["我局" + LIST.rstrip("。")]
    assert shipped.split_signals["doc:reply"] < 0


def test_each_comma_names_the_kind_of_its_line_and_the_length_of_its_clause():
    """A long sentence of a paragraph is where entries run together, a list item mostly one entry (s13bound): the
    boundary model sees the clause's line kind crossed with its length."""
    p, c = _clause(LONG, "确保")
    assert c.clause.unit.kind == "paragraph" and c.end - c.start >= splitting.SHORT_CLAUSE
    feats = splitting.boundary_features(p.work, c, splitting.commas(p.work, c), reply=False)
    assert all("unit:paragraph:l" in signals for _, signals in feats)
    p2, c2 = _clause(ITEMS, "新建公路")
    assert c2.clause.unit.kind == "list_item" and c2.end - c2.start < splitting.SHORT_CLAUSE
    feats2 = splitting.boundary_features(p2.work, c2, splitting.commas(p2.work, c2), reply=False)
    assert feats2 and all("unit:list_item:s" in signals for _, signals in feats2)


def test_the_line_kind_and_length_can_decide_a_cut():
    """A model whose only weight is on a long paragraph clause cuts the long paragraph sentence and keeps a short
    list item whole (the signal reaches the cut)."""
    shipped = ranker.read_model(ranker.SHIPPED)
    model = dataclasses.replace(
        shipped, split_grams={}, split_signals={"unit:paragraph:l": 30.0}, split_intercept=-10.0, split_threshold=0.5
    )
    p, c = _clause(LONG, "确保")
    assert len(model.split(p.work, False, c)) == 4
    p2, c2 = _clause(ITEMS, "新建公路")
    assert model.split(p2.work, False, c2) == []
