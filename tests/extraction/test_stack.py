"""The second stage's trees (stack.py): exported from scikit-learn, evaluated in plain Python, read back from JSON."""

import json
import math
import random

import pytest

from responses.extraction import stack


def _data(n: int = 400, seed: int = 1):
    rng = random.Random(seed)
    width = len(stack.NAMES) + len(stack.NEIGHBOUR_NAMES)
    xs, ys = [], []
    for _ in range(n):
        x = [rng.random() for _ in range(width)]
        for j in range(len(stack.NAMES), width):  # the neighbour features are missing at a group's ends
            if rng.random() < 0.3:
                x[j] = math.nan
        xs.append(x)
        nb = x[-4]
        ys.append(int(x[0] + 0.5 * x[5] + (0.4 if nb != nb else nb) + rng.random() * 0.5 > 1.2))
    return xs, ys


def test_exported_trees_give_sklearns_probabilities():
    np = pytest.importorskip("numpy")
    from sklearn.ensemble import HistGradientBoostingClassifier

    xs, ys = _data()
    names = stack.NAMES + stack.NEIGHBOUR_NAMES
    clf = HistGradientBoostingClassifier(random_state=0, **stack.PARAMS)
    weights = [1.0 + (i % 3) for i in range(len(xs))]
    clf.fit(np.array(xs), np.array(ys), sample_weight=np.array(weights))
    forest = stack.export(clf, names)
    assert len(forest.trees) == stack.PARAMS["max_iter"]
    test, _ = _data(60, seed=2)
    want = clf.predict_proba(np.array(test))[:, 1]
    got = forest.predict(test)
    assert max(abs(a - b) for a, b in zip(got, want, strict=True)) < 1e-9
    # through the model file's JSON and back: the same numbers
    back = stack.from_json(json.loads(json.dumps(forest.to_json())), names)
    assert back.predict(test) == got
    assert stack.fit(xs, ys, 0, weights, names).predict(test) == got


def test_damaged_forest_is_refused():
    leaf = {"feature": [-1], "threshold": [0.0], "missing_left": [0], "left": [0], "right": [0], "value": [0.1]}
    doc = {"names": list(stack.NAMES), "baseline": 0.0, "trees": [leaf]}
    assert stack.from_json(doc, stack.NAMES).predict([[0.0] * len(stack.NAMES)])[0] == pytest.approx(0.52497918)
    with pytest.raises(ValueError):
        stack.from_json(doc, stack.NAMES + stack.NEIGHBOUR_NAMES)
    loop = dict(leaf, feature=[0], left=[0], right=[0])
    with pytest.raises(ValueError):
        stack.from_json({**doc, "trees": [loop]}, stack.NAMES)
    wide = {k: [v[0], v[0], v[0]] for k, v in leaf.items()} | {
        "feature": [99, -1, -1],
        "left": [1, 0, 0],
        "right": [2, 0, 0],
    }
    with pytest.raises(ValueError):
        stack.from_json({**doc, "trees": [wide]}, stack.NAMES)
