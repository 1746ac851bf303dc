"""Session 17 (s17dl): a learned deadline chooser, behind the switch ``LUOSHI_DEADLINE`` (read at call time).

Contract:
- ``variant() -> str | None``: the switch's value when it names a variant (``learned``, ``confident``), else None
  (the start's hand rules alone: nothing here runs, no model file changes).
- ``options(ctx, cand) -> list[Option]``: the candidate deadlines of one found entry in its scope, each with its
  features: every time expression of its clause and of its sentence (before or after the clause), the paragraph's
  opening time, scope, list year and earlier times, the previous unit's (a list head), each heading's on its chain
  (the numbered sections that hold it, the last heading line before it), the document period, the plan period and
  the session-15 dating period, the 未来N年 horizons of its clause, sentence and paragraph, the hand rule's choice,
  and "none". Features: where the expression stands relative to the clause and how far, its kind and precision,
  whether it is past at the reference date, inside 《》 or quotation marks, after 比/较, how many years after the
  reference year it ends, which level of the scope it comes from, whether the hand rule chose it, the document's
  kind, and (for "none") the clause's context (vague word, past words, own time, section kind).
- ``train(data, seed) -> (weights, intercept)``: a logistic regression (scikit-learn, liblinear, fixed seed) over
  (entry, option) pairs of the training documents' candidates that match a gold entry (``Prepared.deadline_labels``):
  label 1 when the option's date is the gold deadline ("none" when the gold has none). Entries whose gold deadline no
  option gives, and candidates matching gold entries with different deadlines, are skipped.
- ``choose(ctx, cands, weights, intercept, mode)``: in place, each candidate without a recurring schedule gets the
  option the model scores highest (``learned``), or keeps the hand rule's unless the best option's probability is
  at least ``MARGIN`` above the hand option's (``confident``). Deadline only: the signals, scores and cuts are the
  start's (the ranker never reads ``Candidate.deadline``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .candidates import (
    _RANGE,
    _SINCE_AFTER,
    Candidate,
    _forward,
    _time_type,
    dating_period,
    document_period,
    find_horizons,
    is_programme,
    plan_period,
)
from .structure import Structure
from .types import Section, TimeExpr

ENV = "LUOSHI_DEADLINE"
VARIANTS = ("learned", "confident", "learned+neg", "pair", "pair+neg", "pair+t", "pair+n")
MARGIN = 0.3  # ``confident``: how far the best option's probability must be above the hand option's
C = 1.0


def variant() -> str | None:
    """The variant named by ``LUOSHI_DEADLINE`` (read at each call), else None."""
    v = os.environ.get(ENV, "")
    return v if v in VARIANTS else None


@dataclass(slots=True)
class Option:
    time: TimeExpr | None  # None: no deadline
    date: dt.date | None  # what it dates the entry by (a bare past month rolled forward as the hand rule does)
    levels: set[str] = field(default_factory=set)
    hand: bool = False


_SENT_END = re.compile(r"[。！？!?\n]")
_QUOTE_OPEN = '《“"「『'
_QUOTE_CLOSE = '》”"」』'
_REPORT = re.compile(r"工作报告")
_PAST_WORDS = re.compile(r"已经|已|累计|截至|截止|同比|比上年|较上年|先后|目前|去年|上年")


@dataclass
class Context:
    """What the options of one document's candidates are read from (made once per document)."""

    text: str
    structure: Structure
    ref: dt.date
    letter: bool
    sections: Sequence[Section]
    doc_kind: str
    period: TimeExpr | None
    late: TimeExpr | None
    plan: TimeExpr | None
    horizons: list[TimeExpr]
    hz_keys: list[int]
    t_keys: list[int]
    prev_head: dict[int, int]  # unit index → the index of the last heading unit before it (or -1)

    @classmethod
    def make(cls, text: str, structure: Structure, ref: dt.date, letter: bool, sections: Sequence[Section]) -> Context:
        period = None if letter else document_period(text, structure, ref)
        late = dating_period(text, structure, ref, letter, period)
        plan = None if letter else plan_period(text, structure, ref)
        if letter:
            kind = "letter"
        elif is_programme(text, structure):
            kind = "programme"
        elif _REPORT.search(text, 0, min(len(text), 200)):
            kind = "report"
        else:
            kind = "other"
        horizons = find_horizons(text, ref)
        prev: dict[int, int] = {}
        last = -1
        for u in structure.units:
            prev[u.index] = last
            if u.kind == "heading":
                last = u.index
        return cls(
            text,
            structure,
            ref,
            letter,
            sections,
            kind,
            period,
            late,
            plan,
            horizons,
            [h.start for h in horizons],
            [t.start for t in structure.times],
            prev,
        )

    def times_in(self, s: int, e: int) -> list[TimeExpr]:
        ts = self.structure.times
        return [
            t
            for t in ts[bisect.bisect_left(self.t_keys, s) : bisect.bisect_left(self.t_keys, e)]
            if t.deadline is not None and t.recurring is None
        ]

    def horizons_in(self, s: int, e: int) -> list[TimeExpr]:
        return self.horizons[bisect.bisect_left(self.hz_keys, s) : bisect.bisect_left(self.hz_keys, e)]


