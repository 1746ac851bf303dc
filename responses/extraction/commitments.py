"""Commitments from ranked candidates: the ranker's decision turned into ``Commitment`` objects.

Contract: ``decide(work, prepared, model) -> (commitments, candidates, declined)``. Every candidate
is scored; those at or above the model's threshold are commitments (document order), the best
``MAX_CANDIDATES`` of the rest are candidates (highest score first). A commitment's deadline is
its candidate's (own time, else sentence, else inherited scope; see candidates.py); a recurring
schedule gives no date and sets ``recurring``; a vague time word is kept as ``deadline_text``.
Targets are the quantities inside the clause, agencies the units named as its subject. Declined
points ("建议不再…", "暂不予…") are reported apart and are never commitments.
"""

from __future__ import annotations

import re

from .candidates import Candidate, strength_of
from .metadata import AGENCY_LINE_RE
from .targets import find_targets
from .types import Commitment, Declined, Metadata

MAX_CANDIDATES = 5
_DECLINED = re.compile(r"建议不再|不再单独|暂不予|不予采纳|暂不具备|无法采纳|难以采纳|暂无法|不宜再")
_SUBJECT_END = re.compile(r"将|计划|拟|预计|力争|争取|确保|每季度|每半年|每月|负责|牵头")
_SELF = re.compile(r"^(?:我委|我局|我厅|我办|我单位|我部|我院|本委|本局)$")
_AGENCY_WORD = re.compile(r"^(?:[市省州县区]级|各级|各[\u4e00-\u9fff]{1,8}(?:部门|单位))$")
_LEAD_WORDS = re.compile(r"^(?:同时|并|此外|另外|待[^，]*后)")
_AND = re.compile(r"[、和及与]")
_ADVERBS = re.compile(r"(?:原则上|要|也|还|均|都|将|正在|已|积极|继续|进一步|持续|共同)+$")


def agencies(text: str, s: int, e: int, meta: Metadata) -> tuple[str, ...]:
    """Units named as the subject of the clause: the words before its marker word."""
    m = _SUBJECT_END.search(text, s, e)
    if not m:
        return ()
    subject = text[s : m.start()].split("，")[-1].split(",")[-1]
    subject = _LEAD_WORDS.sub("", subject)
    subject = _ADVERBS.sub("", subject).strip()
    if not subject or len(subject) > 40:
        return ()
    out = []
    for part in _AND.split(subject):
        part = part.strip()
        if _SELF.match(part) and meta.agency:
            out.append(meta.agency)
        elif AGENCY_LINE_RE.match(part) or _AGENCY_WORD.match(part):
            out.append(part)
    return tuple(dict.fromkeys(out))


def sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts: after the last 。！？!? or line break before it (the same
    as the latest ``rfind`` of each, searched only back to the line's start)."""
    line = text.rfind("\n", 0, pos)
    return max(line, *(text.rfind(ch, line + 1, pos) for ch in "。！？!?")) + 1


def _strength(text: str, s: int, e: int) -> str:
    """The clause's own marker word, else one earlier in its sentence ("力争…，到2025年新增…")."""
    own = strength_of(text[s:e])
    if own != "other":
        return own
    return strength_of(text[sentence_start(text, s) : s])


def to_commitment(text: str, c: Candidate, meta: Metadata, score: float) -> Commitment:
    """The commitment a candidate states, with its deadline, targets, agencies and score."""
    s, e = c.start, c.end
    if c.recurring is not None or c.deadline is None:
        deadline, precision = None, "none"
        dtext = c.recurring.text if c.recurring else (c.vague.text if c.vague else None)
    else:
        deadline, precision, dtext = c.deadline.deadline, c.deadline.precision, c.deadline.text
    return Commitment(
        text=text[s:e],
        start=s,
        end=e,
        deadline=deadline,
        deadline_text=dtext,
        precision=precision,
        recurring=c.recurring.recurring if c.recurring else None,
        targets=tuple(find_targets(text, s, e)),
        agencies=agencies(text, s, e, meta),
        strength=_strength(text, s, e),
        section_kind=c.clause.unit.section_kind,
        score=round(score, 4),
        signals=c.signals,
    )


def find_declined(text: str) -> list[Declined]:
    """Sentences that decline a point ("建议不再单独…出台相关文件")."""
    out: list[Declined] = []
    for m in _DECLINED.finditer(text):
        if out and m.start() < out[-1].end:
            continue
        s = sentence_start(text, m.start())
        ends = [k for k in (text.find(ch, m.end()) for ch in "。！？!?\n") if k >= 0]
        e = min(ends) if ends else len(text)
        while s < e and text[s] in " \t\u3000":
            s += 1
        out.append(Declined(text[s:e], s, e))
    return out


def decide(text: str, cands: list[Candidate], scores: list[float], threshold: float, meta: Metadata):
    """See module docstring."""
    declined = find_declined(text)
    commitments, rest = [], []
    for c, sc in zip(cands, scores, strict=True):
        if declined and any(d.start < c.end and c.start < d.end for d in declined):
            continue
        if sc >= threshold:
            commitments.append(to_commitment(text, c, meta, sc))
        else:
            rest.append((sc, c))
    rest.sort(key=lambda x: (-x[0], x[1].start))
    candidates = [to_commitment(text, c, meta, sc) for sc, c in rest[:MAX_CANDIDATES]]
    return commitments, candidates, declined
