"""Dump every extraction of the corpus and the seeds, to check that a change leaves them byte-identical.

Usage: python -m benchmarks.dump_extractions OUT_DIR [--corpus corpus] [--seeds /work/shared/seeds]

Each ``.txt`` document under ``corpus/`` (every set, the evidence folders' texts too) and each seed is
extracted with ``extract_bytes(data, name)`` and written as one JSON file: ``to_prediction()`` (the
PREDICTION.md object), every field of the ``Extraction`` but its text (``storage.extraction_to_json``:
commitments and candidates with their spans, scores, signals, deadlines, targets; the metadata; sections;
declined points; the reference date; floats written by ``repr``, so exactly) and the SHA-256 of the cleaned
text. A document that raises is dumped as its error's class and code. The last line printed is one
SHA-256 over all the files in name order: two runs agree on it only if every extraction is identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from benchmarks.paths import SHARED
from responses.extraction import ExtractionError, extract_bytes  # run from the repository root
from responses.extraction.storage import extraction_to_json

ROOT = Path(__file__).resolve().parent.parent


def documents(corpus: Path, seeds: Path | None) -> list[tuple[str, Path]]:
    """(dump name, path) of every corpus ``.txt`` document and every seed, in a fixed order."""
    docs = [(str(p.relative_to(corpus)), p) for p in sorted(corpus.rglob("*.txt"))]
    if seeds is not None:
        docs += [(f"seeds/{p.name}", p) for p in sorted(seeds.glob("*.txt"))]
    return docs


def dump_one(path: Path) -> str:
    """The JSON text that stands for the extraction of ``path``."""
    try:
        e = extract_bytes(path.read_bytes(), path.name)
    except ExtractionError as exc:
        return json.dumps({"error": type(exc).__name__, "code": exc.code}, ensure_ascii=False)
    body = {
        "prediction": e.to_prediction(),
        "extraction": extraction_to_json(e),
        "text_sha256": hashlib.sha256(e.text.encode("utf-8")).hexdigest(),
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="directory for the dumps (created)")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--seeds", default=str(SHARED / "seeds"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    seeds = Path(args.seeds)
    docs = documents(Path(args.corpus), seeds if seeds.is_dir() else None)
    total = hashlib.sha256()
    for name, path in docs:
        text = dump_one(path)
        (out / (name.replace("/", "__") + ".json")).write_text(text, encoding="utf-8")
        total.update(name.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    print(f"{len(docs)} documents dumped to {out}")
    print(total.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main())
