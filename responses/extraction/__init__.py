"""Extraction pipeline: a reply letter (or news report) → metadata and dated commitments.

Plain Python, no Django. Public interface::

    from responses.extraction import extract_bytes, extract_text, ExtractionError

    extract_bytes(data, filename, *, max_bytes=None, budgets=Budgets()) -> Extraction
    extract_text(text, *, reference_date=None, budgets=None) -> Extraction

Stages (each a module with its contract in its docstring): reading → cleaning → metadata →
sections → dates/targets → commitments; ``pipeline`` wires them together.
"""

from .budgets import DEFAULT_BUDGETS, Budgets
from .errors import (
    BudgetExceeded,
    EmptyDocument,
    ExtractionError,
    FileTooLarge,
    NulBytes,
    ScannedPDF,
    UnsupportedFormat,
)
from .pipeline import extract_bytes, extract_text
from .types import Commitment, Declined, Extraction, Metadata, Section, Span, Target, TimeExpr

__all__ = [
    "DEFAULT_BUDGETS",
    "BudgetExceeded",
    "Budgets",
    "NulBytes",
    "Commitment",
    "Declined",
    "EmptyDocument",
    "Extraction",
    "ExtractionError",
    "FileTooLarge",
    "Metadata",
    "ScannedPDF",
    "Section",
    "Span",
    "Target",
    "TimeExpr",
    "UnsupportedFormat",
    "extract_bytes",
    "extract_text",
]
