"""Run the pipeline on the seed documents and score them with score.py.

Usage: python -m benchmarks.score_seeds [SHARED_DIR] [--details]
SHARED_DIR defaults to ../shared relative to the repository root (it holds seeds/ and eval/).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from responses.extraction import extract_bytes  # run from the repository root: python -m benchmarks…

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    shared = Path(args[0]) if args else (ROOT / ".." / "shared").resolve()
    seeds = sorted((shared / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        for path in seeds:
            result = extract_bytes(path.read_bytes(), path.name)
            (Path(tmp) / f"{path.stem}.json").write_text(
                json.dumps(result.to_prediction(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
        cmd = [sys.executable, str(shared / "eval" / "score.py"), str(shared / "eval" / "seeds-gold.json"), tmp]
        if "--details" in argv:
            cmd.append("--details")
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
