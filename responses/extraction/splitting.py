"""Splitting: where a commitment clause holds several entries, a learned cut at its "，".

Contract: one sentence often states several commitments ("今年新建改建农村公路1000公里以上，确保农村自来水普及率达
95%以上，今年改建农村卫生户厕42座"), and ANNOTATION.md makes each an entry of its own; elsewhere a sentence is one
commitment whatever its commas ("狠抓项目建设，培育强劲动能，谋划工业项目150个以上"). Which one a clause is, is
learned from the corpus, not written as a rule: every "，" of a clause is a *boundary* candidate with features
(``boundary_features``: the character bigrams just before and after it, whether the part after it opens with a
task verb, holds a quantity, a marker word or a time, whether the part before does, the lengths of both parts,
the document kind and section kind, the kind of the clause's line crossed with the clause's length), and a
linear model (trained with the ranker, ``ranker.train_labelled``) scores it. Its label (``boundary_labels``): the part after the comma opens a gold entry of its own inside the
clause (a quote that starts within four characters after it, and not the clause's first entry).

The pipeline does not run it in a reply letter (the model learned not to cut one; letters are most uploads, so
the time is saved). ``cut(text, cand, score, threshold, reply)`` gives the clause's pieces: cut at every comma whose score reaches the threshold,
pieces shorter than four characters kept with the piece before; ``[]`` when nothing is cut. Each piece keeps
the clause's deadline and signals.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .candidates import _TASK_VERB, MARKER_RE, Candidate
from .targets import TARGET_SCAN, TargetIndex

_COMMA = re.compile(r"[，,]")
_TAIL = " \t\u3000，,：:；;。！？!?"
_TIME = re.compile(r"\d{4}年|年底|年内|今年|明年|月底|年前|[上下]半年|前|底")
CONTEXT = 6  # characters each side of a comma whose bigrams are features
SHORT_CLAUSE = 60  # a clause under this many characters is short (``_unit_signal``)


def _len_bucket(n: int) -> str:
    return "s" if n < 6 else "m" if n <= 15 else "l"


def _grams(prefix: str, s: str) -> list[str]:
    return [prefix + s[i : i + 2] for i in range(len(s) - 1)]  # (a cache missed 96 % of the time: windows differ)


def commas(text: str, cand: Candidate) -> list[int]:
    """Offsets of the "，" inside the clause (not its last character)."""
    return [m.start() for m in _COMMA.finditer(text, cand.start, cand.end - 1)]


def boundary_features(
    text: str, cand: Candidate, cuts: list[int], reply: bool, targets: TargetIndex | None = None
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(grams, signals) of each comma in ``cuts`` (see module docstring; ``targets``: the text's ``TargetIndex``,
    when the caller has one, which spares the search of a part without a quantity)."""
    bounds = [cand.start - 1, *cuts, cand.end]
    n = len(cuts) + 1
    head = (
        "doc:reply" if reply else "doc:other",
        f"section:{cand.clause.unit.section_kind}",
        f"parts:{min(n, 5)}",
        _unit_signal(cand),
    )
    # What each part holds, found once: a part is the one after a comma and the one before the next; its signal
    # names made once for each side.
    flags = [_part_flags(text, bounds[k] + 1, bounds[k + 1], targets) for k in range(n)]
    as_after = [["a:" + f for f in fl] for fl in flags]
    as_before = [["b:" + f for f in fl] for fl in flags]
    out = []
    for k, c in enumerate(cuts):
        a0, b1 = bounds[k] + 1, bounds[k + 2]  # the part before starts at a0, the part after ends at b1
        before = "".join(text[max(a0, c - CONTEXT) : c].split())
        after = "".join(text[c + 1 : min(b1, c + 1 + CONTEXT)].split())
        grams = (*_grams("b:", before), *_grams("a:", after), "^" + after[:2])
        sig = [*head, _LB[_len_bucket(c - a0)], _LA[_len_bucket(b1 - c - 1)]]
        if k == 0:
            sig.append("first_comma")
        if k == n - 2:
            sig.append("last_comma")
        sig += as_after[k + 1]
        sig += as_before[k]
        out.append((grams, tuple(sig)))
    return out


_LB = {b: "lb:" + b for b in "sml"}  # the names of _len_bucket's buckets, made once
_LA = {b: "la:" + b for b in "sml"}


def _unit_signal(cand: Candidate) -> str:
    """The kind of the clause's line (list item, paragraph, table row) crossed with the clause's length (short under
    ``SHORT_CLAUSE`` characters, else long): a long sentence of a paragraph is where several entries run together,
    a list item is mostly one entry already (session 13, s13bound)."""
    return f"unit:{cand.clause.unit.kind}:{'s' if cand.end - cand.start < SHORT_CLAUSE else 'l'}"


def _part_flags(text: str, s: int, e: int, targets: TargetIndex | None = None) -> list[str]:
    """Whether the part opens with a task verb, holds a quantity, a marker word, a time (in this order). A part
    that no match of ``targets`` reaches holds no quantity (``TargetIndex``), and is not searched; in one that a match
    reaches, the search's answer is read from the whole-text scan where it is the same (``TargetIndex.first_in``)."""
    out = []
    if _TASK_VERB.match(text, s, e):
        out.append("task")
    if targets is None:
        if TARGET_SCAN.search(text, s, e) is not None:
            out.append("target")
    elif targets.reaches(s, e) and targets.first_in(text, s, e) is not None:
        out.append("target")
    if MARKER_RE.search(text, s, e):
        out.append("marker")
    if _TIME.search(text, s, e):
        out.append("time")
    return out


def boundary_labels(cand: Candidate, cuts: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """1 for a comma after which a gold entry inside the clause opens (not the clause's first entry)."""
    inside = sorted(a for a, b in spans if a >= cand.start - 2 and b <= cand.end + 2)
    if len(inside) < 2:
        return [0] * len(cuts)
    later = inside[1:]
    return [int(any(c < a <= c + 4 for a in later)) for c in cuts]


def cut(
    text: str,
    cand: Candidate,
    score: Callable[[tuple[str, ...], tuple[str, ...]], float],
    threshold: float,
    reply: bool,
    targets: TargetIndex | None = None,
) -> list[Candidate]:
    """The clause's pieces (see module docstring), or [] when no comma is cut."""
    cuts = commas(text, cand)
    if not cuts:
        return []
    chosen = [
        c
        for c, f in zip(cuts, boundary_features(text, cand, cuts, reply, targets), strict=True)
        if score(*f) >= threshold
    ]
    if not chosen:
        return []
    out: list[Candidate] = []
    starts = [cand.start, *(c + 1 for c in chosen)]
    ends = [*chosen, cand.end]
    carry = None  # the start of a short first piece, kept with the piece after it
    for s, e in zip(starts, ends, strict=True):
        while s < e and text[s] in " \t\u3000":
            s += 1
        while e > s and text[e - 1] in _TAIL:
            e -= 1
        if e - s < 4:
            if out:
                out[-1] = replace(out[-1], end=max(out[-1].end, e))
            elif carry is None:
                carry = s
            continue
        out.append(replace(cand, start=s if carry is None else carry, end=e))
        carry = None
    return out if len(out) >= 2 else []
