"""Honest extraction numbers: leave-one-set-out cross-validation over corpus/, and the seeds.

Usage: python -m benchmarks.eval_extraction [--method ranker|shipped|both] [--sets dev,heldout9] [--details]
       [--pool fresh5,fresh6,fresh7] [--received none|source] [--shared /work/shared] [--json OUT]

For ``ranker`` (the default), each set of ``corpus/`` is scored by a model trained in-process on
every OTHER set (the shipped model file is not used); the seeds (``../shared/eval/seeds-gold.json``,
not in corpus/) are scored by a model trained on the whole corpus without them. ``shipped`` scores
every set with the pipeline as it ships (``model/ranker.npz``, trained on the corpus and the seeds):
training numbers, not estimates for unseen text.

Printed per set and pooled (counts summed over sets): dated F1, all F1, recall of all gold entries
when commitments and candidates are scored together, deadline accuracy (text-matched pairs), target
accuracy, and the mean number of candidates (beyond commitments) per document; ``POOLED(sub)`` pools
the sets of ``--pool`` alone (the three newest blind sets by default). ``--sets`` limits the sets SCORED:
each is still scored by a model trained on every other set of ``corpus/``. The scorer is
``SHARED/eval/score.py`` (``benchmarks.paths.shared_dir()``), imported by path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.paths import SHARED
from responses.extraction.ranker import received_date

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def load_scorer(shared: Path = SHARED):
    """score.py as a module (it is a script beside the gold files, not a package)."""
    spec = importlib.util.spec_from_file_location("luoshi_score", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"score.py not found under {shared}/eval")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_sets(corpus: Path = CORPUS) -> dict[str, tuple[Path, list[dict]]]:
    """Every annotated set: name → (folder, gold documents), sorted by name."""
    out = {}
    for gold in sorted(corpus.glob("*/gold.json")):
        out[gold.parent.name] = (gold.parent, json.loads(gold.read_text(encoding="utf-8")))
    return out


Predict = Callable[..., dict]  # (document path, received date) → PREDICTION.md object (with "candidates")


def score_set(scorer, folder: Path, gold: list[dict], predict: Predict, *, received: bool = True) -> dict:
    """score.py's results for one set, plus recall with candidates and candidates per document.

    ``received=False`` gives the pipeline no publication date, as ``manage.py extract FILE --json`` runs on a
    bare file (a text naming no year is then read against today's date)."""
    with tempfile.TemporaryDirectory() as tmp_c, tempfile.TemporaryDirectory() as tmp_all:
        n_cand = 0
        for doc in gold:
            path = folder / doc["file"]
            pred = predict(path, received_date(doc) if received else None)
            cands = pred.get("candidates") or []
            n_cand += len(cands)
            Path(tmp_c, f"{path.stem}.json").write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
            both = {"metadata": pred["metadata"], "commitments": pred["commitments"] + cands}
            Path(tmp_all, f"{path.stem}.json").write_text(json.dumps(both, ensure_ascii=False), encoding="utf-8")
        res = scorer.score(gold, Path(tmp_c))
        res_all = scorer.score(gold, Path(tmp_all))
    res["with_candidates"] = res_all["all"]
    res["candidates"] = n_cand
    return res


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def summary(results: list[dict]) -> dict:
    """Pooled numbers: counts summed over the given results."""

    def tot(path: tuple[str, str]) -> int:
        return sum(r[path[0]][path[1]] for r in results)

    d = _f1(tot(("dated", "tp")), tot(("dated", "fp")), tot(("dated", "fn")))
    a = _f1(tot(("all", "tp")), tot(("all", "fp")), tot(("all", "fn")))
    wc_tp, wc_fn = tot(("with_candidates", "tp")), tot(("with_candidates", "fn"))
    dl_ok, dl_n = tot(("deadline", "correct")), tot(("deadline", "total"))
    tg_ok, tg_n = tot(("targets", "found")), tot(("targets", "total_in_matched"))
    docs = sum(r["docs"] for r in results)
    return {
        "docs": docs,
        "gold": tot(("all", "tp")) + tot(("all", "fn")),
        "dated_f1": d[2],
        "dated_p": d[0],
        "dated_r": d[1],
        "all_f1": a[2],
        "all_p": a[0],
        "all_r": a[1],
        "recall_with_candidates": wc_tp / (wc_tp + wc_fn) if wc_tp + wc_fn else 0.0,
        "deadline": dl_ok / dl_n if dl_n else 0.0,
        "targets": tg_ok / tg_n if tg_n else None,
        "candidates_per_doc": sum(r["candidates"] for r in results) / docs if docs else 0.0,
    }


HEADER = f"{'set':<12}{'docs':>5}{'gold':>5}{'dated F1':>9}{'all F1':>8}{'R+cand':>8}{'deadline':>9}{'targets':>8}{'cand/doc':>9}"


def row(name: str, s: dict) -> str:
    return (
        f"{name:<12}{s['docs']:>5}{s['gold']:>5}{s['dated_f1']:>9.3f}{s['all_f1']:>8.3f}"
        f"{s['recall_with_candidates']:>8.3f}{s['deadline']:>9.3f}{'-' if s['targets'] is None else format(s['targets'], '.3f'):>8}{s['candidates_per_doc']:>9.2f}"
    )


def shipped_predict(path: Path, received: dt.date | None = None) -> dict:
    from responses.extraction import extract_bytes

    pred = extract_bytes(path.read_bytes(), path.name, received=received).to_prediction()
    pred.setdefault("candidates", [])
    return pred


def score_and_print(scorer, sets: dict, name: str, predict: Predict, received: bool) -> dict:
    """Score one set of ``corpus_sets()`` and print its row."""
    folder, gold = sets[name]
    res = score_set(scorer, folder, gold, predict, received=received)
    print(row(name, summary([res])), flush=True)
    return res


def tables(per: dict[str, dict]) -> dict:
    """The JSON form of a run: each set's summary and the pooled one."""
    return {"per_set": {n: summary([r]) for n, r in per.items()}, "pooled": summary(list(per.values()))}


def evaluate(
    method: str,
    only: list[str] | None,
    details: bool,
    shared: Path,
    received: bool = True,
    pool: list[str] | None = None,
) -> dict:
    """Print and return the per-set and pooled table of one method."""
    scorer = load_scorer(shared)
    sets = corpus_sets()
    names = [n for n in sets if not only or n in only]
    per: dict[str, dict] = {}
    data = []
    if method == "ranker":
        from responses.extraction.ranker import labelled, predict_with, train_labelled

        data = labelled([(d, f) for f, g in sets.values() for d in g])  # once: training only filters it
    print(f"== {method}: " + ("leave-one-set-out" if method == "ranker" else "the shipped model (training numbers)"))
    print(HEADER)
    for name in names:
        if method == "ranker":
            predict: Predict = predict_with(train_labelled([x for x in data if x[0] != name]))
        else:
            predict = shipped_predict
        res = per[name] = score_and_print(scorer, sets, name, predict, received)
        if details:
            for doc in res["per_doc"]:
                for m in doc["dated_missed"]:
                    print(f"    missed {m['deadline']} {m['quote'][:60]}")
                for m in doc["all_false"]:
                    print(f"    false  {m[:60]}")
    out = tables(per)
    print(row("POOLED", out["pooled"]))
    sub = [per[n] for n in pool or [] if n in per]
    if sub:
        print(row("POOLED(sub)", summary(sub)) + "   " + "+".join(n for n in pool or [] if n in per))
    seeds_gold = shared / "eval" / "seeds-gold.json"
    seeds_res = None
    if seeds_gold.exists():
        gold = json.loads(seeds_gold.read_text(encoding="utf-8"))
        if method == "ranker":
            predict = predict_with(train_labelled(data))
        else:
            predict = shipped_predict
        seeds_dir = shared / "seeds"
        seeds_res = score_set(scorer, seeds_dir, gold, predict, received=received)
        print(row("seeds", summary([seeds_res])))
    if sub:
        out["pooled_sub"] = summary(sub)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--method", choices=["ranker", "shipped", "both"], default="ranker")
    ap.add_argument("--sets", help="comma-separated set names (default: all)")
    ap.add_argument("--details", action="store_true", help="print misses and false commitments")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--json", type=Path, help="also write the tables as JSON here")
    ap.add_argument(
        "--pool",
        default="fresh5,fresh6,fresh7",
        help="comma-separated sets also pooled on their own (default: the three newest blind sets)",
    )
    ap.add_argument(
        "--received",
        choices=["source", "none"],
        default="source",
        help="publication date given to the pipeline: from each document's source (default), or none, as "
        "`manage.py extract FILE` runs on a bare file",
    )
    args = ap.parse_args(argv)
    only = args.sets.split(",") if args.sets else None
    out = {}
    for method in ["shipped", "ranker"] if args.method == "both" else [args.method]:
        out[method] = evaluate(
            method, only, args.details, args.shared, received=args.received == "source", pool=args.pool.split(",")
        )
        print()
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
