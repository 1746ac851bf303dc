"""The outcome guess of an evidence link (done / in_progress / delayed / partly) and how the benchmark counts it."""

from types import SimpleNamespace

from benchmarks import eval_evidence, train_evidence
from evidence.matching import Match, Passage


def _match(pk: int, outcome: str, score: float) -> Match:
    return Match(
        candidate_id=pk,
        passage=Passage(0, 4, "某某通车"),
        score=score,
        suggested=False,
        shared=(),
        outcome=outcome,
        features={"specific": True},
        group=pk,
    )


def test_the_benchmark_counts_the_outcome_of_every_ranked_gold_link_and_pools_it():
    a, b, c = (
        SimpleNamespace(pk=pk, text=text)
        for pk, text in ((1, "预计2022年通车"), (2, "计划2023年建成"), (3, "力争年底开工"))
    )
    data = {
        "earlier": {"e1": [a], "e2": [b], "e3": [c]},
        "later": [
            # suggested, its outcome right
            (
                {"file": "l1", "links": [{"earlier": "e1", "commitment": a.text, "outcome": "delayed"}]},
                [(a, _match(1, "delayed", 0.9))],
            ),
            # ranked but below the threshold: counted among ranked links only, and wrong
            (
                {"file": "l2", "links": [{"earlier": "e2", "commitment": b.text, "outcome": "done"}]},
                [(b, _match(2, "unknown", 0.01))],
            ),
            # ranked, not suggested, right
            (
                {"file": "l3", "links": [{"earlier": "e3", "commitment": c.text, "outcome": "in_progress"}]},
                [(c, _match(3, "in_progress", 0.01))],
            ),
        ],
        "distractors": [],
    }
    f = eval_evidence._figures(data, "all", 0.5)
    assert f["outcome"] == "1/1"
    assert f["outcome_ranked"] == "2/3"
    assert (f["n"]["outcome_right"], f["n"]["outcome_total"]) == (1, 1)
    assert (f["n"]["outcome_ranked_right"], f["n"]["outcome_ranked_total"]) == (2, 3)
    pooled = train_evidence.pooled([f, f])
    assert (pooled["outcome_ranked_right"], pooled["outcome_ranked_total"]) == (4, 6)
    line = train_evidence._line("pooled", {"n": pooled})
    assert "outcome 2/2 of suggested, 4/6 of ranked" in line
