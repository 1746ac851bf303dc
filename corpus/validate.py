"""Check a corpus set's gold.json: it parses, every file exists, every quote, deadline_text and target text is an exact substring."""

import json
import re
import sys
from pathlib import Path

PRECISIONS = {"day", "month", "quarter", "half", "year", "none"}
KINDS = {"reply", "news", "report", "other"}


def check(gold_path: Path) -> list[str]:
    """Return the problems found in one gold file (empty when it is sound)."""
    problems = []
    docs = json.loads(gold_path.read_text(encoding="utf-8"))
    for doc in docs:
        where = f"{gold_path.parent.name}/{doc['doc_id']}"
        text = (gold_path.parent / doc["file"]).read_text(encoding="utf-8")
        if doc["kind"] not in KINDS:
            problems.append(f"{where}: kind {doc['kind']!r}")
        for i, c in enumerate(doc["commitments"]):
            if c["quote"] not in text:
                problems.append(f"{where}#{i}: quote not in text: {c['quote'][:40]}")
            if c["deadline_text"] is not None and c["deadline_text"] not in text:
                problems.append(f"{where}#{i}: deadline_text not in text: {c['deadline_text']}")
            if c["precision"] not in PRECISIONS:
                problems.append(f"{where}#{i}: precision {c['precision']!r}")
            if (c["deadline"] is None) != (c["precision"] == "none"):
                problems.append(f"{where}#{i}: deadline {c['deadline']} with precision {c['precision']}")
            if c["deadline"] is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", c["deadline"]):
                problems.append(f"{where}#{i}: deadline {c['deadline']!r}")
            for t in c["targets"]:
                if t["text"] not in c["quote"]:
                    problems.append(f"{where}#{i}: target text {t['text']} not in quote")
    return problems


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(Path(__file__).parent.glob("*/gold.json"))
    found = [p for path in paths for p in check(path)]
    print("\n".join(found) or f"ok: {len(paths)} gold file(s)")
    sys.exit(1 if found else 0)
