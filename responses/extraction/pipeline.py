"""Pipeline: wires the stages together.

Contract: ``extract_text(text, reference_date=None)`` cleans ``text`` and returns an
``Extraction`` whose offsets refer to ``Extraction.text``; it raises nothing but
``EmptyDocument`` (blank input) and, when given ``budgets``, ``BudgetExceeded`` (text too long, too
many commitments, over time: checked between stages). ``extract_bytes(data, filename, max_bytes=...,
budgets=...)`` reads the file first (see ``reading``) within the same budgets and raises only
``ExtractionError`` subclasses on bad input.
The reference date for deadlines is, in order: the argument, the letter's signing date, a date
inferred from the text (the latest year it speaks of as the present), ``received`` (the day the
document was received or published; default today) when the text names no year at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from functools import partial

from .budgets import DEFAULT_BUDGETS, Budgets, Deadline, check_candidates, check_text, too_many_commitments
from .candidates import Candidate, propose
from .cleaning import clean
from .commitments import decide, parts_of
from .errors import EmptyDocument
from .metadata import extract_metadata, infer_reference_date
from .ranker import Model, current_model, is_letter, is_reply
from .reading import read_bytes
from .script import as_written, to_simplified
from .sections import find_sections
from .structure import read_structure
from .targets import TargetIndex
from .types import Extraction, Metadata


def extract_text(
    text: str,
    *,
    reference_date: dt.date | None = None,
    source_format: str = "text",
    budgets: Budgets | None = None,
    deadline: Deadline | None = None,
    model: Model | None = None,
    received: dt.date | None = None,
) -> Extraction:
    """Run every stage on already-decoded text (within ``budgets`` when given; ``model``: a ranker
    other than the one in use). The stages are those of ``ranker.prepare``, with budget checks."""
    if not isinstance(text, str):
        raise TypeError("text must be str")
    if budgets is not None:
        deadline = deadline or budgets.deadline()
        check_text(text, budgets)
    check = deadline.check if deadline is not None else _no_check
    cleaned = clean(text)
    if not cleaned.strip():
        raise EmptyDocument()
    check()
    # A traditional-script page is read through a simplified copy of the same length (script.py).
    work = to_simplified(cleaned)
    if budgets is not None:
        check_candidates(work, budgets)
    meta = extract_metadata(work)
    check()
    ref = reference_date or meta.reply_date or infer_reference_date(work, received)
    sections = find_sections(work)
    reply = is_reply(meta)
    structure = read_structure(work, sections, ref)
    targets = TargetIndex(work)  # the text's quantities, found once: propose and the commitments' targets read it
    cands = propose(work, structure, ref, is_reply=reply, is_letter=is_letter(meta), targets=targets)
    check()
    model = model or current_model()
    scores = model.rank(work, cands, structure.units)
    commitments, candidates, declined = decide(
        work,
        cands,
        scores,
        model.threshold,
        meta,
        partial(_offer, work, model, reply),
        cut_targets=not reply,
        split=None if reply else partial(model.split, work, reply, targets=targets),
        targets=targets,
    )
    check()
    cap = budgets.max_commitments if budgets is not None else 0
    if cap and len(commitments) > cap:
        raise too_many_commitments(len(commitments), cap)
    if work is not cleaned:
        meta, sections, commitments, declined = _as_written(cleaned, work, meta, sections, commitments, declined)
        candidates = _as_written(cleaned, work, meta, [], candidates, [])[2]
    return Extraction(
        text=cleaned,
        metadata=meta,
        sections=tuple(sections),
        commitments=tuple(commitments),
        candidates=tuple(candidates),
        declined=tuple(declined),
        reference_date=ref,
        source_format=source_format,
    )


def _offer(work: str, model: Model, reply: bool, kept: list[Candidate]) -> list[tuple[float, Candidate]]:
    """The parts of the commitments ``kept`` as candidates (commitments.py ``parts_of``): group by group,
    best first within a group."""
    out: list[tuple[float, Candidate]] = []
    for group in parts_of(work, kept, reply=reply):
        out.extend(sorted(zip(model.score(work, group), group, strict=True), key=lambda x: (-x[0], x[1].start)))
    return out


def _as_written(original: str, work: str, meta: Metadata, sections, commitments, declined):
    """Quotes and metadata of a traditional-script page as the page wrote them (same offsets)."""

    def w(value):
        return as_written(value, work, original)

    meta = replace(meta, **{f.name: w(getattr(meta, f.name)) for f in fields(meta) if f.name != "spans"})
    sections = [
        replace(s, heading=original[s.heading_start : s.heading_end].strip().strip("*").strip()) for s in sections
    ]
    commitments = [
        replace(
            c,
            text=original[c.start : c.end],
            deadline_text=w(c.deadline_text),
            agencies=w(c.agencies),
            targets=tuple(replace(t, text=w(t.text)) for t in c.targets),
        )
        for c in commitments
    ]
    declined = [replace(d, text=original[d.start : d.end]) for d in declined]
    return meta, sections, commitments, declined


def _no_check() -> None:
    return None


def extract_bytes(
    data: bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    budgets: Budgets | None = None,
    reference_date: dt.date | None = None,
    received: dt.date | None = None,
) -> Extraction:
    """Read a file's bytes (.txt/.docx/.pdf/.html) and extract, within ``budgets`` (default ``Budgets()``).

    ``max_bytes``, when given, overrides ``budgets.max_bytes`` (the older keyword).
    """
    budgets = budgets or DEFAULT_BUDGETS
    deadline = budgets.deadline()
    text, fmt = read_bytes(data, filename, max_bytes, budgets=budgets, deadline=deadline)
    return extract_text(
        text,
        reference_date=reference_date,
        source_format=fmt,
        budgets=budgets,
        deadline=deadline,
        received=received,
    )
