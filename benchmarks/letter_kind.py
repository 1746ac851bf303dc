"""How often the pipeline's letter decision disagrees with the gold ``kind`` (session 13, s13kind).

Usage: python -m benchmarks.letter_kind [--sets fresh13,fresh14] [--list]

Each document of each set of ``corpus/`` (every set with a gold file unless ``--sets``) is read as the pipeline reads
it (``read_bytes`` → ``clean`` → ``to_simplified`` → ``extract_metadata``) and the two decisions of ``ranker.py`` are
taken: ``is_letter`` (no document period, no genre signals) and ``is_reply`` (the ranker's ``doc:reply`` signal, no
target or boundary cut). Printed: a confusion table per decision against the gold (``kind == "reply"`` against news,
report and other), and with ``--list`` every document on which a decision is wrong, with the metadata fields that made
it. No model is loaded.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from benchmarks.eval_extraction import corpus_sets
from responses.extraction.cleaning import clean
from responses.extraction.metadata import extract_metadata
from responses.extraction.ranker import is_letter, is_reply
from responses.extraction.reading import read_bytes
from responses.extraction.script import to_simplified

DECISIONS = ("is_letter", "is_reply")
FIELDS = ("proposal_title", "body", "proposal_number", "doc_number")


def read_kinds(sets: dict[str, tuple[Path, list[dict]]]) -> list[dict]:
    """One row per document: set, file, gold kind, each decision, and the metadata fields found."""
    rows = []
    for name, (folder, gold) in sets.items():
        for doc in gold:
            path = folder / doc["file"]
            text, _fmt = read_bytes(path.read_bytes(), path.name)
            meta = extract_metadata(to_simplified(clean(text)))
            rows.append(
                {
                    "set": name,
                    "file": doc["file"],
                    "kind": doc.get("kind"),
                    "is_letter": is_letter(meta),
                    "is_reply": is_reply(meta),
                    "fields": [f for f in FIELDS if getattr(meta, f)],
                }
            )
    return rows


def confusion(rows: list[dict], decision: str) -> dict[str, int]:
    """Counts of (gold reply or not) × (decision true or false), and the wrong ones per gold kind."""
    c: Counter[str] = Counter()
    for r in rows:
        gold = r["kind"] == "reply"
        said = r[decision]
        c[("reply" if gold else "other") + ("→letter" if said else "→not")] += 1
        if gold != said:
            c[f"wrong:{r['kind']}"] += 1
    return dict(c)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", help="comma-separated sets (default: every set of corpus/ with a gold file)")
    ap.add_argument("--list", action="store_true", help="print every document a decision reads wrong")
    args = ap.parse_args(argv)
    sets = corpus_sets()
    if args.sets:
        sets = {n: sets[n] for n in args.sets.split(",")}
    rows = read_kinds(sets)
    print(f"{len(rows)} documents; gold kinds {dict(sorted(Counter(str(r['kind']) for r in rows).items()))}")
    for decision in DECISIONS:
        c = confusion(rows, decision)
        print(
            f"{decision:10} gold reply: read as letter {c.get('reply→letter', 0)}, not {c.get('reply→not', 0)} | "
            f"gold news/report/other: read as letter {c.get('other→letter', 0)}, not {c.get('other→not', 0)}"
        )
    if args.list:
        for r in rows:
            wrong = [d for d in DECISIONS if r[d] != (r["kind"] == "reply")]
            if wrong:
                print(f"  {r['set']}/{r['file']} gold {r['kind']}: {'+'.join(wrong)} wrong; fields {r['fields']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