def options(ctx: Context, cand: Candidate) -> list[Option]:
    """See module docstring."""
    text, ref = ctx.text, ctx.ref
    c = cand.clause
    u = c.unit
    s = cand.start
    out: dict[tuple, Option] = {}

    def add(t: TimeExpr | None, level: str) -> tuple | None:
        if t is None or t.deadline is None or t.recurring is not None:
            return None
        fwd = _forward(t, ref)
        k = (t.start, t.end, fwd.deadline if fwd is not None else t.deadline)
        o = out.get(k)
        if o is None:
            o = out[k] = Option(fwd if fwd is not None else t, k[2])
        o.levels.add(level)
        return k

    ss = max(text.rfind(ch, u.start, c.start) for ch in "。！？!?")
    ss = max(ss + 1, u.start)
    m = _SENT_END.search(text, c.end, u.end)
    se = m.end() if m else u.end
    for t in ctx.times_in(c.start, c.end):
        add(t, "clause")
    add(c.own_time, "own")
    add(c.sentence_time, "sentence_time")
    for t in ctx.times_in(ss, c.start):
        add(t, "sent_before")
    for t in ctx.times_in(c.end, se):
        add(t, "sent_after")
    para_before = ctx.times_in(u.start, ss)
    if para_before:
        add(para_before[0], "para_first")
        add(para_before[-1], "para_last")
    if u.scope is not None:
        add(u.scope, "scope_" + u.scope_source)
    add(u.open_time, "open")
    add(u.list_year, "list_year")
    if u.index > 0:
        pu = ctx.structure.units[u.index - 1]
        pt = ctx.times_in(pu.start, pu.end)
        if pt:
            add(pt[-1], "prev_unit_" + pu.kind)
    for sec in ctx.sections:
        if sec.start <= s < sec.end and sec.heading_end > sec.heading_start:
            ht = ctx.times_in(sec.heading_start, sec.heading_end)
            if ht:
                add(ht[0], f"sec{min(sec.level, 3)}")
    ph = ctx.prev_head.get(u.index, -1)
    if ph >= 0:
        hu = ctx.structure.units[ph]
        ht = ctx.times_in(hu.start, hu.end)
        if ht:
            add(ht[0], "head_line")
    add(ctx.period, "doc_period")
    add(ctx.late, "late_period")
    add(ctx.plan, "plan_period")
    for h in ctx.horizons_in(c.start, c.end):
        add(h, "hz_clause")
    for h in ctx.horizons_in(ss, c.start):
        add(h, "hz_sentence")
    for h in ctx.horizons_in(u.start, ss):
        add(h, "hz_para")
    if cand.deadline is not None:
        hk = add(cand.deadline, "hand_" + cand.deadline_source)
        if hk is not None:
            out[hk].hand = True
    opts = list(out.values())
    opts.append(Option(None, None, {"none"}, cand.deadline is None))
    return opts


def _dist(n: int) -> str:
    return "0" if n <= 0 else "1" if n < 10 else "2" if n < 40 else "3" if n < 150 else "4"


