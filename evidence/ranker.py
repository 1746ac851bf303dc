"""The link scorer: a logistic regression over the matcher's features, shipped as JSON (no pickle).

Contract:
- ``vector(features) -> list[float]``: the numbers the model reads, in ``FEATURES`` order, from the feature
  dictionary ``matching._score`` builds (the rules: cosine, names, rare strings, quantities, agency, stage,
  conflicts, specific; and ``rank``'s: the passage's place in the document). None depends on the pool of
  candidates (a deployment has pools of every size, the training sets pools of one size) or on the candidate's
  other passages (docs/evidence.md).
- ``score(features) -> float`` (what the matcher calls): the current model's probability that the passage
  reports on the commitment. The model's intercept carries its suggest threshold, so every model suggests at
  ``SUGGEST_AT`` (0.5): the matcher needs no per-model constant.
- ``Model.gate``: the feature a pair needs to be suggested at all, besides the score — ``"specific"`` (a shared
  name, rare strings weighing >= 1.5 or a quantity: the hand formula's and session 5's rule) or ``"named"`` (a
  shared name or quantity: rare strings alone do not suggest). A learned model carries the gate it was trained
  and thresholded under in ``meta["gate"]`` (session 6); without one, ``"specific"``.
- ``fit(rows, labels, seed=0) -> Model`` (scikit-learn, imported lazily): deterministic (rows in the given
  order, liblinear, fixed seed); a shared agency and a conflicting name are not learned (``NOT_LEARNED``: their
  meaning is one-sided and the sets' few cases gave them either sign): agency weighs 0, a conflict costs what
  0.35 of cosine costs, as in the hand formula; ``with_threshold(model, t)`` moves the suggest boundary from probability
  ``t`` to 0.5. Training rows, labels and the threshold rule are in ``benchmarks/train_evidence.py``.
- ``save_model`` writes plain JSON through a temp file and a rename (``format_version``, the hash of the
  training rows and labels, what it was trained on); ``read_model`` raises ValueError on anything else.
  ``current_model()`` reads ``LUOSHI_EVIDENCE_MODEL`` if set and readable, else the shipped
  ``model/link_scorer.json``; an unusable file is logged and skipped, never raised; with none readable, the
  hand-weighted formula of session 4 (``HAND``) scores. A learned file records the sha256 of the word-rareness
  background its features were counted over (``meta["background"]``, ``evidence/background.py``); a model whose
  background is not the shipped one is used, with a warning logged (retrain it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 1: twelve features (the pool's lead and source size, the passage's margin)
KIND = "luoshi-evidence-link-scorer"
SHIPPED = Path(__file__).resolve().parent / "model" / "link_scorer.json"
SUGGEST_AT = 0.5
C = 1.0  # inverse regularisation strength

# The model's inputs, each scaled to about 0..1 (the rules cap the counts as the hand formula did).
FEATURES = (
    "cosine",
    "name",
    "rare",
    "quantities",
    "agency",
    "stage",
    "conflict",
    "specific",
    "position",
)
# Not fitted (weight 0 in the fit): a shared agency can only raise the score, a conflicting name only lower it,
# yet the fits gave agency a negative weight and conflict −0.8…+0.5 across folds. Conflict keeps the hand rule.
NOT_LEARNED = ("agency", "conflict")
CONFLICT_COST = 0.35  # of the cosine's weight (the hand formula: −0.35 against cosine 1)
# What a pair must share to be suggested, by the name of its flag in the matcher's features (``Model.gate``).
GATES = ("specific", "named")


def vector(f: dict) -> list[float]:
    """See module docstring; a feature the dictionary lacks counts 0."""
    return [
        float(f.get("cosine", 0.0)),
        min(float(f.get("name", 0.0)), 1.0),
        min(float(f.get("rare", 0.0)), 6.0) / 6,
        min(float(f.get("quantities", 0)), 2.0) / 2,
        float(bool(f.get("agency"))),
        float(bool(f.get("stage"))),
        float(bool(f.get("conflicts"))),
        float(bool(f.get("specific"))),
        float(f.get("position", 0.0)),
    ]


@dataclass(frozen=True)
class Model:
    """Weights by feature name and an intercept; suggests at ``SUGGEST_AT``."""

    weights: dict[str, float]
    intercept: float
    trained_on: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def gate(self) -> str:
        """The features' flag a pair needs to be suggested (``GATES``): the model's ``meta["gate"]``, else "specific"."""
        return str(self.meta.get("gate", "specific"))

    @functools.cached_property
    def _coef(self) -> tuple[float, ...]:
        return tuple(self.weights.get(n, 0.0) for n in FEATURES)

    def score(self, features: dict) -> float:
        # Not rounded: a strong model's probabilities crowd near 1, and rounding them would tie the best candidates.
        z = self.intercept + sum(w * x for w, x in zip(self._coef, vector(features), strict=True))
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def with_threshold(model: Model, threshold: float) -> Model:
    """The same model with its suggest boundary moved from probability ``threshold`` to ``SUGGEST_AT``."""
    meta = {**model.meta, "threshold": round(threshold, 4)}
    intercept = round(model.intercept - _logit(threshold) + _logit(SUGGEST_AT), 6)
    return Model(dict(model.weights), intercept, model.trained_on, meta)


# The session-4 formula (cosine + 0.25·name + 0.05·rare + 0.08·quantities + 0.03·agency + 0.05·stage − 0.35·conflict,
# suggested at 0.30) as a logistic with slope 5 around 0.30: the fallback, and the baseline of the evaluation.
HAND_SLOPE, HAND_AT = 5, 0.30
HAND = Model(
    {
        n: HAND_SLOPE * w
        for n, w in {
            "cosine": 1.0,
            "name": 0.25,
            "rare": 0.30,
            "quantities": 0.16,
            "agency": 0.03,
            "stage": 0.05,
            "conflict": -0.35,
        }.items()
    },
    -HAND_SLOPE * HAND_AT,
    trained_on="hand-weighted (session 4)",
)


def hand_scale(p: float) -> float:
    """A score on the hand-weighted sum's scale, rounded to 4 places as the sum was: for ``HAND`` exactly its sum;
    for a learned model its log-odds over ``HAND_SLOPE`` around ``HAND_AT``. The matcher's rules that compare
    scores (order, a nearby passage at 0.75 of the best, a letter's clauses within 0.05, the threshold) read this, so
    with no model file they are session 4's and the later sessions' rules unchanged."""
    if p <= 0.0 or p >= 1.0:
        return -math.inf if p <= 0.0 else math.inf
    return round(HAND_AT + (math.log(p) - math.log1p(-p)) / HAND_SLOPE, 4)


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int], *, seed: int = 0, c: float = C) -> Model:
    """A logistic regression over ``rows`` (``vector`` outputs): probability boundary still at 0.5. The
    ``NOT_LEARNED`` columns are zeroed (L2 keeps their weights at 0); then a conflict costs ``CONFLICT_COST`` of the
    cosine's weight."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=np.float64)
    x[:, [FEATURES.index(n) for n in NOT_LEARNED]] = 0.0
    clf = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=1000, class_weight="balanced")
    clf.fit(x, np.asarray(labels))
    weights = {n: round(float(w), 6) for n, w in zip(FEATURES, clf.coef_[0], strict=True)}
    weights["conflict"] = round(-CONFLICT_COST * max(weights["cosine"], 0.0), 6)
    return Model(weights, round(float(clf.intercept_[0]), 6), meta={"rows": len(rows), "positives": int(sum(labels))})


