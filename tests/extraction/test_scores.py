"""Floor scores with the project's scorer: a regression in the pipeline or the ranker fails here.

Two kinds of floor (numbers in docs/extraction.md):
- ``FLOORS``: every set scored by the pipeline as it ships (``model/ranker.json``, trained on the whole
  corpus and the seeds): training numbers, set about 0.05 under what the shipped model reached
  (``python -m benchmarks.eval_extraction --method shipped``). Metadata floors are those of the rules
  era (metadata.py is unchanged).
- ``LOSO_FLOORS``: leave-one-set-out pooled over the corpus, each set scored by a model trained in the
  test without it: the honest estimate for unseen documents, set about 0.03 under the measured value.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from responses.extraction import extract_bytes
from responses.extraction.ranker import received_date

from .conftest import SHARED

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

# Session 5 (later): a list of targets outside reply letters is emitted as its targets; where a set's gold keeps such a
# list whole (heldout2's project counts with their investment, heldout4's 100% pair) the training score fell, and
# targets are counted per part: floors lowered to the measured values (docs/extraction.md, session 5 (later)). Then the cut
# was kept to a programme's scope (sections for a coming period), as the guide's programme rule says: the news sets
# heldout11 and heldout14, whose gold splits a news item's targets, fell to 0.837 and 0.740 dated F1 (shipped).
# Session 8: the shipped model is trained on 41 sets (was 24); a training score on an older set moves with the data.
# Lowered to the measured value less a little (`python -m benchmarks.eval_extraction --method shipped --sets ...`):
# fresh5 targets 0.731, heldout11 targets 0.778, heldout9 dated F1 0.846 and all F1 0.791, programmes2 all F1 0.439, reports2 targets
# 0.878. Dated F1 of those sets: fresh5 0.709, heldout11 0.907, programmes2 0.368, reports2 0.949.
FLOORS = {
    "dev": {"dated_f1": 0.8, "all_f1": 0.85, "deadline": 0.8, "targets": 0.95, "meta_field": 0.9, "meta_mean": 0.97},
    # the session-4 and session-5 blind sets (their untouched scores: docs/extraction.md); shipped 0.846 / 0.724 dated F1
    "fresh4": {
        # session 17: lowered to the measured value less a little (dated_f1 0.63, all_f1 0.66, targets 0.82): the model
        # trained on the re-cut corpus (s17recut, s17recut2) cuts sentences that this set's sentence-grain gold keeps whole
        "dated_f1": 0.63,
        "all_f1": 0.66,
        "deadline": 0.9,
        "targets": 0.82,
        "meta_field": 0.7,
        "meta_mean": 0.89,
    },
    "fresh5": {
        "dated_f1": 0.67,
        "all_f1": 0.78,
        "deadline": 0.72,
        "targets": 0.7,
        "meta_field": 0.7,
        "meta_mean": 0.88,
    },
    "heldout": {
        "dated_f1": 0.8,
        "all_f1": 0.85,
        "deadline": 0.85,
        # Session 11: the shipped model trained on 49 sets (was 41) matches one target-bearing entry fewer: 0.9474.
        "targets": 0.94,
        "meta_field": 0.9,
        "meta_mean": 0.97,
    },
    "heldout10": {
        "dated_f1": 0.55,
        "all_f1": 0.75,
        "deadline": 0.95,
        "targets": 0.95,
        "meta_field": 0.62,
        "meta_mean": 0.9,
    },
    "heldout11": {
        "dated_f1": 0.83,
        "all_f1": 0.84,
        "deadline": 0.95,
        "targets": 0.75,
        "meta_field": 0.95,
        "meta_mean": 0.98,
    },
    # Session 12: the cleaner's line-break rule and the model trained on 52 sets (training numbers): heldout12 dated F1
    # 0.500 (3 dated entries: one line-level miss), heldout13 0.8485 (all F1 0.7636), heldout5 0.6977, reports1 deadline 0.8438; the
    # floors are lowered to those values (rounded down), the blind and leave-one-set-out figures are in docs/extraction.md.
    "heldout12": {
        "dated_f1": 0.5,
        "all_f1": 0.75,
        "deadline": 0.85,
        "targets": 0.95,
        "meta_field": 0.74,
        "meta_mean": 0.95,
    },
    # Session 9: the model retrained with dating V2's code (same 41 sets) scores heldout13 0.882 (the session-8 file
    # 0.914; `python -m benchmarks.eval_extraction --method shipped --sets heldout13`): floor 0.90 -> 0.85, a training number.
    "heldout13": {
        "dated_f1": 0.84,
        "all_f1": 0.76,
        "deadline": 0.9,
        "targets": 0.95,
        "meta_field": 0.55,
        "meta_mean": 0.83,
    },
    "heldout14": {
        "dated_f1": 0.74,
        "all_f1": 0.75,
        "deadline": 0.85,
        "targets": 0.75,
        "meta_field": 0.95,
        "meta_mean": 0.98,
    },
    "heldout2": {
        "dated_f1": 0.7,
        "all_f1": 0.78,
        "deadline": 0.9,
        "targets": 0.9,
        "meta_field": 0.9,
        "meta_mean": 0.98,
    },
    "heldout3": {
        # session 17: lowered to the measured value less a little (targets 0.83): the model
        # trained on the re-cut corpus (s17recut, s17recut2) cuts sentences that this set's sentence-grain gold keeps whole
        "dated_f1": 0.71,
        "all_f1": 0.81,
        "deadline": 0.75,
        "targets": 0.83,
        "meta_field": 0.9,
        "meta_mean": 0.98,
    },
    "heldout4": {
        # session 17: lowered to the measured value less a little (all_f1 0.69): the model
        # trained on the re-cut corpus (s17recut, s17recut2) cuts sentences that this set's sentence-grain gold keeps whole
        "dated_f1": 0.68,
        # session 18: 0.69 -> 0.67, the shipped model retrained on 81 sets measures 0.683
        "all_f1": 0.67,
        "deadline": 0.95,
        "targets": 0.95,
        "meta_field": 0.9,
        "meta_mean": 0.98,
    },
    "heldout5": {
        # session 17: lowered to the measured value less a little (dated_f1 0.59, all_f1 0.65, targets 0.85): the model
        # trained on the re-cut corpus (s17recut, s17recut2) cuts sentences that this set's sentence-grain gold keeps whole
        "dated_f1": 0.59,
        "all_f1": 0.65,
        "deadline": 0.8,
        # session 18: 0.85 -> 0.82, the shipped model retrained on 81 sets measures 0.833
        "targets": 0.82,
        "meta_field": 0.9,
        "meta_mean": 0.97,
    },
    "heldout6": {
        "dated_f1": 0.6,
        "all_f1": 0.65,  # session 13: 0.7 -> 0.65, measured 0.667 with the 54-set SP + K model (4 more undated entries)
        "deadline": 0.75,
        "targets": 0.95,
        "meta_field": 0.88,
        "meta_mean": 0.96,
    },
    "heldout7": {
        # session 8: 0.95 -> 0.85 / 0.9, measured 0.857 / 0.923 (one of 6 entries missed; the same with main's code
        # retrained on the 29 sets: the model shipped before was trained on fewer sets)
        "dated_f1": 0.85,
        "all_f1": 0.9,
        "deadline": 0.95,
        "targets": 0.0,
        "meta_field": 0.9,
        "meta_mean": 0.97,
    },
    "heldout8": {
        "dated_f1": 0.65,
        "all_f1": 0.8,  # session 13: 0.85 -> 0.8, measured 0.829 with the 54-set SP + K model
        "deadline": 0.85,
        "targets": 0.95,
        "meta_field": 0.74,
        "meta_mean": 0.95,
    },
    "heldout9": {
        "dated_f1": 0.8,
        "all_f1": 0.75,
        "deadline": 0.95,
        "targets": 0.95,
        "meta_field": 0.74,
        "meta_mean": 0.85,
    },
    "letters1": {
        "dated_f1": 0.6,
        "all_f1": 0.8,
        "deadline": 0.8,
        "targets": 0.8,
        "meta_field": 0.85,
        "meta_mean": 0.91,
    },
    "programmes1": {
        # session 17: its gold re-cut to one entry per task (s17recut2, 75 -> 125 entries); the training score on the new
        # grain, less a little (dated_f1 0.67, all_f1 0.71, targets 0.58)
        "dated_f1": 0.67,
        "all_f1": 0.71,
        "deadline": 0.8,
        "targets": 0.58,
        "meta_field": 0.84,
        "meta_mean": 0.96,
    },
    "programmes2": {
        # session 18: 0.35 -> 0.32, the shipped model retrained on 81 sets measures 0.333 (27 entries)
        "dated_f1": 0.32,
        "all_f1": 0.4,
        "deadline": 0.75,
        "targets": 0.75,
        "meta_field": 0.99,
        "meta_mean": 0.99,
    },
    "reports1": {
        "dated_f1": 0.65,
        "all_f1": 0.7,
        "deadline": 0.84,
        "targets": 0.9,
        "meta_field": 0.86,
        "meta_mean": 0.98,
    },
    "reports2": {
        "dated_f1": 0.85,
        "all_f1": 0.85,
        "deadline": 0.95,
        "targets": 0.85,
        "meta_field": 0.99,
        "meta_mean": 0.99,
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
        pred = extract_bytes(path.read_bytes(), path.name, received=received_date(doc)).to_prediction()
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


# Recall with candidates 0.85 -> 0.83 when the blind set fresh4 joined corpus/ (its own LOSO R+cand is 0.775:
# report lists split at commas, news items the candidates do not reach); the other floors hold with it.
# Session 5 (fresh5 joined; parts of commitments in the free candidate slots; inline_heading): measured 0.769 /
# 0.769 / 0.863 at 4.42 candidates per document; all F1 floor 0.73 -> 0.74.
# Session 5 (later) (the older sets' target lists split one entry per target, 1,367 -> 1,411 entries; a list of targets
# outside reply letters emitted as its targets): measured 0.768 / 0.763 / 0.877 at 4.33 candidates per document
# (publication date given); all F1 floor 0.74 -> 0.75, recall with candidates 0.83 -> 0.86. Then the cut kept to a
# programme's scope (the seeds' gold keeps a news feature's list whole): measured 0.764 / 0.765 / 0.860 at 4.40
# candidates per document (publication date given); recall with candidates floor 0.86 -> 0.83.
# Session 6 (the boundary model cuts a commitment that holds several entries; a comparison's year is not a clause's
# time): measured 0.770 / 0.771 / 0.876 at 4.37 candidates per document (publication date given); floors unchanged.
# Session 8: four blind sets joined (fresh9..fresh12, 90 documents, 489 entries; their own LOSO dated F1 pooled 0.515):
# measured 0.716 / 0.730 / 0.842 at 4.46 candidates per document over 29 sets (publication date given; `python -m
# benchmarks.eval_extraction`); floors 0.74 -> 0.69, 0.75 -> 0.70, 0.83 -> 0.81. The pooled figure fell because the
# new sets are harder, not because the pipeline changed (the 25 older sets, scored by models now trained on 28 sets,
# rose: fresh5..8 0.691 -> 0.703 without a publication date).
# Session 8 (later): eighteen blind sets in all joined (fresh9..fresh26, 43 sets, 3,823 entries) and the bullet-list and
# genre signals came in: measured 0.697 / 0.730 / 0.822 at 4.37 candidates per document (publication date given);
# floors 0.69 -> 0.67, 0.70 stays, 0.81 -> 0.79.
LOSO_FLOORS = {"dated_f1": 0.67, "all_f1": 0.70, "recall_with_candidates": 0.79, "candidates_per_doc": 5.0}


def test_leave_one_set_out_scores_stay_above_floors(score):
    """Each set scored by a model trained without it (the measured values: docs/extraction.md)."""
    from benchmarks.eval_extraction import corpus_sets, score_set, summary
    from responses.extraction import ranker

    sets = corpus_sets(CORPUS)
    data = ranker.labelled([(d, f) for f, g in sets.values() for d in g])
    results = []
    for name, (folder, gold) in sets.items():
        model = ranker.train_labelled([x for x in data if x[0] != name])
        results.append(score_set(score, folder, gold, ranker.predict_with(model)))
    pooled = summary(results)
    assert pooled["dated_f1"] >= LOSO_FLOORS["dated_f1"], pooled
    assert pooled["all_f1"] >= LOSO_FLOORS["all_f1"], pooled
    assert pooled["recall_with_candidates"] >= LOSO_FLOORS["recall_with_candidates"], pooled
    assert pooled["candidates_per_doc"] <= LOSO_FLOORS["candidates_per_doc"], pooled
