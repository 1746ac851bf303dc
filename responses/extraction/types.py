"""Frozen dataclasses passed between the extraction stages and returned to callers.

Offsets (``start``/``end``) are character offsets into ``Extraction.text``, the cleaned text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A named span of the cleaned text (a metadata field's evidence)."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression found in the text, normalised against the reference date."""

    start: int
    end: int
    text: str
    deadline: dt.date | None
    precision: str  # day | month | quarter | half | year | none
    recurring: str | None = None  # quarterly | half-yearly | monthly | yearly | weekly
    vague: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """A quantity promised, multiplied out (300 亿元 → 30000000000 元)."""

    text: str
    value: int | float
    unit: str
    start: int = -1
    end: int = -1

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value, "unit": self.unit}


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered section: level 1 (一、), 2 （一）, 3 (1.) or a markdown heading."""

    number: str
    heading: str
    level: int
    kind: str  # past | response | next_steps | other
    start: int
    end: int
    heading_start: int
    heading_end: int


@dataclass(frozen=True, slots=True)
class Commitment:
    """A forward-looking clause with its deadline, targets and responsible agencies."""

    text: str
    start: int
    end: int
    deadline: dt.date | None
    deadline_text: str | None
    precision: str
    recurring: str | None
    targets: tuple[Target, ...]
    agencies: tuple[str, ...]
    strength: str  # 确保 | 力争 | 争取 | 将 | 计划 | 预计 | other
    section_kind: str
    score: float | None = None  # the ranker's probability that this clause is a commitment
    signals: tuple[str, ...] = ()  # why it was proposed (candidates.py): scope, time words, markers

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "precision": self.precision,
            "recurring": self.recurring,
            "targets": [t.to_dict() for t in self.targets],
            "agencies": list(self.agencies),
            "strength": self.strength,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class Declined:
    """A point the agency declines ("建议不再单独…出台相关文件"): not a commitment."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Metadata:
    """Header and footer facts of a reply letter; unknown values are None or ()."""

    doc_number: str | None = None
    agency: str | None = None
    body: str | None = None  # 人大 | 政协
    proposal_kind: str | None = None  # 建议 | 提案 | 议案
    session: str | None = None
    proposal_number: str | None = None
    proposal_title: str | None = None
    proposers: tuple[str, ...] = ()
    lead_agency: str | None = None
    co_agencies: tuple[str, ...] = ()
    reply_date: dt.date | None = None
    category: str | None = None  # A | B | C | D
    contact_name: str | None = None
    contact_phones: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    disclosure: str | None = None  # 公开 | 不公开
    is_draft: bool = False
    session_jurisdiction: str | None = None
    session_term: int | None = None
    session_meeting: int | None = None
    lead_official: str | None = None
    supervising_official: str | None = None
    issued_date: dt.date | None = None
    spans: tuple[Span, ...] = ()

    PREDICTION_FIELDS = (
        "doc_number",
        "agency",
        "body",
        "proposal_kind",
        "session",
        "proposal_number",
        "proposal_title",
        "proposers",
        "lead_agency",
        "co_agencies",
        "reply_date",
        "category",
        "contact_name",
        "contact_phones",
        "cc",
    )

    def to_dict(self) -> dict:
        out: dict = {}
        for name in self.PREDICTION_FIELDS:
            v = getattr(self, name)
            if isinstance(v, dt.date):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = list(v)
            out[name] = v
        return out

    def span(self, name: str) -> Span | None:
        for s in self.spans:
            if s.name == name:
                return s
        return None


@dataclass(frozen=True, slots=True)
class Extraction:
    """The pipeline's result for one document."""

    text: str
    metadata: Metadata
    sections: tuple[Section, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    candidates: tuple[Commitment, ...] = ()  # ranked below the threshold, highest score first
    declined: tuple[Declined, ...] = ()
    reference_date: dt.date | None = None
    source_format: str = "text"
    warnings: tuple[str, ...] = field(default=())

    def to_prediction(self) -> dict:
        """The PREDICTION.md JSON object."""
        return {
            "metadata": self.metadata.to_dict(),
            "commitments": [c.to_dict() for c in self.commitments],
            "candidates": [c.to_dict() for c in self.candidates],
        }
