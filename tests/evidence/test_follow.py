"""Session 13: a learned file's second threshold — in a later document that has a suggestion, another letter among
its first three is suggested from a lower score (docs/evidence.md, "a document that reports on something"). Invented
matches, no corpus text."""

import json
import math

import pytest

from benchmarks import train_evidence
from evidence import matching, ranker
from evidence.matching import Match, Passage

# Scores on a learned file's scale (its threshold moved to 0.5): a log-odds of 5·(hand sum − 0.30).
FOLLOW_AT = ranker.HAND.score({"cosine": 0.10})  # the second threshold: a hand sum of 0.10


def _match(cid: int, hand_sum: float, group: int | None, *, named: bool = True) -> Match:
    return Match(
        cid,
        Passage(0, 1, "甲"),
        ranker.HAND.score({"cosine": hand_sum}),
        False,
        (),
        "unknown",
        features={"named": named, "specific": named},
        group=group,
    )


def _shown(matches: list[Match], follow_at: float | None) -> list[bool]:
    return [
        m.suggested for m in matching.one_per_group(matches, matching.SUGGEST_AT, gate="named", follow_at=follow_at)
    ]


def test_a_document_with_a_suggestion_shows_the_other_letters_of_its_first_three_from_the_second_threshold():
    ranking = [_match(1, 0.40, 1), _match(2, 0.20, 2), _match(3, 0.15, 3), _match(4, 0.15, 4)]
    assert _shown(ranking, None) == [True, False, False, False]
    # The second and third are other letters above the second threshold; the fourth is outside the first three.
    assert _shown(ranking, FOLLOW_AT) == [True, True, True, False]


def test_the_second_threshold_shows_nothing_in_a_document_with_no_suggestion():
    # A distractor whose best candidate stays below the threshold is not flagged, however close its top three are.
    ranking = [_match(1, 0.29, 1), _match(2, 0.25, 2), _match(3, 0.20, 3)]
    assert _shown(ranking, FOLLOW_AT) == [False, False, False]


def test_the_second_threshold_keeps_the_gate_one_clause_per_letter_and_its_own_bound():
    ranking = [
        _match(1, 0.40, 1),
        _match(2, 0.30, 1),  # the shown letter's other clause: one per letter still
        _match(3, 0.20, 2, named=False),  # no name or quantity shared: the gate still
        _match(4, 0.20, 3),
    ]
    assert _shown(ranking, FOLLOW_AT) == [True, False, False, False]
    below = [_match(1, 0.40, 1), _match(2, 0.05, 2), _match(3, 0.04, 3)]
    assert _shown(below, FOLLOW_AT) == [True, False, False]
    # The first three by strength, whatever order the list comes in.
    shuffled = [_match(4, 0.15, 4), _match(3, 0.16, 3), _match(1, 0.40, 1), _match(2, 0.20, 2)]
    assert _shown(shuffled, FOLLOW_AT) == [False, True, True, True]


def test_rank_reads_the_second_threshold_from_its_model():
    text = "本报讯 全长1280米的青梧河大桥于本月28日正式建成通车。同日，柏溪路小学新校区也已竣工，新增学位1350个。"
    candidates = [
        matching.Candidate(1, "青梧河大桥全长1280米，计划于2025年底建成通车", "关于青梧河大桥的答复。", group=1),
        matching.Candidate(
            2, "柏溪路小学新校区新增学位1350个，力争2025年秋季开学前完工", "关于柏溪路小学的答复。", group=2
        ),
    ]
    plain = ranker.Model(
        dict(ranker.HAND.weights), ranker.HAND.intercept, "hand weights, named gate", {"gate": "named"}
    )
    strongest = max(m.score for m in matching.rank(text, candidates, model=plain))
    # A threshold that only the best of the two reaches, and a second threshold both reach.
    t = min(strongest, 1 - 1e-9)
    strict = ranker.Model(plain.weights, plain.intercept - math.log(t / (1 - t)), plain.trained_on, plain.meta)
    ranked = matching.rank(text, candidates, model=strict)
    assert [m.suggested for m in ranked] == [True, False]
    follow = ranker.with_follow(strict, min(m.score for m in matching.rank(text, candidates, model=plain)), t)
    assert follow.follow_at is not None and follow.follow_at <= ranker.SUGGEST_AT
    assert [m.suggested for m in matching.rank(text, candidates, model=follow)] == [True, True]


def test_the_second_threshold_is_on_the_moved_scale_and_checked_when_read(tmp_path):
    model = ranker.with_threshold(ranker.Model({"cosine": 10.0}, -5.0, "x", {"gate": "named"}), 0.9)
    follow = ranker.with_follow(model, 0.6, 0.9)
    assert follow.meta["follow"] == 0.6
    # 0.6 before the move is what 0.5 is to 0.9: log-odds log(1.5) − log(9) on the moved scale.
    assert math.isclose(math.log(follow.follow_at / (1 - follow.follow_at)), math.log(1.5) - math.log(9), abs_tol=1e-5)
    assert ranker.Model({}, 0.0).follow_at is None
    ranker.save_model(follow, tmp_path / "m.json")
    assert ranker.read_model(tmp_path / "m.json").follow_at == follow.follow_at
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    doc["meta"]["follow_at"] = 0.7
    (tmp_path / "m.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match="follow_at"):
        ranker.read_model(tmp_path / "m.json")


def _set(rankings: list[tuple[list[Match], set[int]]]) -> dict:
    """A collected set (``eval_evidence.collect``'s shape) of later documents, each its ranking and gold ids."""
    from types import SimpleNamespace

    earlier: dict[str, list] = {}
    later = []
    for k, (matches, gold) in enumerate(rankings):
        name = f"e{k}"
        earlier[name] = [SimpleNamespace(pk=i, text=f"承诺{i}") for i in sorted(gold)]
        links = [{"earlier": name, "commitment": f"承诺{i}"} for i in sorted(gold)]
        ranking = [(SimpleNamespace(pk=m.candidate_id, text=f"承诺{m.candidate_id}"), m) for m in matches]
        later.append(({"file": f"l{k}", "links": links}, ranking))
    return {"earlier": earlier, "later": later, "distractors": [], "gate": "named"}


def test_the_second_threshold_is_the_lowest_at_which_what_it_adds_is_right_often_enough():
    # Out of fold, at the threshold (probability 0.5 here): each document shows its first letter. Below it, the
    # second candidate is gold in three documents of four at a hand sum of 0.25, the third never (0.12).
    docs = [
        ([_match(10 * k + 1, 0.40, 1), _match(10 * k + 2, 0.25, 2), _match(10 * k + 3, 0.12, 3)], gold)
        for k, gold in enumerate([{1, 2}, {11, 12}, {21, 22}, {31}])
    ]
    follow = train_evidence.choose_follow([_set(docs)], 0.5)
    assert follow is not None
    assert ranker.hand_scale(follow) > 0.12 and ranker.hand_scale(follow) <= 0.25
    # Nothing added is right often enough: no second threshold.
    wrong = [([_match(1, 0.40, 1), _match(2, 0.25, 2)], {1})]
    assert train_evidence.choose_follow([_set(wrong)], 0.5) is None
