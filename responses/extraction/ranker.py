"""Ranker: a linear model, trained on the annotated corpus, that scores candidates as commitments.

Contract:
- ``features(text, cand) -> (grams, signals)``: the character bigrams of the candidate's text
  (whitespace removed; a long one cut to its first 40 and last 20 characters), its opening bigrams
  (``^xx``), the bigrams of the heading it sits under (``h:xx``) and the rule signals of
  ``candidates.py``; a candidate in a live scope (a programme or next-steps section, or a time scope not yet
  over) carries a second copy of its rule signals prefixed ``P:`` (``_live_scope``), weighed apart.
- ``Model.score(text, cands) -> list[float]``: a probability per candidate (logistic regression:
  intercept + signal weights + gram weights over the L2 norm of the grams present in the vocabulary).
  No scikit-learn at run time: the grams of all the candidates are looked up at once in two sorted numpy arrays
  (``_GramTable``; a dictionary look-up per gram, ``score_one``, waited on memory), each candidate's weights summed
  in the order of their codes (``score_one`` sums in a set's order, which changes with ``PYTHONHASHSEED``: the
  two differ in the last bits only).
- ``Model.rank(text, cands, units) -> list[float]``: ``score``, then the list step (``lists.blend``: the items of
  one list moved by ``list_weight`` towards their list's score); what the pipeline decides on. The threshold of
  ``train`` is chosen on the blended out-of-fold scores.
- ``train(docs, seed=0) -> Model`` (scikit-learn, imported lazily): ``docs`` are (gold document,
  folder) pairs in ANNOTATION.md's format; each candidate's label is whether it matches a gold quote
  the way score.py matches (one contains the other, or a shared run of ≥ 12 characters, whitespace
  ignored). Deterministic: documents sorted, fixed seed, liblinear. The threshold is the one that
  maximises candidate F1 on out-of-fold scores (cross-validation grouped by set on the training data).
- ``save_model(model, path)`` writes JSON (numbers and strings only: a tampered file cannot run
  code, unlike a pickle) through a temp file and a rename; ``format_version`` and the hash of the
  training labels are in the file. ``load_model()`` returns the model named by
  ``LUOSHI_EXTRACTOR_MODEL`` if set and readable, else the shipped ``model/ranker.json``; an incompatible or corrupt file is logged and skipped, never raised. With no
  readable file at all, a fallback scores by the marker and future-time signals alone.
- ``current_model()`` (what the pipeline calls) is ``load_model()`` with ``PROMOTED`` (the model a deployment
  promoted from clerks' corrections, ``responses/learning.py``) read after ``LUOSHI_EXTRACTOR_MODEL`` and
  before the shipped file, reloaded when that file changes. ``label_text`` labels one document from its
  text and its commitments' quotes (the corrections' training documents).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import os
import re
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache, reduce
from itertools import repeat
from operator import add
from pathlib import Path

from . import lists, splitting
from .candidates import Candidate, propose
from .cleaning import clean
from .metadata import extract_metadata, infer_reference_date
from .script import to_simplified
from .sections import find_sections
from .structure import Unit, read_structure
from .targets import TargetIndex
from .types import Metadata, Section

log = logging.getLogger(__name__)

FORMAT_VERSION = 4  # 2: inline_heading; 3: the boundary model (splitting.py); 4: bullet lists, genre signals. An older file is retrained
SHIPPED = Path(__file__).resolve().parent / "model" / "ranker.json"
_WS = re.compile(r"\s+")
MIN_LCS = 12
MAX_GRAM_CHARS = 60
C = 3.0  # inverse regularisation strength (chosen on leave-one-set-out: 1, 3 and 10 within noise)
# List-level decisions (lists.py): how far an item's score moves to its list's, and the list's aggregate.
LIST_WEIGHT = 0.5
LIST_AGGREGATE = "top3"


_PAIRS = [slice(i, i + 2) for i in range(MAX_GRAM_CHARS + 1)]  # s[i : i + 2] for each i of a (cut) clause


def features(text: str, cand: Candidate) -> tuple[set[str], tuple[str, ...]]:
    """See module docstring."""
    s = _gram_string(text, cand)
    grams = {s[pair] for pair in _PAIRS[: max(0, len(s) - 1)]}  # the bigrams; slices made once, not per gram
    grams.add("^" + s[:2])
    grams.add("^" + s[2:4])
    grams.update(_heading_grams(cand.clause.unit.heading))
    return grams, ranked_signals(cand)


def _gram_string(text: str, cand: Candidate) -> str:
    """The candidate's text whose bigrams are its grams: whitespace removed (str.split's is re's \\s), a long one cut
    to its first and last characters (the words that decide are at the ends of a long sentence)."""
    s = "".join(text[cand.start : cand.end].split())
    if len(s) > MAX_GRAM_CHARS:
        s = s[: MAX_GRAM_CHARS - 20] + "|" + s[-20:]
    return s


_LIVE = ("programme", "next_steps")


def ranked_signals(cand: Candidate) -> tuple[str, ...]:
    """The signals the ranker weighs: the candidate's rule signals, and their "P:" copies in a live scope."""
    if _live_scope(cand):
        return cand.signals + tuple(["P:" + s for s in cand.signals])
    return cand.signals


