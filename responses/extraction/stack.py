"""Second stage (issue 10; session 8's features, session 10's gradient-boosted trees): each candidate re-decided
from the first stage's scores and the document's and its list's aggregates.

Contract:
- ``rows(text, units, cands, raw, blended, threshold) -> list[list[float]]``: one feature vector per
  candidate, in the order of ``NAMES``, from the clause model's scores ``raw``, the list step's ``blended``
  scores (lists.py) and the first stage's ``threshold``: the clause's own blended score (as a logit), its
  list's size, mean, top-3 mean, share above the threshold and the item's rank in it (a list: ≥ 2 items of
  one ``lists.list_ids`` list holding candidates; an item's score is its best candidate's), the document's
  candidate count, mean score, share above the threshold, share of candidates with a target, of candidates
  in next-steps and programme sections, whether it has a period (a ``dated_by:document`` signal) and whether it
  reads as a reply letter (``doc:reply``), the candidate's own rule signals, and a few interactions; with
  ``neighbours`` (variant G2) four more: the raw score of the previous / next candidate of its group (its list, or
  its unit when not a list item; NaN when none) and the group's max and mean raw score.
- ``Forest(baseline, trees, names)``: gradient-boosted trees over those rows; ``predict(rows) -> [p]``. Pure
  Python at run time (each tree a nested tuple ``(feature, threshold, missing_left, left, right)`` or a leaf value;
  ``x <= threshold`` goes left, NaN goes left when ``missing_left``, as scikit-learn routes it).
- ``fit(rows, ys, seed, weights) -> Forest`` (scikit-learn's HistGradientBoostingClassifier, imported lazily;
  deterministic: fixed ``random_state``, no early stopping); ``to_json`` / ``from_json`` for the model file.
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

# The learner (session 10, fixed in docs/extraction.md before any measurement).
PARAMS = {"max_depth": 3, "max_iter": 100, "learning_rate": 0.1, "l2_regularization": 0.1, "early_stopping": False}

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
NEIGHBOUR_NAMES = ("prev_score", "next_score", "group_max", "group_mean")
RELATIVE_NAMES = ("doc_rank", "doc_max", "doc_top5", "score_rel", "genre_programme", "doc_item_share")
# The feature sets of the variants (docs/extraction.md, "Session 10: gradient-boosted second stage").
VARIANTS = {"g1": NAMES, "g2": NAMES + NEIGHBOUR_NAMES, "g3": NAMES + NEIGHBOUR_NAMES + RELATIVE_NAMES}
_NAN = float("nan")


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
    neighbours: bool = False,
    relative: bool = False,
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
        for r, (_, u) in enumerate(v):
            info[u] = (size, mean, top3, share, r / (len(v) - 1))
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
    near = _neighbours(cands, raw, ids) if neighbours else None
    rel = _relative(cands, raw, sigs) if relative else None
    out = []
    for j, (c, b, s) in enumerate(zip(cands, blended, sigs, strict=True)):
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
        if near is not None:
            out[-1].extend(near[j])
        if rel is not None:
            out[-1].extend(rel[j])
    return out


def _relative(cands: Sequence[Candidate], raw: Sequence[float], sigs: list[set[str]]) -> list[tuple[float, ...]]:
    """Per candidate: its rank by raw score in the document / (n - 1), the document's max and top-5 mean raw score,
    raw / max, the document's genre:programme and its share of list-item / table-row candidates (variant G3)."""
    n = len(cands)
    order = sorted(range(n), key=lambda j: (-raw[j], j))
    rank = [0.0] * n
    for r, j in enumerate(order):
        rank[j] = r / (n - 1) if n > 1 else 0.0
    top = raw[order[0]]
    top5 = sum(raw[j] for j in order[:5]) / len(order[:5])
    genre = float("genre:programme" in sigs[0])
    items = sum("list_item" in s or "table_row" in s for s in sigs) / n
    return [(rank[j], top, top5, raw[j] / top if top > 0 else 0.0, genre, items) for j in range(n)]


