"""The pipeline's fast paths give what their plain forms give (issue 10, second speed pass).

Each fast path stands for a plain one that is kept next to it (or here) and compared over every
document of the corpus and the seeds, so that a change of the patterns or of the model cannot make
them drift apart unnoticed.
"""

from __future__ import annotations

import hashlib
import math
from functools import cache

import pytest

from responses.extraction import ranker

from .conftest import ROOT, seed_paths


@cache
def _texts() -> tuple[str, ...]:
    paths = sorted((ROOT / "corpus").glob("*/*.txt")) + seed_paths()
    return tuple(p.read_text(encoding="utf-8") for p in paths)


@cache
def _prepared() -> tuple[ranker.Prepared, ...]:
    return tuple(ranker.prepare(t) for t in _texts())


def _other_model() -> ranker.Model:
    """A model with a weight for every gram the corpus has (not the shipped weights)."""
    grams: dict[str, float] = {}
    for p in _prepared():
        for c in p.candidates:
            for g in ranker.features(p.work, c)[0]:
                h = int(hashlib.sha256(g.encode()).hexdigest()[:6], 16)
                grams.setdefault(g, (h % 2001 - 1000) / 337.0)
    return ranker.Model(grams, {"future_time": 1.25, "marker:将": 0.5}, -0.75, 0.5)


@pytest.mark.parametrize("which", ["shipped", "other"])
def test_score_is_score_one_of_the_features_for_every_candidate(which):
    model = ranker.read_model(ranker.SHIPPED) if which == "shipped" else _other_model()
    n = 0
    for p in _prepared():
        fast = model.score(p.work, p.candidates)
        plain = [model.score_one(*ranker.features(p.work, c)) for c in p.candidates]
        assert fast == plain  # the same floats, not approximately
        n += len(plain)
    assert n > 2000


def test_the_exact_sum_differs_from_a_plain_sum_only_in_the_last_bits():
    model = _other_model()
    for p in _prepared()[:40]:
        for c in p.candidates:
            grams, signals = ranker.features(p.work, c)
            ws = [model.grams[g] for g in grams if g in model.grams]
            z = model.intercept + (sum(ws) / math.sqrt(len(ws)) if ws else 0.0)
            z += sum(model.signals.get(s, 0.0) for s in signals)
            plain = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            assert model.score_one(grams, signals) == pytest.approx(plain, rel=1e-12, abs=1e-15)
