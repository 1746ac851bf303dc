"""Floor scores on every annotated set, with the project's scorer: a regression in the pipeline fails here.

Each set was annotated by hand (ANNOTATION.md) and committed before the pipeline first ran on it; its
untouched "before" score and its tuned "after" score are in docs/extraction.md. The floors sit just
under the "after" numbers, so they guard against regressions; they are not estimates for unseen text.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from responses.extraction import extract_bytes

from .conftest import SHARED

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

FLOORS = {
    # Reached on the dev set when these floors were set (see docs/extraction.md); just under, so that
    # a regression fails. The dev set was tuned on after its first scoring: see the docs.
    "dev": {"dated_f1": 0.95, "all_f1": 0.95, "deadline": 0.97, "targets": 0.93, "meta_field": 0.9, "meta_mean": 0.97},
    # Reached on the held-out set after this round (see docs/extraction.md), just under, so that a
    # regression fails. The held-out set was scored once before any change ("before" in the docs).
    "heldout": {"dated_f1": 0.8, "all_f1": 0.9, "deadline": 0.95, "targets": 0.9, "meta_field": 0.9, "meta_mean": 0.97},
    # Reached on heldout2 after this round (see docs/extraction.md), just under, so that a regression
    # fails. The set was scored once before any change ("before" in the docs).
    "heldout2": {
        "dated_f1": 0.95,
        "all_f1": 0.95,
        "deadline": 0.97,
        "targets": 0.9,
        "meta_field": 0.9,
        "meta_mean": 0.98,
    },
    # Reached on heldout3 after this round (see docs/extraction.md), just under, so that a regression
    # fails. The set was scored once before any change ("before" in the docs).
    "heldout3": {
        "dated_f1": 0.85,
        "all_f1": 0.85,
        "deadline": 0.88,
        "targets": 0.9,
        "meta_field": 0.9,
        "meta_mean": 0.98,
    },
    # Reached on heldout4 after this round (see docs/extraction.md), just under, so that a regression
    # fails. The set was scored once before any change ("before" in the docs).
    "heldout4": {
        "dated_f1": 0.95,
        "all_f1": 0.9,
        "deadline": 0.97,
        "targets": 0.9,
        "meta_field": 0.9,
        "meta_mean": 0.98,
    },
    # heldout5 (round 6): before any change dated F1 0.824, all 0.949; after this round every number
    # 1.000 (training score). Floors just under, so that a regression fails.
    "heldout5": {
        "dated_f1": 0.95,
        "all_f1": 0.95,
        "deadline": 0.97,
        "targets": 0.95,
        "meta_field": 0.9,
        "meta_mean": 0.97,
    },
    # heldout6 (round 8): before any change dated F1 0.769, all 0.667, deadline 0.889, meta mean 0.926;
    # after this round dated 0.909, all 0.769, deadline 0.900, meta 0.970 (training score). Floors
    # just under, so that a regression fails; doc_number, agency, proposal_number and contact_name
    # are each 8/9, so the per-field floor sits at 0.88.
    "heldout6": {
        "dated_f1": 0.9,
        "all_f1": 0.76,
        "deadline": 0.89,
        "targets": 0.95,
        "meta_field": 0.88,
        "meta_mean": 0.96,
    },
    # heldout7 (round 9): before any change dated F1 0.571, all 0.923, deadline 0.667, meta mean 0.947;
    # after this round every number 1.000 (training score; 5 documents, 6 commitments, 3 dated, no
    # gold targets). Floors just under, so that a regression fails.
    "heldout7": {
        "dated_f1": 0.95,
        "all_f1": 0.95,
        "deadline": 0.95,
        "targets": 0.9,
        "meta_field": 0.9,
        "meta_mean": 0.97,
    },
    # heldout8 and heldout9 (round 10, session 2; annotated blind by a helper who did not see the
    # pipeline): before any change dated F1 0.824 / 0.696, all 0.667 / 0.722, deadline 1.000 / 1.000,
    # meta 0.908 / 0.842; after this round dated 0.824 / 0.880, all 0.829 / 0.821, deadline 1.000,
    # meta 0.967 / 0.867. heldout9 keeps a traditional-script mirror page (v05) whose metadata is all
    # missed, and a co-handling letter (v04), hence its low per-field floor. Floors just under.
    "heldout8": {
        "dated_f1": 0.8,
        "all_f1": 0.8,
        "deadline": 0.95,
        "targets": 0.45,
        "meta_field": 0.74,
        "meta_mean": 0.95,
    },
    "heldout9": {
        "dated_f1": 0.85,
        "all_f1": 0.8,
        "deadline": 0.95,
        "targets": 0.9,
        "meta_field": 0.74,
        "meta_mean": 0.85,
    },
    # heldout10 (8 replies by 发改/工信/商务/财政 bureaus, most cut off by the search tool; 3 dated entries)
    # and heldout11 (6 news pages; 28 dated entries) (round 11, session 2; annotated blind): before any
    # change dated F1 0.667 / 0.486, all 0.667 / 0.478, deadline 1.000 / 0.818, targets 1/1 / 0.909,
    # meta 0.858 / 1.000; after this round dated 0.667 / 0.783, all 0.667 / 0.727, deadline 1.000 / 0.900,
    # targets 1/1 / 0.846, meta 0.917 / 1.000. Floors just under.
    "heldout10": {
        "dated_f1": 0.65,
        "all_f1": 0.65,
        "deadline": 0.95,
        "targets": 0.9,
        "meta_field": 0.62,
        "meta_mean": 0.9,
    },
    "heldout11": {
        "dated_f1": 0.75,
        "all_f1": 0.7,
        "deadline": 0.85,  # 0.864 since the traditional-script page (x04) is read: one of its matches is undated
        "targets": 0.8,
        "meta_field": 0.95,
        "meta_mean": 0.98,
    },
    # heldout12 (round 12, session 2; 8 Yunnan replies, annotated blind; only 3 dated entries): before any
    # change dated F1 0.800, all 0.828, deadline 1.000, targets 1/1, meta 0.925; after dated 1.000, all
    # 0.897, deadline 1.000, targets 1/2 (1辆 sits in the 计划 clause before the matched 预计 one), meta 0.967. Floors just under.
    # heldout13 (round 13, session 2; 7 replies rich in dated entries, two of them traditional-script
    # mirrors; blind): before any change dated F1 0.727, all 0.694, deadline 0.857, targets 3/3, meta
    # 0.781; after (traditional script read, festivals dated) dated 0.889, all 0.792, deadline 0.941,
    # meta 0.857. Floors just under.
    "heldout13": {
        "dated_f1": 0.85,
        "all_f1": 0.75,
        "deadline": 0.9,
        "targets": 0.9,
        "meta_field": 0.55,
        "meta_mean": 0.83,
    },
    # heldout14 (round 14, session 2; 6 Yunnan news items, one in traditional script; blind): before any
    # change dated F1 0.625, all 0.568, deadline 1.000 (dated pairs), targets 0.719, meta 1.000; after dated
    # 0.900, all 0.753, deadline 0.943 (matched pairs; 0.962 of the dated ones), targets 0.719. Floors just under.
    "heldout14": {
        "dated_f1": 0.87,
        "all_f1": 0.72,
        "deadline": 0.93,
        "targets": 0.65,
        "meta_field": 0.95,
        "meta_mean": 0.98,
    },
    "heldout12": {
        "dated_f1": 0.95,
        "all_f1": 0.85,
        "deadline": 0.95,
        "targets": 0.45,
        "meta_field": 0.74,
        "meta_mean": 0.95,
    },
}


@pytest.fixture(scope="module")
def score():
    score_py = SHARED / "eval" / "score.py"
    if not score_py.exists():
        pytest.skip(f"score.py not found under {SHARED}")
    spec = importlib.util.spec_from_file_location("luoshi_score", score_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_scores_stay_above_floors(name, score, tmp_path):
    folder = CORPUS / name
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    for doc in gold:
        path = folder / doc["file"]
        pred = extract_bytes(path.read_bytes(), path.name).to_prediction()
        (tmp_path / f"{path.stem}.json").write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    res = score.score(gold, tmp_path)
    floors = FLOORS[name]
    assert res["dated"]["f1"] >= floors["dated_f1"]
    assert res["all"]["f1"] >= floors["all_f1"]
    assert res["deadline"]["accuracy"] >= floors["deadline"]
    assert (
        res["targets"]["accuracy"] is None or res["targets"]["accuracy"] >= floors["targets"]
    )  # None: no gold targets
    assert res["metadata_mean"] >= floors["meta_mean"]
    assert all(m["accuracy"] >= floors["meta_field"] for m in res["metadata"].values()), res["metadata"]