def _live_scope(cand: Candidate) -> bool:
    """A candidate inside a programme or next-steps section, or whose unit has a time scope not yet over (a
    ``scope:`` signal other than ``scope:past``): its rule signals are copied with the prefix "P:" (session 13, SP),
    so a signal can weigh differently there — a short item, ``inline_heading``, ``first_in_unit`` or ``marker:要``
    under a live programme heading is an entry or a run-in subhead, elsewhere a news sentence or a review's figure.
    The grams are not copied: the model's size is unchanged but for a few dozen signal weights."""
    if cand.clause.unit.section_kind in _LIVE:
        return True
    for s in cand.signals:  # (a loop, not any() over a generator: one frame fewer per candidate)
        if s.startswith("scope:") and s != "scope:past":
            return True
    return False


@lru_cache(maxsize=256)
def _heading_grams(h: str) -> tuple[str, ...]:
    return tuple("h:" + h[i : i + 2] for i in range(len(h) - 1))


@dataclass(frozen=True)
class Model:
    """Weights of the linear ranker and its threshold."""

    grams: dict[str, float]
    signals: dict[str, float]
    intercept: float
    threshold: float
    labels_hash: str = ""
    trained_on: str = ""
    meta: dict = field(default_factory=dict)
    digest: str = field(default="", compare=False)  # of the file it was read from (read_model), else ""
    # The boundary model (splitting.py): where a commitment clause is cut into several; a threshold above 1
    # cuts nothing (the fallback, and a corpus without a clause holding two entries).
    split_grams: dict[str, float] = field(default_factory=dict)
    split_signals: dict[str, float] = field(default_factory=dict)
    split_intercept: float = 0.0
    split_threshold: float = 2.0
    # List-level decisions (lists.py): 0 leaves every score as the clause model gives it (an older file).
    list_weight: float = 0.0
    list_aggregate: str = "mean"

    def score_one(self, grams: Iterable[str], signals: Iterable[str]) -> float:
        return _logistic(self.grams, self.signals, self.intercept, grams, signals)

    def score(self, text: str, cands: list[Candidate]) -> list[float]:
        """``score_one`` of each candidate's ``features``, the gram look-ups done for all of them at once."""
        table = self._gram_table()
        if table is None or not cands:
            return [self.score_one(*features(text, c)) for c in cands]
        if len(cands) <= PLAIN_MAX:
            return _score_plain(self.grams, self.signals, self.intercept, text, cands, self._copy_weights())
        return _score_batch(table, self.signals, self.intercept, text, cands, self._copy_weights())

    def _gram_table(self) -> _GramTable | None:
        """The gram weights as sorted arrays (built on first use; None when a gram has no code)."""
        table = self.__dict__.get("_table", _UNBUILT)
        if table is _UNBUILT:
            table = _GramTable.build(self.grams)
            object.__setattr__(self, "_table", table)  # a cache of ``grams``, not a field: replace() drops it
        return table

    def _copy_weights(self) -> dict[str, float]:
        """``copy_weights(self.signals)``, made on first use (a cache of ``signals``, as ``_table`` is of ``grams``)."""
        copies = self.__dict__.get("_copies")
        if copies is None:
            copies = copy_weights(self.signals)
            object.__setattr__(self, "_copies", copies)
        return copies

    def rank(self, text: str, cands: list[Candidate], units: Sequence[Unit]) -> list[float]:
        """``score``, then the items of each list moved towards their list's score (lists.py)."""
        return lists.blend(text, units, cands, self.score(text, cands), self.list_weight, self.list_aggregate)

    def split_score(self, grams: Iterable[str], signals: Iterable[str]) -> float:
        return _logistic(self.split_grams, self.split_signals, self.split_intercept, grams, signals)

    def split(self, text: str, reply: bool, cand: Candidate, targets: TargetIndex | None = None) -> list[Candidate]:
        """The pieces of a commitment clause that holds several entries (splitting.py), else [] (``targets``: the
        text's ``TargetIndex``, when the caller has one)."""
        if self.split_threshold > 1.0:
            return []
        return splitting.cut(text, cand, self.split_score, self.split_threshold, reply, targets)


