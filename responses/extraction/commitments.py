"""Commitments from ranked candidates: the ranker's decision turned into ``Commitment`` objects.

Contract: ``decide(work, prepared, model) -> (commitments, candidates, declined)``. Every candidate
is scored; those at or above the model's threshold are commitments (document order; outside reply
letters, in a programme's scope, a clause that is a list of targets from its start is emitted as its targets,
``in_programme`` and ``target_list``), the best
``MAX_CANDIDATES`` of the rest are candidates (highest score first); slots left free are filled with
parts of the commitments (``parts_of``: a reply letter's clause cut at "，", elsewhere a list of targets
cut into its targets, then a list after a colon into its items), so a clerk can add one of the entries
a clause holds. A
commitment's deadline is
its candidate's (own time, else sentence, else inherited scope; see candidates.py); a recurring
schedule gives no date and sets ``recurring``; a vague time word is kept as ``deadline_text``.
Outside reply letters any other commitment is cut where the model's boundary model says a new entry
opens (``split``, splitting.py). Targets are the quantities inside the clause, agencies the units named as its subject. Declined
points ("建议不再…", "暂不予…") are reported apart and are never commitments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .candidates import Candidate, strength_of
from .metadata import AGENCY_LINE_RE
from .targets import TargetIndex, find_targets
from .types import Commitment, Declined, Metadata

MAX_CANDIDATES = 5
_DECLINED = re.compile(r"建议不再|不再单独|暂不予|不予采纳|暂不具备|无法采纳|难以采纳|暂无法|不宜再")
_SUBJECT_END = re.compile(r"将|计划|拟|预计|力争|争取|确保|每季度|每半年|每月|负责|牵头")
_SELF = re.compile(r"^(?:我委|我局|我厅|我办|我单位|我部|我院|本委|本局)$")
_AGENCY_WORD = re.compile(r"^(?:[市省州县区]级|各级|各[\u4e00-\u9fff]{1,8}(?:部门|单位))$")
_LEAD_WORDS = re.compile(r"^(?:同时|并|此外|另外|待[^，]*后)")
_AND = re.compile(r"[、和及与]")
_COMMA = re.compile(r"[，,]")
_COLON = re.compile(r"[：:]")
_ENUM_SEP = re.compile(r"、")
_PIECE_TAIL = " \t\u3000，,：:；;。！？!?"
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
    a = line + 1  # (five calls written out: a generator of them cost more than the searches)
    find = text.rfind
    return (
        max(line, find("。", a, pos), find("！", a, pos), find("？", a, pos), find("!", a, pos), find("?", a, pos)) + 1
    )


def _strength(text: str, s: int, e: int) -> str:
    """The clause's own marker word, else one earlier in its sentence ("力争…，到2025年新增…")."""
    own = strength_of(text[s:e])
    if own != "other":
        return own
    return strength_of(text[sentence_start(text, s) : s])


def to_commitment(
    text: str, c: Candidate, meta: Metadata, score: float, targets: TargetIndex | None = None
) -> Commitment:
    """The commitment a candidate states, with its deadline, targets, agencies and score (``targets``: the text's
    ``TargetIndex``, which spares the scan of a span without any)."""
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
        targets=tuple(find_targets(text, s, e, targets)),
        agencies=agencies(text, s, e, meta),
        strength=_strength(text, s, e),
        section_kind=c.clause.unit.section_kind,
        score=round(score, 4),
        signals=c.signals,
    )


def target_pieces(text: str, c: Candidate) -> list[Candidate]:
    """The parts of a clause that lists targets ("地区生产总值增长5%左右，规上工业增加值增长6%左右，…"):
    cut before each "，"-part that holds a quantity, when two or more parts do; a part without one stays
    with the part before it. Each part keeps the clause's deadline and signals. ANNOTATION.md makes each
    target of a programme an entry of its own; the ranker's grain is the clause, so a clause is emitted as
    its parts only when it is a list of targets from its start (``target_list``); otherwise the parts are
    offered beside it in the free candidate slots (``parts_of``)."""
    commas = list(_COMMA.finditer(text, c.start, c.end))
    if not commas:
        return []
    starts = [c.start] + [m.end() for m in commas]
    ends = [m.start() for m in commas] + [c.end]
    tstarts = [t.start for t in find_targets(text, c.start, c.end)]
    cut = [a for a, b in zip(starts, ends, strict=True) if any(a <= t < b for t in tstarts)]
    if len(cut) < 2:
        return []
    out = _cut_at(text, c, [c.start, *(a for a in cut if a > c.start), c.end + 1], shortest=4)
    return out if len(out) >= 2 else []


def target_list(text: str, c: Candidate, targets: TargetIndex | None = None) -> list[Candidate]:
    """The targets of a clause that lists targets from its start ("城镇调查失业率5.5%左右，城镇新增就业70万人
    以上"; "新增3条…，新增5000个…"), as ``target_pieces`` cuts them; [] when its first "，"-part holds no
    quantity ("狠抓项目建设，培育强劲动能，谋划工业项目150个以上，…": a task with its figures, kept whole, as
    the blind sets keep a report's sentence). A part whose quantity opens it (at most two characters
    before) in the unit of the part before stays with it ("创建市级示范社区3个，县级8个")."""
    first = _COMMA.search(text, c.start, c.end)
    if first is None or not find_targets(text, c.start, first.start(), targets):
        return []
    out: list[Candidate] = []
    for p in target_pieces(text, c):
        own = find_targets(text, p.start, p.end)
        before = find_targets(text, out[-1].start, out[-1].end) if out else []
        if own and before and own[0].start - p.start <= 2 and own[0].unit == before[-1].unit:
            out[-1] = replace(out[-1], end=p.end)  # no head of its own, same unit: the same target's breakdown
        else:
            out.append(p)
    return out if len(out) >= 2 else []


