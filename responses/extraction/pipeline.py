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

from .cleaning import clean
from .commitments import extract_commitments
from .errors import EmptyDocument
from .metadata import extract_metadata, infer_reference_date
from .reading import DEFAULT_MAX_BYTES, read_bytes
from .sections import find_sections
from .types import Extraction


def extract_text(text: str, *, reference_date: dt.date | None = None, source_format: str = "text") -> Extraction:
    """Run every stage on already-decoded text."""
    if not isinstance(text, str):
        raise TypeError("text must be str")
    cleaned = clean(text)
    if not cleaned.strip():
        raise EmptyDocument()
    meta = extract_metadata(cleaned)
    ref = reference_date or meta.reply_date or infer_reference_date(cleaned)
    sections = find_sections(cleaned)
    commitments, declined = extract_commitments(cleaned, sections, meta, ref)
    return Extraction(
        text=cleaned,
        metadata=meta,
        sections=tuple(sections),
        commitments=tuple(commitments),
        declined=tuple(declined),
        reference_date=ref,
        source_format=source_format,
    )


def extract_bytes(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES, reference_date: dt.date | None = None
) -> Extraction:
    """Read a file's bytes (.txt/.docx/.pdf/.html) and extract."""
    text, fmt = read_bytes(data, filename, max_bytes)
    return extract_text(text, reference_date=reference_date, source_format=fmt)