def _logistic(gram_w: dict[str, float], sig_w: dict[str, float], b: float, grams, signals) -> float:
    # The look-ups stay in C (map); the comprehension drops the grams outside the vocabulary faster than
    # filter with a partial (the same weights, summed in the same order).
    ws = [w for w in map(gram_w.get, grams) if w is not None]
    z = b + (sum(ws) / math.sqrt(len(ws)) if ws else 0.0)
    z += sum(map(sig_w.get, signals, repeat(0.0)))
    return _sigmoid(z)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


_UNBUILT = object()


def copy_weights(sig_w: dict[str, float]) -> dict[str, float]:
    """The weight of each signal's "P:" copy keyed by the signal: ``sig_w.get("P:" + s, 0.0)`` is
    ``copy_weights(sig_w).get(s, 0.0)`` (``_score_batch`` sums them without making the "P:" strings)."""
    return {s[2:]: w for s, w in sig_w.items() if s.startswith("P:")}


def _gram_code(g: str) -> int | None:
    """A unique integer for each gram ``features`` can make (up to 3 characters, or "h:" and 2 more), else None:
    the characters' code points + 1 in 21 bits each, left-aligned in 63 bits; bit 63 marks a heading gram."""
    n = len(g)
    if 1 <= n <= 3:
        code = 0
        for ch in g:
            code = (code << 21) | (ord(ch) + 1)
        return code << (21 * (3 - n))
    if n == 4 and g.startswith("h:"):
        return (1 << 63) | ((ord(g[2]) + 1) << 42) | ((ord(g[3]) + 1) << 21)
    return None


@lru_cache(maxsize=256)
def _heading_codes(h: str) -> tuple[int, ...]:
    return tuple(_gram_code(g) or 0 for g in _heading_grams(h))  # "h:" + 2 characters: never None


@lru_cache(maxsize=256)
def _heading_code_array(h: str):
    """``_heading_codes`` as a read-only numpy array (concatenated for a document's candidates at once)."""
    import numpy as np

    a = np.array(_heading_codes(h), dtype=np.uint64)
    a.flags.writeable = False
    return a


