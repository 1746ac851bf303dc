"""Learning from clerks' corrections: what the extraction proposed set against what the clerk confirmed.

- ``extracted_items(extraction)`` lists what the preview showed (commitments, then candidates) with their spans
  and scores; ``corrections(extracted, finals)`` compares them with the confirmed items (each carrying the span
  of the extracted item it came from, ``origin``) and gives one row per item: kept (a commitment confirmed
  unchanged), edited (its text or deadline changed), removed (a commitment the clerk deleted), added (a
  candidate the clerk added, or an item typed by hand). Candidates left alone are not recorded.
- ``correction_documents()`` turns the recorded corrections of the preview into training documents: the
  confirmed texts (kept, edited, added) are that document's commitments, every other candidate a negative
  (removed ones included), exactly as a corpus gold file labels its document.
- ``loso_score(sets, trained_on)`` is the leave-one-set-out score the weekly retraining compares; the model
  files live under ``settings.EXTRACTOR_MODEL_DIR`` (``ranker-v<N>.json``, and ``current.json`` the promoted
  copy the pipeline reads; the shipped model is the fallback).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from responses.extraction import ranker

from .choices import FeedbackAction, FeedbackProposed, FeedbackSource

CORRECTIONS_SET = "corrections"


@dataclass(frozen=True)
class ExtractedItem:
    """One commitment or candidate the extraction proposed (what the clerk saw in the preview)."""

    proposed: str  # FeedbackProposed.COMMITMENT | CANDIDATE
    text: str
    start: int
    end: int
    score: float | None
    deadline: dt.date | None


@dataclass(frozen=True)
class FinalItem:
    """One confirmed commitment: its text, deadline and the extracted span it came from (None: typed by hand)."""

    text: str
    deadline: dt.date | None
    origin: tuple[int, int] | None


def extracted_items(extraction) -> list[ExtractedItem]:
    """The extraction's commitments and candidates as ``ExtractedItem``s."""
    out = []
    for kind, items in (
        (FeedbackProposed.COMMITMENT, extraction.commitments),
        (FeedbackProposed.CANDIDATE, extraction.candidates),
    ):
        for c in items:
            out.append(ExtractedItem(str(kind), c.text, c.start, c.end, c.score, c.deadline))
    return out


def corrections(extracted: Sequence[ExtractedItem], finals: Sequence[FinalItem]) -> list[dict]:
    """One row (model field → value) per confirmed item and per removed commitment; see module docstring."""
    by_span = {(e.start, e.end): e for e in extracted}
    used: set[tuple[int, int]] = set()
    rows = []
    for f in finals:
        e = by_span.get(f.origin) if f.origin is not None else None
        if e is not None and f.origin in used:
            e = None  # a second copy of one extracted item (a split): the copy is the clerk's own addition
        row = {"final_text": f.text, "final_deadline": f.deadline, "proposed": FeedbackProposed.NONE}
        if e is None:
            row["action"] = FeedbackAction.ADDED
        else:
            used.add((e.start, e.end))
            row.update(_extracted_fields(e))
            if e.proposed == FeedbackProposed.CANDIDATE:
                row["action"] = FeedbackAction.ADDED
            elif f.text.strip() == e.text.strip() and f.deadline == e.deadline:
                row["action"] = FeedbackAction.KEPT
            else:
                row["action"] = FeedbackAction.EDITED
        rows.append(row)
    for e in extracted:
        if e.proposed == FeedbackProposed.COMMITMENT and (e.start, e.end) not in used:
            rows.append(
                {"action": FeedbackAction.REMOVED, "final_text": "", "final_deadline": None, **_extracted_fields(e)}
            )
    return rows


def _extracted_fields(e: ExtractedItem) -> dict:
    return {
        "proposed": e.proposed,
        "extracted_text": e.text,
        "extracted_start": e.start,
        "extracted_end": e.end,
        "extracted_score": e.score,
        "extracted_deadline": e.deadline,
    }


POSITIVE = (FeedbackAction.KEPT, FeedbackAction.EDITED, FeedbackAction.ADDED)


def correction_documents() -> list[tuple[str, str, ranker.Prepared, list[int]]]:
    """Labelled training documents from the clerks' confirmed previews (set ``corrections``), by document id."""
    from .models import Document, ExtractionFeedback

    quotes: dict[int, list[str]] = {}
    rows = ExtractionFeedback.objects.filter(source=FeedbackSource.PREVIEW).order_by("document_id", "pk")
    for doc_id, action, text in rows.values_list("document_id", "action", "final_text"):
        quotes.setdefault(doc_id, [])
        if action in POSITIVE and text.strip():
            quotes[doc_id].append(text)
    texts = dict(Document.objects.filter(pk__in=quotes).values_list("pk", "text"))
    return [ranker.label_text(CORRECTIONS_SET, f"document-{pk}", texts[pk], quotes[pk]) for pk in sorted(texts)]


def corpus_documents(corpus: Path, seeds_gold: Path | None = None) -> list[tuple[str, str, ranker.Prepared, list[int]]]:
    """The annotated corpus (and the seeds, when their gold file exists) labelled as ``train_extractor`` does."""
    docs = []
    for gold in sorted(corpus.glob("*/gold.json")):
        docs += [(d, gold.parent) for d in json.loads(gold.read_text(encoding="utf-8"))]
    if seeds_gold is not None and seeds_gold.is_file():
        seeds_dir = seeds_gold.parent.parent / "seeds"
        docs += [(d, seeds_dir) for d in json.loads(seeds_gold.read_text(encoding="utf-8"))]
    return ranker.labelled(docs)


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def loso_score(data, trained_on: Iterable[str] | None = None, seed: int = 0) -> tuple[float, float]:
    """(dated F1, all F1) pooled over sets, each set scored by a model trained on the others.

    Scored on candidates (a commitment is a candidate the held-out model puts at or above its threshold,
    right when its label is 1; "dated" counts only candidates with a deadline), so it leaves out the
    commitments no rule proposes: lower bound of nothing, a like-for-like comparison of two training sets.
    ``trained_on`` limits the training sets (the current model's recipe: the corpus without corrections).
    """
    allowed = set(trained_on) if trained_on is not None else None
    names = sorted({d[0] for d in data})
    counts = {"all": [0, 0, 0], "dated": [0, 0, 0]}
    for held in names:
        train = [d for d in data if d[0] != held and (allowed is None or d[0] in allowed)]
        if not train or not any(sum(d[3]) for d in train):
            continue
        model = ranker.train_labelled(train, seed=seed, folds=3)
        for _set, _file, p, labels in (d for d in data if d[0] == held):
            for cand, score, y in zip(p.candidates, model.rank(p.work, p.candidates, p.units), labels, strict=True):
                pred = score >= model.threshold
                for key in ("all", "dated") if cand.deadline is not None else ("all",):
                    c = counts[key]
                    c[0] += int(pred and y)
                    c[1] += int(pred and not y)
                    c[2] += int(y and not pred)
    return _f1(*counts["dated"]), _f1(*counts["all"])


def model_dir() -> Path:
    """Where trained models are kept (``EXTRACTOR_MODEL_DIR``, by default under MEDIA_ROOT)."""
    return Path(settings.EXTRACTOR_MODEL_DIR)


def promoted_path() -> Path:
    """The promoted model's copy that the pipeline reads (``ranker.PROMOTED``)."""
    return model_dir() / "current.json"
