"""benchmarks.holdout_eval --by-kind: letters (gold kind "reply") and other documents scored and pooled apart."""

from __future__ import annotations

from pathlib import Path

from benchmarks.holdout_eval import by_kind, kind_of


class _Scorer:
    """score.py's counts for a gold list: one dated and one undated true positive per document."""

    def __init__(self):
        self.calls: list[list[str]] = []

    def score(self, gold, _pred_dir):
        self.calls.append([d["file"] for d in gold])
        n = len(gold)
        return {
            "dated": {"tp": n, "fp": 0, "fn": n},
            "all": {"tp": 2 * n, "fp": 0, "fn": 0},
            "deadline": {"correct": n, "total": n},
            "targets": {"found": 0, "total_in_matched": 0},
            "docs": n,
        }


def _predict(_path, _received):
    return {"metadata": {}, "commitments": [], "candidates": [{"text": "x"}]}


def test_kind_of():
    assert kind_of({"kind": "reply"}) == "letters"
    assert kind_of({"kind": "news"}) == "others"
    assert kind_of({}) == "others"


def test_by_kind_scores_each_kind_apart_and_pools_both():
    gold = [{"file": "a.txt", "kind": "reply"}, {"file": "b.txt", "kind": "news"}, {"file": "c.txt", "kind": "report"}]
    sets = {"s1": (Path("/nonexistent"), gold), "s2": (Path("/nonexistent"), [{"file": "d.txt", "kind": "other"}])}
    scorer = _Scorer()
    out = by_kind(scorer, sets, ["s1", "s2"], _predict, received=False)
    assert scorer.calls[0] == ["a.txt"] and scorer.calls[2] == ["b.txt", "c.txt"]
    assert out["letters"]["docs"] == 1 and out["others"]["docs"] == 3 and out["pooled"]["docs"] == 4
    assert set(out["per_set"]["s2"]) == {"others"}  # a kind a set lacks is left out, not scored empty
    assert out["pooled"]["gold"] == out["letters"]["gold"] + out["others"]["gold"] == 8
    assert out["pooled"]["candidates_per_doc"] == 1.0