class _GramTable:
    """The gram weights as two arrays sorted by ``_gram_code``: a binary search in 600 KB of contiguous memory
    instead of a dictionary look-up that touches four scattered objects (the look-ups were a fifth of the time,
    most of it waiting on memory)."""

    __slots__ = ("codes", "weights")

    def __init__(self, codes, weights):
        self.codes = codes
        self.weights = weights

    @classmethod
    def build(cls, grams: dict[str, float]) -> _GramTable | None:
        import numpy as np

        if not grams:
            return None  # the fallback: no gram weighs anything
        keys = list(grams)
        codes = np.empty(len(keys), dtype=np.uint64)
        two = [i for i, g in enumerate(keys) if len(g) == 2]  # most grams: coded at once, as ``_score_batch`` does
        raw = np.frombuffer("".join([keys[i] for i in two]).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        chars = raw.astype(np.uint64) + 1
        codes[two] = chars[0::2] << 42 | chars[1::2] << 21
        for i, g in enumerate(keys):
            if len(g) != 2:
                code = _gram_code(g)
                if code is None:
                    return None
                codes[i] = code
        order = np.argsort(codes, kind="stable")
        codes = codes[order]
        if len(codes) > 1 and not (codes[1:] > codes[:-1]).all():
            return None
        return cls(codes, np.fromiter(grams.values(), dtype=np.float64, count=len(keys))[order])


def _score_batch(
    table: _GramTable,
    sig_w: dict[str, float],
    b: float,
    text: str,
    cands: Sequence[Candidate],
    copies: dict[str, float] | None = None,
) -> list[float]:
    """``_logistic`` of each candidate's ``features`` (the same grams, weights and signals; the weights of one
    candidate summed in the order of their codes, not of a set's iteration). ``copies``: ``copy_weights(sig_w)``."""
    import numpy as np

    if copies is None:
        copies = copy_weights(sig_w)

    strings: list[str] = []
    extra: list[int] = []  # the opening grams of a string under 4 characters
    extra_ids: list[int] = []
    heads = []  # each candidate's heading grams, an array made once per heading
    for k, c in enumerate(cands):
        s = _gram_string(text, c)
        strings.append(s)
        if len(s) < 4:
            extra += (_gram_code("^" + s[:2]) or 0, _gram_code("^" + s[2:4]) or 0)
            extra_ids += (k, k)
        heads.append(_heading_code_array(c.clause.unit.heading))
    head_codes = np.concatenate(heads)
    head_ids = np.repeat(np.arange(len(heads)), [len(h) for h in heads])
    chars = np.frombuffer("".join(strings).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
    chars += 1  # a character's part of a code: its code point + 1 (_gram_code)
    lengths = np.array([len(s) for s in strings])
    owner = np.repeat(np.arange(len(strings)), lengths)
    inside = owner[:-1] == owner[1:]  # the two characters of a bigram in one candidate's string
    # The two opening grams "^" + s[:2] and "^" + s[2:4] of each string of 4 characters or more.
    opens = np.flatnonzero(lengths >= 4)
    o = (np.cumsum(lengths) - lengths)[opens]  # where each of those strings starts in ``chars``
    caret = np.uint64((ord("^") + 1) << 42)
    codes = np.concatenate(
        (
            (chars[:-1] << 42 | chars[1:] << 21)[inside],
            caret | chars[o] << 21 | chars[o + 1],
            caret | chars[o + 2] << 21 | chars[o + 3],
            np.array(extra, dtype=np.uint64),
            head_codes,
        )
    )
    ids = np.concatenate((owner[:-1][inside], opens, opens, np.array(extra_ids, dtype=owner.dtype), head_ids))
    # By code, then candidate: a gram counted once per candidate (a set), the searches in ascending order (each
    # starts where the last ended), and each candidate's weights summed in the order of their codes. The order of
    # (code, candidate) in two plain sorts (session 18; ``np.lexsort`` sorts each key stably, 3–8× slower): the
    # distinct codes in order give each code its rank, and rank × n + candidate sorts as (code, candidate) does;
    # each distinct code is searched once.
    n = len(cands)
    order = codes.argsort()
    codes = codes[order]
    new = np.empty(len(codes), dtype=bool)
    new[:1] = True
    np.not_equal(codes[1:], codes[:-1], out=new[1:])
    distinct = codes[new]
    keys = (new.cumsum() - 1) * n + ids[order]
    keys.sort()
    first = np.empty(len(keys), dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    keys = keys[first]
    rank, ids = np.divmod(keys, n)
    at = np.minimum(np.searchsorted(table.codes, distinct), len(table.codes) - 1)
    found = table.codes[at] == distinct
    hit = found[rank]
    hit_ids = ids[hit]
    sums = np.bincount(hit_ids, weights=table.weights[at[rank[hit]]], minlength=n).tolist()
    counts = np.bincount(hit_ids, minlength=n).tolist()
    # The signal weights in ``ranked_signals`` order without making the "P:" strings: the candidate's signals, then
    # (in a live scope) the weights of their copies, looked up by the signal, added on to the same running sum.
    get, copy_get = sig_w.get, copies.get
    out = []
    for c, total, count in zip(cands, sums, counts, strict=True):
        z = b + (total / math.sqrt(count) if count else 0.0)
        out.append(_sigmoid(z + _signal_weight(c, get, copy_get)))
    return out


def _signal_weight(c: Candidate, sig_get, copy_get) -> float:
    """The candidate's signals' weights and (in a live scope) the weights of their copies, one running sum."""
    signals = c.signals
    w = sum(map(sig_get, signals, repeat(0.0)))
    if _live_scope(c):
        w = sum(map(copy_get, signals, repeat(0.0)), w)
    return w


# A batch of at most this many candidates is scored by ``_score_plain`` (session 18): numpy's ~60 calls cost about
# 100 µs a batch whatever its size (~300 µs inside the pipeline, the table out of the cache), the plain reading ~25 µs
# a candidate; a short letter has 2–8 candidates. The same floats either way.
PLAIN_MAX = 8


@lru_cache(maxsize=256)
def _sorted_heading_grams(h: str) -> tuple[str, ...]:
    return tuple(sorted(set(_heading_grams(h))))


def _score_plain(
    gram_w: dict[str, float],
    sig_w: dict[str, float],
    b: float,
    text: str,
    cands: Sequence[Candidate],
    copies: dict[str, float],
) -> list[float]:
    """``_score_batch`` without numpy, for a few candidates: the same floats. A gram's code orders as its string does
    (code points + 1 in 21 bits each, left-aligned: a shorter string before its extensions), and every heading gram
    ("h:" and 2 characters, bit 63) comes after every own gram, so the own grams' weights in str order, then the
    heading grams' in str order, are added in code order; one running sum from 0.0 (``reduce``, as ``np.bincount``
    adds, not ``sum``: Python 3.12 compensates a float sum)."""
    get, sig_get, copy_get = gram_w.get, sig_w.get, copies.get
    out = []
    for c in cands:
        s = _gram_string(text, c)
        own = {s[pair] for pair in _PAIRS[: max(0, len(s) - 1)]}
        own.add("^" + s[:2])
        own.add("^" + s[2:4])
        ws = [w for w in map(get, sorted(own)) if w is not None]
        ws += [w for w in map(get, _sorted_heading_grams(c.clause.unit.heading)) if w is not None]
        z = b + (reduce(add, ws, 0.0) / math.sqrt(len(ws)) if ws else 0.0)
        out.append(_sigmoid(z + _signal_weight(c, sig_get, copy_get)))
    return out


FALLBACK = Model(
    grams={},
    signals={"future_time": 1.5, "marker:将": 1.0, "marker:力争": 1.5, "marker:确保": 1.0, "section:next_steps": 1.0},
    intercept=-1.5,
    threshold=0.5,
    trained_on="fallback (no readable model file)",
    digest="fallback",
)


# ---------------------------------------------------------------- reading a document up to candidates


@dataclass(frozen=True)
class Prepared:
    """A document read up to its candidates (shared by the pipeline, training and evaluation)."""

    cleaned: str
    work: str
    metadata: Metadata
    ref: dt.date
    sections: list[Section]
    candidates: list[Candidate]
    gold: tuple[tuple[int, int], ...] = ()  # where the gold quotes lie in the text (set when labelled)
    units: tuple[Unit, ...] = ()  # the structure's units (the lists of lists.py)


def prepare(text: str, reference_date: dt.date | None = None, received: dt.date | None = None) -> Prepared:
    cleaned = clean(text)
    work = to_simplified(cleaned)
    meta = extract_metadata(work)
    ref = reference_date or meta.reply_date or infer_reference_date(work, received)
    sections = find_sections(work)
    structure = read_structure(work, sections, ref)
    cands = propose(work, structure, ref, is_reply=is_reply(meta), is_letter=is_letter(meta))
    return Prepared(cleaned, work, meta, ref, sections, cands, units=structure.units)


def is_reply(meta: Metadata) -> bool:
    """Whether the header reads as a reply letter (a signal for the ranker)."""
    return is_letter(meta) or bool(meta.doc_number)


def is_letter(meta: Metadata) -> bool:
    """Whether the header reads as an answer to a proposal or a body (``is_reply`` without a bare document
    number: a 通知 issuing a programme has a number too); the genre signals never fire on one."""
    return bool(meta.proposal_title or meta.body or meta.proposal_number)


# ---------------------------------------------------------------- labels

_SOURCE_DATES = (
    re.compile(r"(?<!\d)(?P<y>20\d\d|19\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),  # "page date 2023-08-06"
    re.compile(r"/t?(?P<y>20\d\d|19\d\d)(?P<m>\d\d)(?P<d>\d\d)(?:[/_.]|$)"),  # /t20250428_…, /20241026/
    re.compile(r"/(?P<y>20\d\d|19\d\d)[/-](?P<m>\d\d?)/(?P<d>\d\d?)/"),  # /2025/03/13/, /2026-03/05/
    re.compile(r"/(?P<y>20\d\d|19\d\d)(?P<m>\d\d)/"),  # /202408/
)


def received_date(doc: dict) -> dt.date | None:
    """The day a corpus document was published, from its ``source`` (a page date the annotator noted,
    else a date in the address): the stand-in for the day a deployment receives it, used by
    training and evaluation as ``received`` (the reference date of a text that names no year)."""
    source = str(doc.get("source") or "")
    for rx in _SOURCE_DATES:
        m = rx.search(source)
        if m:
            try:
                return dt.date(int(m["y"]), int(m["m"]), int(m.groupdict().get("d") or 15))
            except ValueError:
                continue
    return None


def _grams12(s: str) -> set[str]:
    return {s[i : i + MIN_LCS] for i in range(len(s) - MIN_LCS + 1)}


def matches(a: str, b: str) -> bool:
    """score.py's text match: one contains the other, or a common run of ≥ 12 characters."""
    a, b = _WS.sub("", a), _WS.sub("", b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return not _grams12(a).isdisjoint(_grams12(b))


def label_text(set_name: str, name: str, raw: str, quotes: list[str]) -> tuple[str, str, Prepared, list[int]]:
    """One document labelled from its text and its commitments' quotes (the clerks' corrections)."""
    p = prepare(raw)
    ys = [int(any(matches(p.cleaned[c.start : c.end], q) for q in quotes)) for c in p.candidates]
    return set_name, name, _with_gold(p, quotes), ys


def _with_gold(p: Prepared, quotes: list[str]) -> Prepared:
    """``p`` with the spans of the quotes found in its text (the boundary model's labels)."""
    spans = []
    for q in quotes:
        i = p.cleaned.find(q) if q else -1
        if i >= 0:
            spans.append((i, i + len(q)))
    return replace(p, gold=tuple(sorted(spans)))


def labelled(docs: list[tuple[dict, Path]]) -> list[tuple[str, str, Prepared, list[int]]]:
    """(set name, file, prepared document, 0/1 label per candidate), sorted by set and file."""
    out = []
    for doc, folder in sorted(docs, key=lambda d: (d[1].name, d[0]["file"])):
        raw = (folder / doc["file"]).read_bytes().decode("utf-8", errors="replace")
        p = prepare(raw, received=received_date(doc))
        quotes = [c["quote"] for c in doc.get("commitments", [])]
        ys = [int(any(matches(p.cleaned[c.start : c.end], q) for q in quotes)) for c in p.candidates]
        out.append((folder.name, doc["file"], _with_gold(p, quotes), ys))
    return out


# ---------------------------------------------------------------- training


CW = "balanced"


def _fit(rows: Sequence[tuple[Collection[str], tuple[str, ...]]], ys: list[int], seed: int, c: float = C):
    """A fitted logistic regression over [signals | grams/‖grams‖]; returns (gram w, signal w, b)."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    df: dict[str, int] = {}
    for grams, _ in rows:
        for g in grams:
            df[g] = df.get(g, 0) + 1
    vocab = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= 2))}
    sig_names = sorted({s for _, sig in rows for s in sig})
    sig_index = {s: len(vocab) + i for i, s in enumerate(sig_names)}
    indptr, indices, data = [0], [], []
    for grams, sig in rows:
        gi = sorted(vocab[g] for g in grams if g in vocab)
        w = 1.0 / math.sqrt(len(gi)) if gi else 0.0
        indices.extend(gi)
        data.extend([w] * len(gi))
        si = sorted({sig_index[s] for s in sig})
        indices.extend(si)
        data.extend([1.0] * len(si))
        indptr.append(len(indices))
    x = csr_matrix(
        (np.array(data), np.array(indices), np.array(indptr)), shape=(len(rows), len(vocab) + len(sig_names))
    )
    clf = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=1000, class_weight=CW)
    clf.fit(x, np.array(ys))
    coef = clf.coef_[0]
    gram_w = {g: float(coef[i]) for g, i in vocab.items() if abs(coef[i]) > 1e-6}
    sig_w = {s: float(coef[sig_index[s]]) for s in sig_names}
    return gram_w, sig_w, float(clf.intercept_[0])


def _best_threshold(scores: list[float], ys: list[int]) -> float:
    pairs = sorted(zip(scores, ys, strict=True), reverse=True)
    total = sum(ys)
    best, best_t, tp = -1.0, 0.5, 0
    for k, (s, y) in enumerate(pairs, start=1):
        tp += y
        f1 = 2 * tp / (k + total) if total else 0.0
        nxt = pairs[k][0] if k < len(pairs) else 0.0
        if f1 > best and s > nxt:
            best, best_t = f1, (s + nxt) / 2
    return best_t


def train(docs: list[tuple[dict, Path]], seed: int = 0, folds: int = 5) -> Model:
    """See module docstring."""
    data = labelled(docs)
    return train_labelled(data, seed=seed, folds=folds)


def labels_hash(data) -> str:
    """SHA-256 over every (set, file, candidate span, label): what the model was trained on."""
    h = hashlib.sha256()
    h.update(f"v{FORMAT_VERSION}\n".encode())
    for set_name, file, p, labels in data:
        for cand, y in zip(p.candidates, labels, strict=True):
            h.update(f"{set_name}/{file}:{cand.start}-{cand.end}:{y}\n".encode())
        h.update(f"{set_name}/{file}:gold:{p.gold}\n".encode())  # the boundary model's labels
    return h.hexdigest()


def train_labelled(data, seed: int = 0, folds: int = 5) -> Model:
    """Train on already labelled documents (see ``labelled``)."""
    rows, ys, groups = [], [], []
    for set_name, _file, p, labels in data:
        for cand, y in zip(p.candidates, labels, strict=True):
            rows.append(features(p.work, cand))
            ys.append(y)
            groups.append(set_name)
    names = sorted(set(groups))
    weight, aggregate = LIST_WEIGHT, LIST_AGGREGATE
    # Threshold: out-of-fold scores, folds made of whole sets (round-robin over the sorted names).
    oof = [0.0] * len(rows)
    k = min(folds, len(names))
    if k >= 2:
        for f in range(k):
            held = set(names[f::k])
            tr = [i for i, g in enumerate(groups) if g not in held]
            te = [i for i, g in enumerate(groups) if g in held]
            gw, sw, b = _fit([rows[i] for i in tr], [ys[i] for i in tr], seed)
            m = Model(gw, sw, b, 0.5)
            for i in te:
                oof[i] = m.score_one(*rows[i])
        oof = _blend_rows(data, oof, weight, aggregate)  # the threshold is the one for list-level scores
        threshold = _best_threshold(oof, ys)
        f1 = _f1_at(oof, ys, threshold)
    else:
        threshold, f1 = 0.5, 0.75
    gw, sw, b = _fit(rows, ys, seed)
    split = _train_split(data, seed, folds, margin=f1 / 2)
    return Model(
        gw,
        sw,
        b,
        threshold,
        labels_hash=labels_hash(data),
        trained_on=",".join(names),
        meta={"candidates": len(rows), "positives": sum(ys), "seed": seed, "boundaries": split[4]},
        split_grams=split[0],
        split_signals=split[1],
        split_intercept=split[2],
        split_threshold=split[3],
        list_weight=weight,
        list_aggregate=aggregate,
    )


def _blend_rows(data, scores: list[float], weight: float, aggregate: str) -> list[float]:
    """``lists.blend`` over row scores laid out document after document as ``train_labelled`` lays them."""
    out: list[float] = []
    for _set, _file, p, _labels in data:
        n = len(p.candidates)
        out.extend(lists.blend(p.work, p.units, p.candidates, scores[len(out) : len(out) + n], weight, aggregate))
    return out


def _f1_at(scores: list[float], ys: list[int], threshold: float) -> float:
    tp = sum(1 for sc, y in zip(scores, ys, strict=True) if y and sc >= threshold)
    n = sum(1 for sc in scores if sc >= threshold)
    return 2 * tp / (n + sum(ys)) if n + sum(ys) else 0.0


def _best_cut_threshold(scores: list[float], ys: list[int], margin: float) -> float:
    """The threshold whose cuts gain most on out-of-fold scores, each right cut counting 1 - ``margin`` and each
    wrong one - ``margin``: a cut adds one commitment, right with the cut's precision, and that raises F1 when
    the precision is above half the F1 (``margin``). Above 1 (nothing cut) when no threshold gains."""
    pairs = sorted(zip(scores, ys, strict=True), reverse=True)
    best, best_t, gain = 0.0, 2.0, 0.0
    for k, (s, y) in enumerate(pairs, start=1):
        gain += y - margin
        nxt = pairs[k][0] if k < len(pairs) else 0.0
        if gain > best and s > nxt:
            best, best_t = gain, (s + nxt) / 2
    return best_t


def _train_split(
    data, seed: int, folds: int, margin: float = 0.375
) -> tuple[dict[str, float], dict[str, float], float, float, int]:
    """The boundary model (splitting.py) over the commas of the candidates labelled commitments:
    (gram weights, signal weights, intercept, threshold, positive boundaries). Threshold on out-of-fold
    scores, folds of whole sets, by ``_best_cut_threshold`` (``margin``: half the ranker's out-of-fold F1)."""
    rows, ys, groups = [], [], []
    for set_name, _file, p, labels in data:
        reply = is_reply(p.metadata)
        for cand, y in zip(p.candidates, labels, strict=True):
            if not y:
                continue
            cuts = splitting.commas(p.work, cand)
            if not cuts:
                continue
            rows.extend(splitting.boundary_features(p.work, cand, cuts, reply))
            ys.extend(splitting.boundary_labels(cand, cuts, list(p.gold)))
            groups.extend([set_name] * len(cuts))
    if sum(ys) < 2 or sum(ys) == len(ys):
        return {}, {}, 0.0, 2.0, sum(ys)
    names = sorted(set(groups))
    k = min(folds, len(names))
    threshold = 2.0
    if k >= 2:
        oof = [0.0] * len(rows)
        for f in range(k):
            held = set(names[f::k])
            tr = [i for i, g in enumerate(groups) if g not in held]
            if len({ys[i] for i in tr}) < 2:
                continue
            gw, sw, b = _fit([rows[i] for i in tr], [ys[i] for i in tr], seed)
            for i, g in enumerate(groups):
                if g in held:
                    oof[i] = _logistic(gw, sw, b, *rows[i])
        threshold = _best_cut_threshold(oof, ys, margin)
    gw, sw, b = _fit(rows, ys, seed)
    return gw, sw, b, threshold, sum(ys)


# ---------------------------------------------------------------- file format (no pickle)


def save_model(model: Model, path: Path) -> None:
    """Write the model as JSON (plain numbers and strings) through a temp file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "format_version": FORMAT_VERSION,
        "kind": "luoshi-commitment-ranker",
        "labels_hash": model.labels_hash,
        "trained_on": model.trained_on,
        "meta": model.meta,
        "intercept": round(model.intercept, 6),
        "threshold": round(model.threshold, 6),
        "signals": {k: round(v, 6) for k, v in sorted(model.signals.items())},
        "grams": {k: round(v, 5) for k, v in sorted(model.grams.items())},
        "split": {
            "intercept": round(model.split_intercept, 6),
            "threshold": round(model.split_threshold, 6),
            "signals": {k: round(v, 6) for k, v in sorted(model.split_signals.items())},
            "grams": {k: round(v, 5) for k, v in sorted(model.split_grams.items())},
        },
        "lists": {"weight": model.list_weight, "aggregate": model.list_aggregate},
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, path)


def read_model(path: Path) -> Model:
    """Read a model file; raises ValueError when it is not a compatible model (OSError: unreadable)."""
    try:
        raw = path.read_bytes()
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"not a model file: {e}") from e
    if not isinstance(doc, dict) or doc.get("kind") != "luoshi-commitment-ranker":
        raise ValueError("not a model file")
    if doc.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format version {doc.get('format_version')!r}, expected {FORMAT_VERSION}")
    try:
        grams = {str(k): float(v) for k, v in doc["grams"].items()}
        signals = {str(k): float(v) for k, v in doc["signals"].items()}
        split = doc["split"]
        lst = doc.get("lists") or {}  # absent in a file written before list-level decisions: weight 0
        aggregate = str(lst.get("aggregate", "mean"))
        if aggregate not in lists.AGGREGATES:
            raise ValueError(f"unknown list aggregate {aggregate!r}")
        return Model(
            grams,
            signals,
            float(doc["intercept"]),
            float(doc["threshold"]),
            labels_hash=str(doc["labels_hash"]),
            trained_on=str(doc["trained_on"]),
            meta=dict(doc.get("meta") or {}),
            digest=hashlib.sha256(raw).hexdigest()[:16],
            split_grams={str(k): float(v) for k, v in split["grams"].items()},
            split_signals={str(k): float(v) for k, v in split["signals"].items()},
            split_intercept=float(split["intercept"]),
            split_threshold=float(split["threshold"]),
            list_weight=float(lst.get("weight", 0.0)),
            list_aggregate=aggregate,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValueError(f"damaged model file: {type(e).__name__}: {e}") from e


# The model a deployment promoted from clerks' corrections (responses/learning.py sets this path from
# settings.EXTRACTOR_MODEL_DIR); read after LUOSHI_EXTRACTOR_MODEL and before the shipped file.
PROMOTED: Path | None = None
_promoted_seen: tuple = ()


def current_model() -> Model:
    """``load_model()``, reloaded when the promoted file changed (a promotion in another process)."""
    global _promoted_seen
    key: tuple = ()
    if PROMOTED is not None:
        try:
            st = PROMOTED.stat()
            key = (str(PROMOTED), st.st_mtime_ns, st.st_size)
        except OSError:
            key = (str(PROMOTED),)
    if key != _promoted_seen:
        load_model.cache_clear()
        _promoted_seen = key
    return load_model()


@cache
def load_model() -> Model:
    """The model in use (see module docstring); logs its load time."""
    t0 = time.perf_counter()
    paths = []
    custom = os.environ.get("LUOSHI_EXTRACTOR_MODEL")
    if custom:
        paths.append(Path(custom))
    if PROMOTED is not None and PROMOTED.exists():
        paths.append(PROMOTED)
    paths.append(SHIPPED)
    for p in paths:
        try:
            model = read_model(p)
        except (OSError, ValueError) as e:
            log.error("extractor model %s unusable (%s); trying the next one", p, e)
            continue
        log.debug("extractor model %s loaded in %.3f s", p, time.perf_counter() - t0)
        return model
    log.error("no usable extractor model; scoring candidates by their rule signals only")
    return FALLBACK


def predict_with(model: Model) -> Callable[..., dict]:
    """A function (path, received) → PREDICTION.md object using ``model`` (for the evaluation)."""
    from .pipeline import extract_text

    def predict(path: Path, received: dt.date | None = None) -> dict:
        raw = path.read_bytes().decode("utf-8", errors="replace")
        return extract_text(raw, model=model, received=received).to_prediction()

    return predict
