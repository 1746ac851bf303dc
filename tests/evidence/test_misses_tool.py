"""benchmarks/evidence_misses.py: the per-link miss table, on invented sentences (no corpus text, no database)."""

from types import SimpleNamespace

from benchmarks.evidence_misses import misses
from evidence import matching, ranker
from evidence.matching import Candidate


def _set(later_text: str, clauses: dict[int, str], gold: int) -> dict:
    candidates = [Candidate(id=pk, text=text, context="", group=pk) for pk, text in clauses.items()]
    ranking = [
        (SimpleNamespace(pk=m.candidate_id, text=clauses[m.candidate_id]), m)
        for m in matching.rank(later_text, candidates, model=ranker.HAND)
    ]
    earlier = {f"e{pk}.txt": [SimpleNamespace(pk=pk, text=text)] for pk, text in clauses.items()}
    item = {"file": "l1.txt", "links": [{"earlier": f"e{gold}.txt", "commitment": clauses[gold], "evidence": "x"}]}
    return {
        "set": "s",
        "spec": {},
        "earlier": earlier,
        "later": [(item, ranking)],
        "distractors": [],
        "gate": "specific",
    }


def test_a_gold_link_outside_the_top_three_is_a_row_with_what_outranked_it():
    clauses = {
        1: "青枫公园预计年底对外开放",
        2: "云栖路预计年底通车",
        3: "云栖路小学预计2025年秋季开学",
        4: "云栖路菜市场预计明年启用",
        5: "该项目预计今年完成",  # the gold: names nothing the news says
    }
    news = "本报讯 云栖路昨日通车,云栖路小学秋季开学,云栖路菜市场同日启用,沿线项目今年完成。"
    rows = misses({"s": _set(news, clauses, gold=5)}, {"s": ranker.HAND})
    assert len(rows) == 1
    row = rows[0]
    assert row["set"] == "s" and row["earlier"] == "e5.txt" and row["rank"] > 3 and row["hand_rank"] == row["rank"]
    assert len(row["above"]) == 3 and all(a["features"]["name"] > 0 for a in row["above"])
    assert "gold: no name shared" in row["tags"]


def test_a_link_in_the_top_three_is_no_row():
    clauses = {1: "青枫公园预计年底对外开放", 2: "云栖路预计年底通车"}
    rows = misses({"s": _set("本报讯 青枫公园昨日对外开放。", clauses, gold=1)}, {"s": ranker.HAND})
    assert rows == []
