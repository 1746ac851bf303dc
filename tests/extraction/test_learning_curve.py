"""The learning curve's draws (benchmarks/learning_curve.py): sizes, nesting, determinism, the rule."""

from __future__ import annotations

import math

from benchmarks.learning_curve import conclusion, conditions, draw_docs, draw_sets, fit_log

POOL = [f"set{i:02d}" for i in range(24)]


def test_set_draws_have_the_fraction_sizes_and_nest():
    for r in range(3):
        small, mid, big = (draw_sets(POOL, f, r) for f in (0.25, 0.5, 0.75))
        assert (len(small), len(mid), len(big)) == (6, 12, 18)
        assert set(small) <= set(mid) <= set(big) <= set(POOL)
        assert draw_sets(POOL, 0.5, r) == mid  # same seed, same draw
    assert draw_sets(POOL, 1.0, 0) == sorted(POOL)
    assert len({tuple(draw_sets(POOL, 0.5, r)) for r in range(3)}) == 3


def test_document_halves_are_per_set_and_stable():
    files = {"a": ["1", "2", "3"], "b": ["1", "2", "3", "4"], "c": ["1"]}
    keep = draw_docs(files, 0)
    assert sum(1 for s, _ in keep if s == "a") == 2
    assert sum(1 for s, _ in keep if s == "b") == 2
    assert sum(1 for s, _ in keep if s == "c") == 1
    # a set's half does not depend on which other sets are in the pool
    assert {x for x in draw_docs({"b": files["b"]}, 0)} == {x for x in keep if x[0] == "b"}


def test_conditions_and_rule():
    assert len(conditions(3)) == 13
    assert conclusion({0.5: 0.60, 0.75: 0.62, 1.0: 0.64}) == "more data still helps"
    assert conclusion({0.5: 0.63, 0.75: 0.62, 1.0: 0.64}) == "unclear"
    assert conclusion({0.5: 0.60, 0.75: 0.62, 1.0: 0.624}) == "flat"
    a, b = fit_log([(100, 0.5), (200, 0.6), (400, 0.7)])
    assert math.isclose(b * math.log(2), 0.1)
