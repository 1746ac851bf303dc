"""List-level decisions: the items of one list are scored together (issue 10, session 7).

Contract:
- ``family(text, unit) -> str``: the marker family of a list item, its label with numbers folded ("1." and
  "2." → "D.", "（一）" → "（C）", "一是" → "C是", "①" → "①"), or "" for an item without a label.
- ``list_ids(text, units) -> dict[int, int]``: unit index → list id for every ``list_item`` unit. Siblings
  are items of the same marker family under the same heading with no heading, paragraph or table row
  between them; a nested list (a "1." run inside a "（一）" item) is a list of its own, and an outer item
  closes the lists nested in the one before it.
- ``blend(text, units, cands, scores, weight, aggregate) -> list[float]``: each list with at least two
  items holding a candidate gets a score, the ``aggregate`` ("mean" or "top3": mean of the three best) of
  its items' scores (an item's score: its best candidate's); every candidate of an item is moved by
  ``weight × (list score − item score)``, so the item's best candidate ends at
  ``(1 − weight) × item + weight × list`` and the order inside an item is kept. Scores of candidates
  outside lists are returned unchanged; ``weight`` 0 returns ``scores`` as given. Deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .candidates import Candidate
from .structure import _LIST_MARK, Unit

AGGREGATES = ("mean", "top3")
_DIGITS = re.compile(r"\d+")
_CN = re.compile(r"[一二三四五六七八九十]+")
_CIRCLED = re.compile(r"[①-⑳]")


def family(text: str, unit: Unit) -> str:
    """See module docstring."""
    m = _LIST_MARK.match(text, unit.start, unit.end)
    if m is None:
        return ""
    mark = m.group().strip(" \t\u3000*").replace("．", ".").replace("(", "（").replace(")", "）")
    return _CIRCLED.sub("①", _CN.sub("C", _DIGITS.sub("D", mark)))


def list_ids(text: str, units: Sequence[Unit]) -> dict[int, int]:
    """See module docstring."""
    out: dict[int, int] = {}
    stack: list[tuple[str, int]] = []  # open lists, outermost first: (family, id)
    heading = None
    next_id = 0
    for u in units:
        if u.kind != "list_item":
            stack.clear()
            continue
        if u.heading != heading:
            stack.clear()
            heading = u.heading
        fam = family(text, u)
        depth = next((i for i, (f, _) in enumerate(stack) if f == fam), None)
        if depth is None:
            stack.append((fam, next_id))
            next_id += 1
        else:
            del stack[depth + 1 :]
        out[u.index] = stack[-1][1]
    return out


def _aggregate(values: list[float], aggregate: str) -> float:
    if aggregate == "top3":
        values = sorted(values, reverse=True)[:3]
    return sum(values) / len(values)


def blend(
    text: str,
    units: Sequence[Unit],
    cands: Sequence[Candidate],
    scores: list[float],
    weight: float,
    aggregate: str = "mean",
) -> list[float]:
    """See module docstring."""
    if weight <= 0.0 or not cands:
        return scores
    ids = list_ids(text, units)
    items: dict[int, float] = {}  # unit index → best score of its candidates
    for c, sc in zip(cands, scores, strict=True):
        u = c.clause.unit.index
        if u in ids:
            items[u] = max(sc, items.get(u, 0.0))
    members: dict[int, list[float]] = {}
    for u, sc in items.items():
        members.setdefault(ids[u], []).append(sc)
    lists = {lid: _aggregate(v, aggregate) for lid, v in members.items() if len(v) >= 2}
    out = list(scores)
    for i, c in enumerate(cands):
        u = c.clause.unit.index
        lid = ids.get(u)
        if lid in lists:
            out[i] = min(1.0, max(0.0, scores[i] + weight * (lists[lid] - items[u])))
    return out
