"""Leave-N-sets-out: ONE model trained on every set of corpus/ NOT named, each named set scored with it.

Usage: python -m benchmarks.holdout_eval --holdout fresh13,fresh14,... [--received none|source] [--shared /work/shared]
       [--causes [--list]] [--by-kind] [--json OUT]

As honest as leave-one-set-out for the named sets (none of them is in the training) and N times cheaper. Printed per
set and pooled like ``eval_extraction`` (dated F1, all F1, R+cand, deadline accuracy, cand/doc), then with
``--causes`` the error-table causes of the pooled sets (``error_table``, scored with the same model). Bare file
(no publication date) unless ``--received source``. ``--by-kind`` scores each set's LETTER documents (gold
``kind == "reply"``) and its OTHER documents as two gold lists (``score_set``) and pools each kind on its own, as the
hidden evaluation reports letters and programme/report documents apart; the POOLED row is the sum of both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.error_table import kind_of
from benchmarks.eval_extraction import (
    HEADER,
    SHARED,
    corpus_sets,
    load_scorer,
    row,
    score_and_print,
    score_set,
    summary,
    tables,
)

KINDS = ("letters", "others")


def by_kind(scorer, sets: dict, held: list[str], predict, received: bool) -> dict:
    """Each held-out set scored as two gold lists (letters, others), printed per set and kind, then pooled per kind
    and over both; the JSON form: per set and kind, per kind pooled, and pooled."""
    per: dict[str, dict[str, dict]] = {}
    for name in held:
        folder, gold = sets[name]
        per[name] = {}
        for kind in KINDS:
            docs = [d for d in gold if kind_of(d) == kind]
            if docs:
                res = per[name][kind] = score_set(scorer, folder, docs, predict, received=received)
                print(row(f"{name}:{kind[0].upper()}", summary([res])), flush=True)
    out: dict = {"per_set": {n: {k: summary([r]) for k, r in kinds.items()} for n, kinds in per.items()}}
    for kind in KINDS:
        out[kind] = summary([kinds[kind] for kinds in per.values() if kind in kinds])
        print(row(kind.upper(), out[kind]))
    out["pooled"] = summary([r for kinds in per.values() for r in kinds.values()])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--holdout", required=True, help="comma-separated sets held out of the training and scored")
    ap.add_argument("--received", choices=["source", "none"], default="none")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--causes", action="store_true", help="also print the error-table causes, pooled")
    ap.add_argument("--by-kind", action="store_true", help="score and pool letters and other documents apart")
    ap.add_argument("--json", type=Path, help="also write the table as JSON here")
    ap.add_argument("--list", action="store_true", help="with --causes: print every dated miss and false positive")
    args = ap.parse_args(argv)
    from responses.extraction.ranker import labelled, predict_with, train_labelled

    held = args.holdout.split(",")
    sets = corpus_sets()
    missing = [n for n in held if n not in sets]
    if missing:
        raise SystemExit(f"unknown sets: {','.join(missing)}")
    data = labelled([(d, f) for n, (f, g) in sets.items() if n not in held for d in g])
    model = train_labelled(data)
    scorer = load_scorer(args.shared)
    predict = predict_with(model)
    print(f"== one model trained on {len(sets) - len(held)} sets, {len(held)} held out")
    print(HEADER)
    if args.by_kind:
        out = by_kind(scorer, sets, held, predict, args.received == "source")
    else:
        per = {name: score_and_print(scorer, sets, name, predict, args.received == "source") for name in held}
        out = tables(per)
    print(row("POOLED", out["pooled"]))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.causes:
        from benchmarks.error_table import analyse, print_table

        table = analyse(held, args.received == "none", args.shared, args.list, by="kind", model=model)
        print_table(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
