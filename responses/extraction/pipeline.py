"""Pipeline: wires the stages together.

Contract: ``extract_text(text, reference_date=None)`` cleans ``text`` and returns an
``Extraction`` whose offsets refer to ``Extraction.text``; it raises nothing but
``EmptyDocument`` (blank input). ``extract_bytes(data, filename, max_bytes=...)`` reads the file
first (see ``reading``) and raises only ``ExtractionError`` subclasses on bad input.
The reference date for deadlines is, in order: the argument, the letter's signing date, a date
inferred from the text (the latest year it speaks of as the present).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace

from .cleaning import clean
from .commitments import decide
from .errors import EmptyDocument
from .ranker import Model, current_model, prepare
from .reading import DEFAULT_MAX_BYTES, read_bytes
from .script import as_written
from .types import Extraction, Metadata


def extract_text(
    text: str, *, reference_date: dt.date | None = None, source_format: str = "text", model: Model | None = None
) -> Extraction:
    """Run every stage on already-decoded text (``model``: a ranker other than the one in use)."""
    if not isinstance(text, str):
        raise TypeError("text must be str")
    if not clean(text).strip():
        raise EmptyDocument()
    # A traditional-script page is read through a simplified copy of the same length (script.py).
    p = prepare(text, reference_date)
    cleaned, work, meta, ref, sections = p.cleaned, p.work, p.metadata, p.ref, p.sections
    model = model or current_model()
    scores = model.score(work, p.candidates)
    commitments, candidates, declined = decide(work, p.candidates, scores, model.threshold, meta)
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


def extract_bytes(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES, reference_date: dt.date | None = None
) -> Extraction:
    """Read a file's bytes (.txt/.docx/.pdf/.html) and extract."""
    text, fmt = read_bytes(data, filename, max_bytes)
    return extract_text(text, reference_date=reference_date, source_format=fmt)
