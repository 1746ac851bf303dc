"""``python manage.py train_extractor``: train the commitment ranker on the annotated corpus.

Reproducible: documents sorted by set and file, a fixed seed, liblinear. The file records the SHA-256
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
    requires_system_checks: list[str] = []  # no database: reads files, writes one file

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

    def handle(self, *args, **options):
        corpus: Path = options["corpus"]
        docs = []
        for gold in sorted(corpus.glob("*/gold.json")):
            docs += [(d, gold.parent) for d in json.loads(gold.read_text(encoding="utf-8"))]
        seeds_gold = options["seeds_gold"]
        if seeds_gold and str(seeds_gold) and Path(seeds_gold).is_file():
            seeds_dir = Path(seeds_gold).parent.parent / "seeds"
            docs += [(d, seeds_dir) for d in json.loads(Path(seeds_gold).read_text(encoding="utf-8"))]
        if not docs:
            raise CommandError(f"没有标注文档 / No annotated documents under {corpus}")
        t0 = time.perf_counter()
        data = ranker.labelled(docs)
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
            f"trained on {len(docs)} documents ({model.trained_on}): {model.meta['candidates']} candidates, "
            f"{model.meta['positives']} commitments; threshold {model.threshold:.3f}; "
            f"{len(model.grams)} n-gram weights; labels {model.labels_hash[:12]}; "
            f"{out} ({out.stat().st_size // 1024} KB) in {time.perf_counter() - t0:.1f} s"
        )
