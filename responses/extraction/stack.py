"""Second stage (issue 10, session 8): each candidate re-decided from the first stage's scores and the
document's and its list's aggregates.

Contract:
- ``rows(text, units, cands, raw, blended, threshold) -> list[list[float]]``: one feature vector per
  candidate, in the order of ``NAMES``, from the clause model's scores ``raw``, the list step's ``blended``
  scores (lists.py) and the first stage's ``threshold``: the clause's own blended score (as a logit), its
  list's size, mean, top-3 mean, share above the threshold and the item's rank in it (a list: ≥ 2 items of
  one ``lists.list_ids`` list holding candidates; an item's score is its best candidate's), the document's
  candidate count, mean score, share above the threshold, share of candidates with a target, of candidates
  in next-steps and programme sections, whether it has a period (a ``dated_by:document`` signal) and whether it
  reads as a reply letter (``doc:reply``), the candidate's own rule signals, and a few interactions.
- ``Stack(weights, intercept)``: a logistic regression over those rows; ``predict(rows) -> [p]``. Pure Python
  at run time (a dot product per candidate).
- ``fit(rows, ys, seed) -> Stack`` (scikit-learn, imported lazily; deterministic: lbfgs, fixed seed).
The rows used for training are built from OUT-OF-FOLD first-stage scores (ranker.train_labelled), so the
second stage never sees a clause scored by a model trained on it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from . import lists
from .candidates import Candidate
from .structure import Unit

C = 0.1  # inverse regularisation strength of the second stage
CLASS_WEIGHT: str | None = None

NAMES = (
    "score",
    "in_list",
    "list_size",
    "list_mean",
    "list_top3",
    "list_share",
    "list_rank",
    "doc_n",
    "doc_mean",
    "doc_share",
    "doc_target",
    "doc_next",
    "doc_programme",
    "doc_period",
    "doc_dated_by_document",
    "doc_reply",
    "target",
    "enumerated",
    "dated",
    "dated_by_document",
    "section_next",
    "section_programme",
    "section_review",
    "past_words",
    "score_x_list_mean",
    "score_x_doc_share",
    "list_top3_x_other",
    "doc_share_x_other",
    "dated_by_document_x_doc_x_other",
)


def _logit(p: float) -> float:
    p = min(1.0 - 1e-4, max(1e-4, p))
    return math.log(p / (1.0 - p)) / 4.0  # /4: within about ±2.3, the scale of the other features


def doc_weights(n: int) -> list[float]:
    """The sample weight of each of a document's ``n`` candidates: documents weighted alike up to a square root
    (a long work report's hundreds of candidates do not outweigh every programme list)."""
    return [1.0 / math.sqrt(n)] * n if n else []


def rows(
    text: str,
    units: Sequence[Unit],
    cands: Sequence[Candidate],
    raw: Sequence[float],
    blended: Sequence[float],
    threshold: float,
) -> list[list[float]]:
    """See module docstring."""
    n = len(cands)
    if not n:
        return []
    ids = lists.list_ids(text, units)
    items: dict[int, float] = {}
    for c, sc in zip(cands, raw, strict=True):
        u = c.clause.unit.index
        if u in ids:
            items[u] = max(sc, items.get(u, 0.0))
    members: dict[int, list[tuple[float, int]]] = {}
    for u, sc in items.items():
        members.setdefault(ids[u], []).append((sc, u))
    info: dict[int, tuple[float, float, float, float, float]] = {}  # unit → size, mean, top3, share, rank
    for v in members.values():
        if len(v) < 2:
            continue
        v.sort(key=lambda x: (-x[0], x[1]))
        scores = [s for s, _ in v]
        size = math.log1p(len(v)) / 3.0
        mean = sum(scores) / len(scores)
        top3 = sum(scores[:3]) / len(scores[:3])
        share = sum(s >= threshold for s in scores) / len(scores)
        for rank, (_, u) in enumerate(v):
            info[u] = (size, mean, top3, share, rank / (len(v) - 1))
    sigs = [set(c.signals) for c in cands]
    reply = float("doc:reply" in sigs[0])
    other = 1.0 - reply
    doc_n = math.log1p(n) / 5.0
    doc_mean = sum(raw) / n
    doc_share = sum(b >= threshold for b in blended) / n
    doc_target = sum("target" in s for s in sigs) / n
    doc_next = sum("section:next_steps" in s for s in sigs) / n
    doc_programme = sum("section:programme" in s for s in sigs) / n
    doc_dbd = sum("dated_by:document" in s for s in sigs) / n
    doc_period = float(doc_dbd > 0)
    out = []
    for c, b, s in zip(cands, blended, sigs, strict=True):
        z = _logit(b)
        li = info.get(c.clause.unit.index)
        size, mean, top3, share, rank = li if li is not None else (0.0, 0.0, 0.0, 0.0, 0.0)
        out.append(
            [
                z,
                float(li is not None),
                size,
                mean,
                top3,
                share,
                rank,
                doc_n,
                doc_mean,
                doc_share,
                doc_target,
                doc_next,
                doc_programme,
                doc_period,
                doc_dbd,
                reply,
                float("target" in s),
                float("enumerated" in s),
                float(c.deadline is not None),
                float("dated_by:document" in s),
                float("section:next_steps" in s),
                float("section:programme" in s),
                float("section:review" in s),
                float("past_words" in s),
                z * mean,
                z * doc_share,
                top3 * other,
                doc_share * other,
                float("dated_by:document" in s) * doc_dbd * other,
            ]
        )
    return out


@dataclass(frozen=True)
class Stack:
    """The second stage's weights (in the order of ``names``) and intercept."""

    weights: tuple[float, ...]
    intercept: float
    names: tuple[str, ...] = NAMES

    def predict(self, xs: list[list[float]]) -> list[float]:
        out = []
        for x in xs:
            z = self.intercept + sum(w * v for w, v in zip(self.weights, x, strict=True))
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return out


def fit(
    xs: list[list[float]], ys: list[int], seed: int = 0, c: float | None = None, weights: list[float] | None = None
) -> Stack:
    """See module docstring (``c``: default ``C``, read at the call; ``weights``: one per row)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(
        C=C if c is None else c, solver="lbfgs", random_state=seed, max_iter=2000, class_weight=CLASS_WEIGHT
    )
    clf.fit(np.array(xs, dtype=float), np.array(ys), sample_weight=None if weights is None else np.array(weights))
    return Stack(tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0]))
