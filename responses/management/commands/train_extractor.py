"""``python manage.py train_extractor``: train the commitment ranker on the annotated corpus.

Reproducible: documents sorted by set and file, a fixed seed, liblinear. The clerks' corrections recorded in
the database (``responses.ExtractionFeedback``, one more set named ``corrections``) are added unless
``--no-corrections``; without a database they are left out with a warning. The file records the SHA-256
of the training labels; with ``--if-changed`` nothing is written when the labels are unchanged.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from responses.extraction import ranker


class Command(BaseCommand):
    help = "Train the commitment ranker on corpus/ (and the seeds) and write the model file."
    requires_system_checks: list[str] = []  # reads files (and the corrections when a database is there)

    def add_arguments(self, parser):
        root = Path(settings.BASE_DIR)
        parser.add_argument("--corpus", type=Path, default=root / "corpus", help="folder of <set>/gold.json")
        parser.add_argument(
            "--seeds-gold",
            type=Path,
            default=(root / ".." / "shared" / "eval" / "seeds-gold.json").resolve(),
            help="the seeds' gold file (its documents are read from ../seeds beside eval/); '' to leave out",
        )
        parser.add_argument("--out", type=Path, default=ranker.SHIPPED, help="model file to write (JSON)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--if-changed", action="store_true", help="write only when the labels changed")
        parser.add_argument(
            "--no-corrections",
            action="store_true",
            help="leave out the clerks' corrections recorded in the database (responses/learning.py)",
        )

    def handle(self, *args, **options):
        corpus: Path = options["corpus"]
        docs = []
        for gold in sorted(corpus.glob("*/gold.json")):
            docs += [(d, gold.parent) for d in json.loads(gold.read_text(encoding="utf-8"))]
        seeds_gold = options["seeds_gold"]
        if seeds_gold and str(seeds_gold) and Path(seeds_gold).is_file():
            seeds_dir = Path(seeds_gold).parent.parent / "seeds"
            docs += [(d, seeds_dir) for d in json.loads(Path(seeds_gold).read_text(encoding="utf-8"))]
        elif seeds_gold and str(seeds_gold):
            # Not an error (a deployment may have no seeds), but never silent: a model trained without them scores
            # differently (e.g. from a git worktree, where ../shared is not beside the checkout).
            self.stderr.write(f"未找到种子标注 / seeds gold not found: {seeds_gold} — trained without the seeds")
        if not docs:
            raise CommandError(f"没有标注文档 / No annotated documents under {corpus}")
        t0 = time.perf_counter()
        data = ranker.labelled(docs)
        corrected = [] if options["no_corrections"] else _corrections(self.stderr)
        data += corrected
        out: Path = options["out"]
        if options["if_changed"] and out.exists():
            try:
                old = ranker.read_model(out)
            except ValueError:
                old = None
            if old is not None and old.labels_hash == ranker.labels_hash(data):
                self.stdout.write(f"labels unchanged ({old.labels_hash[:12]}): {out} kept")
                return
        model = ranker.train_labelled(data, seed=options["seed"])
        ranker.save_model(model, out)
        self.stdout.write(
            f"trained on {len(docs)} documents and {len(corrected)} corrected ones ({model.trained_on}): {model.meta['candidates']} candidates, "
            f"{model.meta['positives']} commitments; threshold {model.threshold:.3f}; "
            f"{len(model.grams)} n-gram weights; labels {model.labels_hash[:12]}; "
            f"{out} ({out.stat().st_size // 1024} KB) in {time.perf_counter() - t0:.1f} s"
        )


def _corrections(stderr) -> list:
    from django.db import DatabaseError

    from responses import learning

    try:
        return learning.correction_documents()
    except (DatabaseError, RuntimeError) as e:
        # A checkout without a database (or a test that blocks it: RuntimeError) still trains on the corpus.
        stderr.write(f"corrections left out (no database: {type(e).__name__}: {e})")
        return []
