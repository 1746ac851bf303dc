"""Evaluate evidence suggestions on corpus/evidence/pairs.json (real earlier and later documents, distractors).

Usage: python -m benchmarks.eval_evidence [--set evidence|evidence2|...|evidence6] [--split all|tune|test]
       [--threshold 0.5] [--sweep] [--verbose]
       python -m benchmarks.eval_evidence --loso [--sets evidence,evidence2,evidence3,evidence4]
``--set`` names the folder under corpus/ whose pairs.json is read (default: evidence, the first session's set;
evidence2 to evidence6 are sets annotated blind, docs/evidence.md).
Uses its own database, luoshi_eval_evidence or $EVAL_EVIDENCE_DB (dropped and recreated), on the PostgreSQL
server of DATABASE_URL.
Loads the seed fixtures and every earlier document with its extracted commitments (as `ingest --confirm`
would), then ingests each later document and each distractor and ranks the open commitments for it.

Prints, per split: of the gold links whose commitment was extracted, the share whose commitment is among the
top 3 of its later document; the share of all gold links suggested end to end; the precision of suggested
links; the share of distractor documents that get any suggested link; and the outcome guesses right of correct links
(suggested) and of every extracted gold link whose commitment is ranked (suggested or not).

``--loso`` (leave one set out, the honest figure of the learned link scorer): every set is collected once;
each set is then scored by a model trained on the other sets only (``benchmarks/train_evidence.py``: the same
rows, labels and threshold rule as the shipped model), beside the hand-weighted formula of session 4 and the
shipped model (trained on every set: training figures), per set and pooled.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

EVAL_DB = os.environ.get("EVAL_EVIDENCE_DB", "luoshi_eval_evidence")
ROOT = Path(__file__).resolve().parent.parent
# Every corpus/evidence*/ folder with a pairs.json (none is in the matcher's background list, evidence/model/background_texts.txt).
SETS = tuple(sorted(p.parent.name for p in (ROOT / "corpus").glob("evidence*/pairs.json")))


def _reset_database() -> str:
    import psycopg

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luoshi")
    parts = urlsplit(base)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{EVAL_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{EVAL_DB}"')
    return urlunsplit(parts._replace(path=f"/{EVAL_DB}"))


def _overlap(a: str, b: str) -> float:
    """Share of the gold quote's characters covered by the extracted text (spaces ignored)."""
    a, b = a.replace(" ", ""), b.replace(" ", "")
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    from difflib import SequenceMatcher

    blocks = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(m.size for m in blocks) / len(a)


def setup() -> None:
    """Point Django at the evaluation database (created empty) and start it."""
    os.environ["DATABASE_URL"] = _reset_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def collect(set_name: str, *, fresh: bool = True) -> dict:
    """The set's earlier documents loaded, and every later document and distractor ranked (``fresh``: in an
    emptied database, so that one set's commitments are not another's candidates)."""
    from django.db import connections

    if fresh:
        connections.close_all()
        _reset_database()
    return _run(argparse.Namespace(set=set_name))


def _run(args) -> dict:
    from django.core.management import call_command

    from commitments.reply_logging import seed_document_load
    from evidence import selectors
    from responses.services import document_ingest

    call_command("migrate", verbosity=0)
    call_command("load_seed_fixtures", verbosity=0, stdout=open(os.devnull, "w"))
    pairs = ROOT / "corpus" / args.set / "pairs.json"
    spec = json.loads(pairs.read_text(encoding="utf-8"))
    folder = pairs.parent
    earlier: dict[str, list] = {}
    for item in spec["earlier"]:
        path = (folder / item["file"]).resolve()
        document, _, _ = seed_document_load(data=path.read_bytes(), filename=path.name)
        earlier[item["file"]] = list(document.commitments.all())

    def ranked(item):
        path = (folder / item["file"]).resolve()
        document = document_ingest(data=path.read_bytes(), filename=path.name).document
        return selectors.evidence_rank(document=document)

    later = [(item, ranked(item)) for item in spec["later"]]
    distractors = [(item, ranked(item)) for item in spec["distractors"]]
    from evidence import ranker

    return {
        "set": args.set,
        "spec": spec,
        "earlier": earlier,
        "later": later,
        "distractors": distractors,
        "gate": ranker.current_model().gate,
    }


def rescored(data: dict, model) -> dict:
    """``data`` as ``matching.rank`` would have ranked it with ``model``: each candidate's passages (all that
    were scored) re-scored, the best kept, candidates re-sorted (suggested is then set by ``_at``, with the
    model's gate)."""
    from dataclasses import replace

    def again(ranking):
        out = []
        for commitment, match in ranking:
            scored = [replace(p, score=model.score(p.features)) for p in (match.scored or (match,))]
            scored.sort(key=lambda p: (-p.strength, p.passage.start))
            out.append((commitment, replace(scored[0], scored=tuple(scored))))
        out.sort(key=lambda cm: (-cm[1].strength, cm[1].candidate_id))
        return out

    return {
        **data,
        "later": [(item, again(r)) for item, r in data["later"]],
        "distractors": [(item, again(r)) for item, r in data["distractors"]],
        "gate": model.gate,
    }


def _at(ranking, threshold: float, gate: str = "specific"):
    """The ranking with `suggested` recomputed at ``threshold`` (one per source document, as the service does)."""
    from evidence.matching import one_per_group

    marked = one_per_group([m for _, m in ranking], threshold, gate=gate)
    return [(c, m) for (c, _), m in zip(ranking, marked, strict=True)]


