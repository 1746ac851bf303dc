"""Run the pipeline on a set of documents and score them with score.py.

Usage: python -m benchmarks.score_seeds [SHARED_DIR] [--gold GOLD.json] [--docs DIR] [--details] [--json OUT]
SHARED_DIR defaults to ``benchmarks.paths.shared_dir()`` (``LUOSHI_SHARED``, else ../shared beside the repository or
beside the main checkout of a git worktree; it holds seeds/ and eval/).
Without --gold/--docs the seeds are scored against eval/seeds-gold.json. ``--gold`` alone takes the
documents from the gold file's directory (e.g. ``--gold corpus/dev/gold.json``).
Only the documents named in the gold file are run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.paths import SHARED
from responses.extraction import extract_bytes  # run from the repository root: python -m benchmarks…

ROOT = Path(__file__).resolve().parent.parent


def predict(gold: Path, docs: Path, out_dir: Path) -> None:
    """Write one prediction JSON per gold document into ``out_dir``."""
    for doc in json.loads(gold.read_text(encoding="utf-8")):
        path = docs / doc["file"]
        result = extract_bytes(path.read_bytes(), path.name)
        (out_dir / f"{path.stem}.json").write_text(
            json.dumps(result.to_prediction(), ensure_ascii=False, indent=2), encoding="utf-8"
        )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("shared", nargs="?", default=str(SHARED))
    ap.add_argument("--gold", type=Path, help="gold JSON (default SHARED/eval/seeds-gold.json)")
    ap.add_argument(
        "--docs", type=Path, help="documents directory (default: the gold file's directory, or SHARED/seeds)"
    )
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--json", type=Path, help="also write score.py's JSON results here")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    gold = args.gold or shared / "eval" / "seeds-gold.json"
    docs = args.docs or (gold.parent if args.gold else shared / "seeds")
    with tempfile.TemporaryDirectory() as tmp:
        predict(gold, docs, Path(tmp))
        cmd = [sys.executable, str(shared / "eval" / "score.py"), str(gold), tmp]
        if args.details:
            cmd.append("--details")
        if args.json:
            cmd += ["--json", str(args.json)]
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
