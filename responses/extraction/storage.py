"""Storage: an ``Extraction`` as JSON (to keep it with its document) and back, the pipeline's version,
and the fingerprint of a text for duplicate detection.

Contract: ``extraction_from_json(extraction_to_json(e), e.text) == e`` for every extraction the
pipeline returns (the text itself is not in the JSON: the document keeps it). The JSON follows the
dataclasses in ``types.py`` field by field, so a field added there is stored without a change here.
``pipeline_version()`` is the version stored with an extraction: ``PIPELINE_VERSION`` (a digest
of this package's source: any change to a rule changes it) and the digest of the ranker model in
use (a retrained shipped model or a model promoted from clerks' corrections changes it). A stored
extraction with another version is stale; one with the current version holds all the preview shows
(commitments and candidates with their score and signals), so the preview does not extract again. ``text_fingerprint(text)`` is the SHA-256 of the
text after NFKC and whitespace normalisation: the same letter saved as UTF-8 or GB18030, as .txt or
.docx, with other line breaks or full-width spaces, has one fingerprint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import types
import typing
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from .types import Extraction, Metadata


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


PIPELINE_VERSION = _source_digest()


def pipeline_version() -> str:
    """The running pipeline's version: source digest and model digest (at most 32 characters)."""
    from .ranker import current_model

    model = current_model()
    return f"{PIPELINE_VERSION}-{(model.digest or model.labels_hash or 'unnamed')[:15]}"


def extraction_to_json(extraction: Extraction) -> dict:
    """Every field of ``extraction`` but its text, as JSON-ready values (dates as ISO strings)."""
    out = _encode(extraction)
    out.pop("text", None)
    return out


def extraction_from_json(data: dict, text: str) -> Extraction:
    """The ``Extraction`` that ``extraction_to_json`` stored, with ``text`` (the document's cleaned text)."""
    return _decode(Extraction, {**data, "text": text})


def metadata_from_json(data: dict) -> Metadata:
    """The letter's ``Metadata`` alone from what ``extraction_to_json`` stored (its "metadata"), without the text."""
    return _decode(Metadata, data)


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(kind)
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        return kind(**{k: _decode(hints[k], v) for k, v in value.items() if k in names})
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value


_SPACE = re.compile(r"\s+")


def text_fingerprint(text: str) -> str:
    """SHA-256 of ``text`` after NFKC, with every run of whitespace dropped."""
    normal = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()