def features(ctx: Context, cand: Candidate, opts: list[Option]) -> list[list[str]]:
    """The features of each option (see module docstring)."""
    text, ref = ctx.text, ctx.ref
    c = cand.clause
    sig = set(cand.signals)
    ctxf = [
        "doc:" + ctx.doc_kind,
        "hsrc:" + cand.deadline_source,
        "sec:" + c.unit.section_kind,
        "unit:" + c.unit.kind,
    ]
    if cand.vague is not None:
        ctxf.append("vague")
    if "past_words" in sig:
        ctxf.append("pastw")
    if c.own_time is not None:
        ctxf.append("own_time")
    if c.own_time is not None and _forward(c.own_time, ref) is None:
        ctxf.append("own_past")
    latest = max((o.date for o in opts if o.date is not None), default=None)
    rows = []
    for o in opts:
        f: list[str] = []
        if o.time is None:
            f.append("none")
            if o.hand:
                f.append("none&hand")
            f.extend("none&" + x for x in ctxf)
            rows.append(f)
            continue
        t = o.time
        raw_past = t.deadline is not None and t.deadline < ref
        past = o.date is not None and o.date < ref
        prec = "p:" + t.precision
        ttype = _time_type(text, t)
        dy = o.date.year - ref.year if o.date is not None else 0
        dyf = "dy:" + ("neg" if dy < 0 else str(dy) if dy <= 3 else "4+")
        if t.end <= cand.start:
            d = cand.start - t.end
            where = "before"
        elif t.start >= cand.end:
            d = t.start - cand.end
            where = "after"
        else:
            d, where = 0, "inside"
        line = text.rfind("\n", 0, t.start) + 1
        quoted = any(
            text.rfind(a, line, t.start) > text.rfind(b, line, t.start)
            for a, b in zip(_QUOTE_OPEN, _QUOTE_CLOSE, strict=True)
            if a != b
        )
        base = [prec, ttype, dyf, "where:" + where, "dist:" + _dist(d)]
        if past:
            base.append("past")
        if raw_past and not past:
            base.append("rolled")
        if quoted:
            base.append("quoted")
        if t.start and text[t.start - 1 : t.start] in ("比", "较"):
            base.append("compared")
        if _SINCE_AFTER.match(text, t.end):
            base.append("since")
        if _RANGE.search(t.text):
            base.append("range")
        if o.date == latest:
            base.append("latest")
        if o.hand:
            base.append("hand")
        f.append("dated")
        f.extend(base)
        f.extend(ctxf)
        f.extend(f"{a}&{b}" for a in base for b in ctxf[:2])
        for lv in sorted(o.levels):
            f.append("lv:" + lv)
            f.extend(f"lv:{lv}&{x}" for x in (prec, dyf, "past" if past else "live", "hand" if o.hand else "nohand"))
            f.extend(f"lv:{lv}&{x}" for x in ctxf)
        f.append(f"nlv:{min(len(o.levels), 4)}")
        rows.append(f)
    return rows


def _flags(mode: str) -> tuple[bool, bool]:
    """(pairwise, negatives) of a variant name."""
    return mode.startswith("pair"), mode.endswith("+neg")