def rows_hash(rows: Sequence[Sequence[float]], labels: Sequence[int]) -> str:
    """SHA-256 over the features (6 decimals) and labels a model was trained on."""
    h = hashlib.sha256(f"v{FORMAT_VERSION} {','.join(FEATURES)}\n".encode())
    for row, y in zip(rows, labels, strict=True):
        h.update((",".join(f"{x:.6f}" for x in row) + f":{y}\n").encode())
    return h.hexdigest()


# ---------------------------------------------------------------- file format (no pickle)


def dumps(model: Model) -> str:
    return json.dumps(
        {
            "format_version": FORMAT_VERSION,
            "kind": KIND,
            "features": list(FEATURES),
            "trained_on": model.trained_on,
            "meta": model.meta,
            "intercept": round(model.intercept, 6),
            "weights": {n: round(model.weights.get(n, 0.0), 6) for n in FEATURES},
        },
        ensure_ascii=False,
        indent=1,
        sort_keys=True,
    )


def save_model(model: Model, path: Path) -> None:
    """Write the model as JSON (plain numbers and strings) through a temp file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(dumps(model) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_model(path: Path) -> Model:
    """Read a model file; ValueError when it is not a compatible model (OSError: unreadable)."""
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"not a model file: {e}") from e
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise ValueError("not an evidence link scorer file")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format version {doc.get('format_version')!r}, expected {FORMAT_VERSION}")
    try:
        if list(doc["features"]) != list(FEATURES):
            raise ValueError(f"features {doc['features']!r}, expected {list(FEATURES)!r}")
        weights = {str(k): float(v) for k, v in doc["weights"].items()}
        if not all(math.isfinite(w) for w in weights.values()):
            raise ValueError("a weight is not finite")
        meta = dict(doc.get("meta") or {})
        if meta.get("gate", "specific") not in GATES:
            raise ValueError(f"gate {meta.get('gate')!r}, expected one of {GATES!r}")
        return Model(weights, float(doc["intercept"]), str(doc["trained_on"]), meta)
    except (KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"damaged model file: {type(e).__name__}: {e}") from e


@functools.cache
def current_model() -> Model:
    """The model in use (see module docstring)."""
    paths = [Path(p) for p in [os.environ.get("LUOSHI_EVIDENCE_MODEL")] if p] + [SHIPPED]
    for p in paths:
        if p == SHIPPED and not p.exists():
            # Not shipped while the learned scorer does not beat HAND leaving one set out (docs/evidence.md).
            log.debug("no learned evidence link scorer shipped; the hand-weighted formula scores")
            continue
        try:
            model = read_model(p)
        except (OSError, ValueError) as e:
            log.error("evidence link scorer %s unusable (%s); trying the next one", p, e)
            continue
        _check_background(model, p)
        return model
    return HAND


def _check_background(model: Model, path: Path) -> None:
    """Log when the model was trained on features counted over another background than the shipped one."""
    from evidence import background

    trained, shipped = str(model.meta.get("background", "")), background.current().sha256
    if trained != shipped:
        log.warning(
            "evidence link scorer %s was trained with background %s, the shipped background is %s: retrain it "
            "(python -m benchmarks.train_evidence)",
            path,
            trained[:12] or "(none recorded)",
            shipped[:12] or "(none)",
        )


def score(features: dict) -> float:
    """The current model's score of one (passage, commitment) pair; suggested from ``SUGGEST_AT``."""
    return current_model().score(features)
