"""Writes of the search app: rebuilding the maintained search columns of every searchable model."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from commitments.models import Commitment
from proposals.models import Agency, Proposal
from responses.models import Document

MODELS = {"agency": Agency, "proposal": Proposal, "document": Document, "commitment": Commitment}


def search_index_rebuild(
    *, kinds: list[str] | None = None, batch: int = 2000, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Recompute search_text and search_vector of every row (or of the given kinds), in batches by primary key."""
    done: dict[str, int] = {}
    for kind, model in MODELS.items():
        if kinds and kind not in kinds:
            continue
        count, last = 0, 0
        manager = model._default_manager  # type: ignore[attr-defined]
        while True:
            with transaction.atomic():
                qs = manager.filter(pk__gt=last).order_by("pk")
                if model is Proposal:
                    qs = qs.prefetch_related("proposer_links__proposer")
                elif model is Document:
                    qs = qs.select_related("response")
                rows = list(qs[:batch])
                if not rows:
                    break
                for row in rows:
                    row.search_refresh()
                manager.bulk_update(rows, ["search_text", "search_vector"])
            count += len(rows)
            last = rows[-1].pk
            if progress:
                progress(kind, count)
        done[kind] = count
    return done