def score(weights: dict[str, float], intercept: float, feats: list[str]) -> float:
    z = intercept + sum(weights.get(x, 0.0) for x in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _pair_score(weights: dict[str, float], intercept: float, fo: list[str], fh: list[str]) -> float:
    so, sh = set(fo), set(fh)
    z = intercept + sum(weights.get(x, 0.0) for x in so - sh) - sum(weights.get(x, 0.0) for x in sh - so)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def choose(
    ctx: Context,
    cands: Sequence[Candidate],
    weights: dict[str, float],
    intercept: float,
    mode: str,
    threshold: float = 0.5,
) -> None:
    """See module docstring (in place)."""
    pairwise, _neg = _flags(mode)
    for cand in cands:
        if cand.recurring is not None:
            continue
        opts = options(ctx, cand)
        feats = features(ctx, cand, opts)
        if pairwise:
            hand = next(i for i, o in enumerate(opts) if o.hand)
            ps = [_pair_score(weights, intercept, f, feats[hand]) for f in feats]
            ps[hand] = threshold if mode == "pair+t" else 0.5
            if mode == "pair+n":  # no option dated before the reference date replaces the hand's choice
                ps = [
                    0.0 if i != hand and o.date is not None and o.date < ctx.ref else q
                    for i, (o, q) in enumerate(zip(opts, ps, strict=True))
                ]
        else:
            ps = [score(weights, intercept, f) for f in feats]
        best = max(range(len(opts)), key=lambda i: (ps[i], opts[i].hand, -i))
        if mode == "confident":
            hi = next((i for i, o in enumerate(opts) if o.hand), None)
            if hi is not None and ps[best] - ps[hi] < MARGIN:
                continue
        o = opts[best]
        if o.hand:
            continue
        cand.deadline = o.time
        cand.deadline_source = "learned:" + (sorted(o.levels)[0] if o.levels else "none")


def train(
    data, seed: int = 0, emitted: Sequence[bool] = (), folds: int = 5
) -> tuple[dict[str, float], float, float, dict]:
    """See module docstring. ``data``: ``ranker.labelled``'s (set, file, Prepared, labels); ``emitted``: per
    candidate of ``data`` in order, whether the ranker's out-of-fold score is over its threshold."""
    mode = variant() or "learned"
    pairwise, neg = _flags(mode)
    rows: list[dict[str, float]] = []
    ys: list[int] = []
    groups: list[str] = []
    # ``pair+t``: every entry (gold-matched or emitted-like) for the out-of-fold threshold: (set, feats, y, hand)
    records: list[tuple[str, list[list[str]], list[int], int]] = []
    tuned = mode == "pair+t"
    entries = skipped = negatives = 0
    k = -1
    for _set, _file, p, labels in data:
        dl = p.deadline_labels
        ctx = None
        for j, cand in enumerate(p.candidates):
            k += 1
            if not dl or p.structure is None or cand.recurring is not None:
                continue
            lab = dl[j]
            is_neg = False
            if not lab:
                if not ((neg or tuned or mode == "pair+n") and not labels[j] and k < len(emitted) and emitted[k]):
                    continue
                if mode == "pair+n" and cand.deadline is not None:
                    continue
                lab = "none"  # an entry the ranker would emit that is no gold entry: no date is right
                negatives += 1
                is_neg = True
            if ctx is None:
                ctx = Context.make(p.work, p.structure, p.ref, p.letter, p.sections)
            opts = options(ctx, cand)
            gold = None if lab == "none" else dt.date.fromisoformat(lab)
            y = [int(o.date == gold) for o in opts]
            if not any(y):
                skipped += 1
                continue
            entries += 1
            feats = features(ctx, cand, opts)
            if tuned:
                records.append((_set, feats, y, next(i for i, o in enumerate(opts) if o.hand)))
                if is_neg:
                    continue  # in the threshold's entries only, not the model's
            if pairwise:
                hand = next(i for i, o in enumerate(opts) if o.hand)
                fh = set(feats[hand])
                for i, f in enumerate(feats):
                    if i == hand or y[i] == y[hand]:
                        continue
                    fo = set(f)
                    row = dict.fromkeys(fo - fh, 1.0)
                    row.update(dict.fromkeys(fh - fo, -1.0))
                    rows.append(row)
                    ys.append(y[i])
                    groups.append(_set)
            else:
                rows.extend(dict.fromkeys(f, 1.0) for f in feats)
                ys.extend(y)
                groups.extend([_set] * len(feats))
    meta: dict = {"entries": entries, "skipped": skipped, "negatives": negatives, "rows": len(rows)}
    if len(set(ys)) < 2:
        return {}, 0.0, 0.5, meta
    weights, intercept = _fit(rows, ys, seed)
    threshold = 0.5
    if tuned:
        threshold = _tuned_threshold(rows, ys, groups, records, seed, folds)
        meta["threshold"] = threshold
    return weights, intercept, threshold, meta


def _tuned_threshold(rows, ys, groups, records, seed: int, folds: int) -> float:
    """``pair+t``: the probability over which the best option replaces the hand rule's choice, chosen on out-of-fold
    scores (folds of whole sets, round-robin over the sorted names): the one that gains most, each replacement counting
    +1 when the option is right and the hand's choice wrong, -1 when the hand's was right and the option wrong; above
    1 (nothing replaced) when none gains. The entries are the gold-matched ones and the emitted-like false ones."""
    names = sorted({r[0] for r in records})
    k = min(folds, len(names))
    if k < 2:
        return 2.0
    pairs: list[tuple[float, int]] = []
    for f in range(k):
        held = set(names[f::k])
        tr = [i for i, g in enumerate(groups) if g not in held]
        if len({ys[i] for i in tr}) < 2:
            continue
        w, b = _fit([rows[i] for i in tr], [ys[i] for i in tr], seed)
        for name, feats, y, hand in records:
            if name not in held:
                continue
            ps = [(_pair_score(w, b, fo, feats[hand]), i) for i, fo in enumerate(feats) if i != hand]
            if not ps:
                continue
            p, i = max(ps)
            pairs.append((p, y[i] - y[hand]))
    pairs.sort(reverse=True)
    best, best_t, gain = 0, 2.0, 0
    for n, (p, g) in enumerate(pairs):
        if p < 0.5:
            break
        gain += g
        nxt = pairs[n + 1][0] if n + 1 < len(pairs) else 0.0
        if gain > best and p > nxt:
            best, best_t = gain, max(0.5, (p + nxt) / 2)
    return best_t


def _fit(rows: list[dict[str, float]], ys: list[int], seed: int) -> tuple[dict[str, float], float]:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    df: dict[str, int] = {}
    for r in rows:
        for x in r:
            df[x] = df.get(x, 0) + 1
    vocab = {x: i for i, x in enumerate(sorted(x for x, n in df.items() if n >= 3))}
    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for r in rows:
        cols = sorted((vocab[x], v) for x, v in r.items() if x in vocab)
        indices.extend(c for c, _ in cols)
        values.extend(v for _, v in cols)
        indptr.append(len(indices))
    x = csr_matrix(
        (np.array(values), np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(rows), len(vocab))
    )
    clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=1000)
    clf.fit(x, np.array(ys))
    coef = clf.coef_[0]
    weights = {name: float(coef[i]) for name, i in vocab.items() if abs(coef[i]) > 1e-6}
    return weights, float(clf.intercept_[0])