def in_programme(c: Candidate) -> bool:
    """The clause lies in a programme's scope: a section for a coming period (structure.py's ``programme``,
    under a heading or list head that names one, "2025年民生实事项目"; or ``next_steps``, a report's
    "2025年工作安排"), where ANNOTATION.md makes each target and task an entry of its own. A news feature's
    or a review's sentence keeps its targets together, as the seeds' gold does."""
    return c.clause.unit.section_kind in ("programme", "next_steps")


def comma_pieces(text: str, c: Candidate) -> list[Candidate]:
    """The "，"-parts (six characters or more) of a clause of three parts or more, each with the clause's
    deadline and signals: in a reply letter one sentence often holds two actions ("…反馈至市住建局，尽早
    启动项目前期工作，我处积极配合") that the gold gives as two entries."""
    bounds = [c.start, *(m.end() for m in _COMMA.finditer(text, c.start, c.end)), c.end + 1]
    if len(bounds) < 4:
        return []
    return _cut_at(text, c, bounds, shortest=6)


def _cut_at(text: str, c: Candidate, bounds: list[int], *, shortest: int) -> list[Candidate]:
    """The pieces of ``c`` between consecutive ``bounds`` (each ends one character before the next bound), their
    trailing punctuation trimmed, those of at least ``shortest`` characters."""
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        e = min(b - 1, c.end)
        while e > a and text[e - 1] in _PIECE_TAIL:
            e -= 1
        if e - a >= shortest:
            out.append(replace(c, start=a, end=e))
    return out


def list_pieces(text: str, c: Candidate) -> list[Candidate]:
    """The "、"-items (four characters or more) of a list after a colon in the clause, three or more
    ("10项重点建设项目为：苹果园基础设施提升工程、东城提黄灌溉工程、…"): a programme's items."""
    colon = _COLON.search(text, c.start, c.end)
    if colon is None:
        return []
    bounds = [colon.end(), *(m.end() for m in _ENUM_SEP.finditer(text, colon.end(), c.end)), c.end + 1]
    if len(bounds) < 4:
        return []
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        e = min(b - 1, c.end)
        while e > a and text[e - 1] in _PIECE_TAIL + "、":
            e -= 1
        if e - a >= 4:
            out.append(replace(c, start=a, end=e))
    return out


def parts_of(text: str, kept: list[Candidate], *, reply: bool) -> list[list[Candidate]]:
    """The parts of the commitments ``kept`` offered in the free candidate slots, in groups: in a reply
    letter their "，"-parts (``comma_pieces``); elsewhere their targets (``target_pieces``), then the
    items of a list after a colon (``list_pieces``). Each span once, never a commitment's own span."""
    cuts = (comma_pieces,) if reply else (target_pieces, list_pieces)
    seen = {(c.start, c.end) for c in kept}
    groups = []
    for cut in cuts:
        group = []
        for c in kept:
            for p in cut(text, c):
                if (p.start, p.end) not in seen:
                    seen.add((p.start, p.end))
                    group.append(p)
        groups.append(group)
    return groups


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


def decide(
    text: str,
    cands: list[Candidate],
    scores: list[float],
    threshold: float,
    meta: Metadata,
    offer: Callable[[list[Candidate]], list[tuple[float, Candidate]]] | None = None,
    *,
    cut_targets: bool = False,
    split: Callable[[Candidate], list[Candidate]] | None = None,
    targets: TargetIndex | None = None,
):
    """See module docstring. ``offer``: given the candidates kept as commitments, their parts with scores
    (``parts_of``, scored), in the order they are offered; called only when the candidates below the
    threshold leave some of the ``MAX_CANDIDATES`` slots free. ``cut_targets`` (outside reply letters): a
    commitment in a programme's scope (``in_programme``) that is a list of targets (``target_list``) is
    emitted as its targets, each with the
    clause's score; the offered parts are then those of its targets. ``split``: the pieces of a commitment
    clause that holds several entries (the model's boundary cut, splitting.py), [] to keep it whole; each piece
    is emitted with the clause's score. ``targets``: the text's ``TargetIndex`` (targets.py), when the caller has
    one: a span it does not reach is not scanned for targets."""
    declined = find_declined(text)
    commitments: list[Commitment] = []
    kept: list[Candidate] = []
    rest: list[tuple[float, Candidate]] = []
    for c, sc in zip(cands, scores, strict=True):
        if declined and any(d.start < c.end and c.start < d.end for d in declined):
            continue
        if sc >= threshold:
            parts = (
                (target_list(text, c, targets) if cut_targets and in_programme(c) else [])
                or (split(c) if split else [])
                or [c]
            )
            commitments.extend(to_commitment(text, p, meta, sc, targets) for p in parts)
            kept.extend(parts)
        else:
            rest.append((sc, c))
    rest.sort(key=lambda x: (-x[0], x[1].start))
    if offer is not None and kept and len(rest) < MAX_CANDIDATES:
        rest.extend(offer(kept))
    candidates = [to_commitment(text, c, meta, sc, targets) for sc, c in rest[:MAX_CANDIDATES]]
    return commitments, candidates, declined
