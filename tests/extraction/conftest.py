"""Shared helpers for the extraction tests (plain functions, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.paths import shared_dir

ROOT = Path(__file__).resolve().parents[2]
SHARED = shared_dir()  # LUOSHI_SHARED, else ../shared (beside the main checkout of a git worktree too)
# The seed texts are also in the repo (fixtures/documents/), so only the gold needs ../shared.
SEEDS = SHARED / "seeds" if (SHARED / "seeds").is_dir() else ROOT / "fixtures" / "documents"
GOLD = SHARED / "eval" / "seeds-gold.json"


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    paths = seed_paths()
    if not paths:
        pytest.skip(f"seed documents not found under {SEEDS}")
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def commitments_of(text: str, ref) -> list:
    """(text, deadline) of each commitment the pipeline finds in `text`, dated against `ref`."""
    from responses.extraction import extract_text

    return [(c.text, c.deadline) for c in extract_text(text, reference_date=ref).commitments]


class ByText(dict):
    """Candidate text → value, looked up by a part of the text (exactly one candidate holds it)."""

    def __getitem__(self, part: str):
        [hit] = [k for k in self if part in k]
        return dict.__getitem__(self, hit)


def candidate_deadlines(text: str, **kw) -> ByText:
    """Deadline of every proposed candidate (structure and rules: no ranker decision), by its text."""
    from responses.extraction.ranker import prepare

    p = prepare(text, **kw)
    return ByText({p.work[c.start : c.end]: (c.deadline.deadline if c.deadline else None) for c in p.candidates})