def _neighbours(cands: Sequence[Candidate], raw: Sequence[float], ids: dict[int, int]) -> list[tuple[float, ...]]:
    """Per candidate: previous / next raw score in its group (document order; NaN at an end), group max, mean."""
    groups: dict[tuple[int, int], list[int]] = {}
    for j, c in enumerate(cands):
        u = c.clause.unit.index
        key = (0, ids[u]) if u in ids else (1, u)
        groups.setdefault(key, []).append(j)
    out: list[tuple[float, ...]] = [()] * len(cands)
    for members in groups.values():
        members.sort(key=lambda j: (cands[j].start, j))
        scores = [raw[j] for j in members]
        top, mean = max(scores), sum(scores) / len(scores)
        for k, j in enumerate(members):
            prev = scores[k - 1] if k > 0 else _NAN
            nxt = scores[k + 1] if k + 1 < len(scores) else _NAN
            out[j] = (prev, nxt, top, mean)
    return out


@dataclass(frozen=True)
class Forest:
    """The second stage: a baseline log-odds plus the trees' leaf values (learning rate applied)."""

    baseline: float
    trees: tuple
    names: tuple[str, ...] = NAMES

    def predict(self, xs: list[list[float]]) -> list[float]:
        out = []
        trees = self.trees
        for x in xs:
            z = self.baseline
            for n in trees:
                while n.__class__ is tuple:
                    f, t, ml, left, right = n
                    v = x[f]
                    n = left if v <= t or (ml and v != v) else right
                z += n
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return out

    def to_json(self) -> dict:
        """Node arrays per tree: feature (-1 at a leaf), threshold, missing_left, left, right, value."""
        return {"names": list(self.names), "baseline": self.baseline, "trees": [_flatten(t) for t in self.trees]}


def _flatten(tree) -> dict:
    arrays: dict[str, list] = {"feature": [], "threshold": [], "missing_left": [], "left": [], "right": [], "value": []}

    def walk(n) -> int:
        i = len(arrays["feature"])
        for k in arrays:
            arrays[k].append(0)
        if n.__class__ is tuple:
            f, t, ml, left, right = n
            arrays["feature"][i], arrays["threshold"][i], arrays["missing_left"][i] = f, t, int(ml)
            arrays["left"][i] = walk(left)
            arrays["right"][i] = walk(right)
        else:
            arrays["feature"][i], arrays["value"][i] = -1, n
        return i

    walk(tree)
    return arrays


def from_json(doc: dict, names: tuple[str, ...]) -> Forest:
    """A Forest from ``to_json``'s form; ValueError when it is not one over ``names``."""
    if tuple(str(n) for n in doc["names"]) != names:
        raise ValueError("second stage over other features than this version's")
    return Forest(float(doc["baseline"]), tuple(_tree(a, len(names)) for a in doc["trees"]), names)


def _tree(arrays: dict, width: int):
    keys = ("feature", "threshold", "missing_left", "left", "right", "value")
    feature, threshold, missing, left, right, value = (list(arrays[k]) for k in keys)
    n = len(feature)
    if not n or any(len(a) != n for a in (threshold, missing, left, right, value)):
        raise ValueError("second stage: node arrays of unequal length")

    def build(i: int, depth: int = 0):
        if depth > 64 or not 0 <= i < n:
            raise ValueError("second stage: malformed tree")
        f = int(feature[i])
        if f < 0:
            return float(value[i])
        if f >= width:
            raise ValueError("second stage: feature out of range")
        children = build(int(left[i]), depth + 1), build(int(right[i]), depth + 1)
        return (f, float(threshold[i]), bool(missing[i]), *children)

    return build(0)


def fit(xs: list[list[float]], ys: list[int], seed: int = 0, weights: list[float] | None = None, names=NAMES) -> Forest:
    """See module docstring."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(random_state=seed, **PARAMS)
    clf.fit(np.array(xs, dtype=float), np.array(ys), sample_weight=None if weights is None else np.array(weights))
    return export(clf, names)


def export(clf, names=NAMES) -> Forest:
    """The fitted classifier's trees as a Forest (binary, numeric features only)."""

    def build(nodes, i: int):
        nd = nodes[i]
        if nd["is_leaf"]:
            return float(nd["value"])
        return (
            int(nd["feature_idx"]),
            float(nd["num_threshold"]),
            bool(nd["missing_go_to_left"]),
            build(nodes, int(nd["left"])),
            build(nodes, int(nd["right"])),
        )

    trees = tuple(build(pred.nodes, 0) for it in clf._predictors for pred in it)
    return Forest(float(clf._baseline_prediction.ravel()[0]), trees, tuple(names))
