"""Session 6: the scorer's gate (what a pair must share to be suggested) and several suggestions from one
document, on invented sentences (no corpus text)."""

import json

import pytest

from benchmarks import train_evidence
from evidence import matching, ranker
from evidence.matching import Candidate, Match, Passage

# The hand formula's weights under the learned file's gate: the gate's effect alone.
NAMED = ranker.Model(dict(ranker.HAND.weights), ranker.HAND.intercept, "hand weights, named gate", {"gate": "named"})

# Rare words shared, no name and no quantity: a product line, not a project with a name.
_PRODUCT_NEWS = (
    "本报讯 今年以来，我市持续推进产业转型升级。"
    "全市单晶硅拉棒和切片产能持续释放，光伏产业链条进一步完善。"
    "市工信局有关负责人表示，下一步将继续做好企业服务。"
)
_PRODUCT = Candidate(
    1,
    "单晶硅拉棒和切片产能预计年底前全部达产",
    "关于光伏产业发展的答复。单晶硅拉棒和切片产能预计年底前全部达产。",
    group=1,
)

# One news item reporting on two promises of two replies, and a third promise it says nothing about.
_TWO_NEWS = (
    "本报讯 全长1280米的青梧河大桥于本月28日正式建成通车。"
    "同日，位于东岭片区的柏溪路小学新校区也已竣工，今年秋季开学将新增学位1350个。"
)
_TWO = [
    Candidate(1, "青梧河大桥全长1280米，计划于2025年底建成通车", "关于加快青梧河大桥建设的答复。", group=1),
    Candidate(2, "柏溪路小学新校区新增学位1350个，力争2025年秋季开学前完工", "关于柏溪路小学扩建的答复。", group=2),
    Candidate(3, "金沙污水处理厂日处理能力3万吨，预计2026年建成运行", "关于金沙污水处理厂的答复。", group=3),
]


def test_the_gate_of_a_model_is_in_its_file_and_specific_without_one(tmp_path):
    assert ranker.HAND.gate == "specific"
    assert NAMED.gate == "named"
    ranker.save_model(NAMED, tmp_path / "m.json")
    assert ranker.read_model(tmp_path / "m.json").gate == "named"
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    doc["meta"]["gate"] = "anything shared"
    (tmp_path / "m.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match="gate"):
        ranker.read_model(tmp_path / "m.json")


def test_rare_strings_alone_suggest_under_the_specific_gate_only():
    [specific] = matching.rank(_PRODUCT_NEWS, [_PRODUCT], model=ranker.HAND)
    [named] = matching.rank(_PRODUCT_NEWS, [_PRODUCT], model=NAMED)
    # The same pair, the same score: rare strings make it specific but it names nothing and counts nothing.
    assert specific.features["specific"] and not specific.features["named"]
    assert specific.score == named.score >= ranker.SUGGEST_AT
    assert specific.suggested
    assert not named.suggested


def _match(cid: int, group: int, *, specific: bool, named: bool) -> Match:
    return Match(
        cid,
        Passage(0, 1, "甲"),
        ranker.HAND.score({"cosine": 0.6}),
        False,
        (),
        "unknown",
        features={"specific": specific, "named": named},
        group=group,
    )


def test_one_per_group_reads_the_gate_it_is_given():
    matches = [_match(1, 1, specific=True, named=False), _match(2, 2, specific=True, named=True)]
    assert [m.suggested for m in matching.one_per_group(matches, matching.SUGGEST_AT)] == [True, True]
    assert [m.suggested for m in matching.one_per_group(matches, matching.SUGGEST_AT, gate="named")] == [False, True]


@pytest.mark.parametrize("model", [ranker.HAND, NAMED], ids=["hand", "named"])
def test_one_document_suggests_each_promise_it_reports_on_with_its_own_passage(model):
    matches = matching.rank(_TWO_NEWS, _TWO, model=model)
    suggested = {m.candidate_id: m for m in matches if m.suggested}
    assert set(suggested) == {1, 2}
    assert "青梧河大桥" in suggested[1].passage.text
    assert "柏溪路小学" in suggested[2].passage.text
    assert suggested[1].passage.start != suggested[2].passage.start


@pytest.mark.parametrize("model", [ranker.HAND, NAMED], ids=["hand", "named"])
def test_a_document_that_matches_nothing_gets_no_suggestion(model):
    unrelated = "本报讯 市文化馆举办迎新春书画展，展出作品二百余件，展期至下月十日。"
    assert not [m for m in matching.rank(unrelated, _TWO, model=model) if m.suggested]


def test_the_trainer_writes_its_gate_and_the_issue_bars():
    assert train_evidence.GATE in ranker.GATES
    assert train_evidence.GATE == "named"
    assert (train_evidence.PRECISION_AT_LEAST, train_evidence.DISTRACTORS_AT_MOST) == (0.7, 0.1)


def test_numbered_things_of_one_series_conflict_only_when_every_number_differs():
    """Metro lines, phases, a city's n-th plant: a passage about 7号线 does not report the promised 5号线."""
    from evidence.matching import ordinal_conflicts, ordinals

    assert ordinals("确保开通5号线、6号线二期、16号线，建设第二水厂，新建两个水厂，十四五期间") == {
        "号线": {5, 6, 16},
        "期": {2},
        "水厂": {2},
    }
    assert ordinal_conflicts("确保开通5号线、6号线二期、16号线", "7号线北延线正式开通") == ["号线 7≠5/6/16"]
    assert ordinal_conflicts("确保开通5号线、6号线二期、16号线", "16号线今日开通") == []
    assert ordinal_conflicts("力争年底建成第二水厂", "第一水厂完成改造") == ["水厂 1≠2"]
    assert ordinal_conflicts("力争年底建成第二水厂", "第二水厂建成通水") == []
    assert ordinal_conflicts("力争年底建成第二水厂", "新区水厂建成通水") == []  # no number: nothing to compare
    assert ordinal_conflicts("推进地铁建设", "7号线北延线正式开通") == []  # the commitment numbers nothing