def _figures(data: dict, split: str, threshold: float, verbose: bool = False) -> dict:
    links = extracted = top3 = end_to_end = 0
    # A later document reporting on more than three commitments cannot have them all in its top three: ``ceiling``
    # is the most top-3 can reach (three a document at most), ``topk`` counts a link found within the first
    # max(3, k) of its document, k being the document's extracted links (R-precision's cut-off).
    ceiling = topk = 0
    suggested = correct_suggested = 0
    outcome_right = outcome_total = 0
    # The outcome guess of every extracted gold link whose commitment is ranked, suggested or not (the guess is the
    # gold commitment's best passage's, whatever the scorer decides to show): the guesser's own figure.
    ranked_right = ranked_total = 0
    for item, ranking in data["later"]:
        if split != "all" and item.get("split") != split:
            continue
        ranking = _at(ranking, threshold, data.get("gate", "specific"))
        gold_ids: set[int] = set()
        positions: list[int | None] = []
        for link in item["links"]:
            links += 1
            quotes = link["commitment"] if isinstance(link["commitment"], list) else [link["commitment"]]
            candidates = [
                c for c in data["earlier"][link["earlier"]] if any(_overlap(q, c.text) >= 0.6 for q in quotes)
            ]
            if not candidates:
                if verbose:
                    print(f"  not extracted: {link['commitment']}")
                continue
            extracted += 1
            ids = {c.pk for c in candidates}
            gold_ids |= ids
            position = next((i for i, (c, _) in enumerate(ranking) if c.pk in ids), None)
            positions.append(position)
            if position is not None:
                ranked_total += 1
                ranked_right += ranking[position][1].outcome == link.get("outcome")
            if position is not None and position < 3:
                top3 += 1
            hit = next((m for c, m in ranking if c.pk in ids and m.suggested), None)
            if hit is not None:
                end_to_end += 1
                outcome_total += 1
                outcome_right += hit.outcome == link.get("outcome")
            if verbose:
                print(
                    f"  {item['file']}: gold at rank {None if position is None else position + 1}, suggested={hit is not None}"
                )
        ceiling += min(3, len(positions))
        topk += sum(1 for p in positions if p is not None and p < max(3, len(positions)))
        for commitment, match in ranking:
            if match.suggested:
                suggested += 1
                correct_suggested += commitment.pk in gold_ids
                if verbose and commitment.pk not in gold_ids:
                    print(
                        f"  wrong suggestion for {item['file']}: {match.score} {commitment.text[:50]} <- {match.passage.text[:50]} {match.features} {match.shared}"
                    )
    distractors = flagged = 0
    for item, ranking in data["distractors"]:
        if split != "all" and item.get("split") != split:
            continue
        ranking = _at(ranking, threshold, data.get("gate", "specific"))
        distractors += 1
        hits = [m for _, m in ranking if m.suggested]
        flagged += bool(hits)
        if verbose and hits:
            print(f"  distractor {item['file']} flagged: {hits[0].score} {hits[0].features} {hits[0].shared}")
    return {
        "counts": f"top-3 {top3}/{extracted}, end to end {end_to_end}/{links}, right {correct_suggested}/{suggested}, "
        f"distractors {flagged}/{distractors}; top-3 ceiling {ceiling}, top-k {topk}",
        "n": {
            "top3": top3,
            "ceiling": ceiling,
            "topk": topk,
            "extracted": extracted,
            "end_to_end": end_to_end,
            "links": links,
            "right": correct_suggested,
            "suggested": suggested,
            "flagged": flagged,
            "distractors": distractors,
            "outcome_right": outcome_right,
            "outcome_total": outcome_total,
            "outcome_ranked_right": ranked_right,
            "outcome_ranked_total": ranked_total,
        },
        "links": links,
        "extracted": extracted,
        "top3": top3 / extracted if extracted else 0.0,
        "end_to_end": end_to_end / links if links else 0.0,
        "suggested": suggested,
        "precision": correct_suggested / suggested if suggested else 0.0,
        "distractors": distractors,
        "distractors_flagged": flagged / distractors if distractors else 0.0,
        "outcome": f"{outcome_right}/{outcome_total}",
        "outcome_ranked": f"{ranked_right}/{ranked_total}",
    }


def _print(split: str, threshold: float, f: dict) -> None:
    print(
        f"{split:5} t={threshold:.2f}  links {f['links']:2} (extracted {f['extracted']:2})  "
        f"top-3 {f['top3']:.0%}  end-to-end {f['end_to_end']:.0%}  "
        f"precision {f['precision']:.0%} of {f['suggested']}  "
        f"distractors flagged {f['distractors_flagged']:.0%} of {f['distractors']}  outcome {f['outcome']}  "
        f"(of every ranked link {f['outcome_ranked']})  ({f['counts']})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, default="evidence", help="the folder under corpus/ with pairs.json")
    parser.add_argument("--split", choices=["all", "tune", "test"], default=None)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sweep", action="store_true", help="print the figures for thresholds 0.10–0.90")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--loso", action="store_true", help="each set scored by a link scorer trained on the other sets (all sets)"
    )
    parser.add_argument(
        "--sets",
        help="with --loso: comma-separated sets to use (default all; the shipped setup: train_evidence.TRAIN_SETS)",
    )
    args = parser.parse_args(argv)
    setup()
    if args.loso:
        from benchmarks.train_evidence import loso

        names = args.sets.split(",") if args.sets else SETS
        loso({name: collect(name) for name in names}, verbose=args.verbose)
        return 0
    from evidence.matching import SUGGEST_AT

    threshold = SUGGEST_AT if args.threshold is None else args.threshold
    data = _run(args)
    splits = [args.split] if args.split else ["tune", "test", "all"]
    if args.sweep:
        for t in [x / 100 for x in range(10, 91, 5)]:
            for split in splits:
                _print(split, t, _figures(data, split, t))
        return 0
    for split in splits:
        _print(split, threshold, _figures(data, split, threshold, verbose=args.verbose and split == "all"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
