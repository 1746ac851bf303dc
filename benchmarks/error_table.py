"""Error table of the extraction, by set or by document kind and cause (score.py's one-to-one matching).

Usage: python -m benchmarks.error_table [--sets fresh5,fresh6,fresh7] [--by set|kind] [--method ranker|shipped]
       [--received none|source] [--list] [--shared /work/shared]

With ``--method ranker`` (default) each set named is scored by a model trained in-process on every OTHER set of
``corpus/`` (leave-one-set-out, as ``eval_extraction`` does); ``--method shipped`` uses the shipped model
(training numbers for the sets it was trained on). The pipeline gets no publication date unless ``--received
source``. Every dated gold entry that score.py's one-to-one dated matching leaves unmatched gets the first cause
that applies, in this order:

- ``granularity``: a commitment we emit matches its text with its deadline, but score.py gave that
  commitment to another gold entry (one clause holding several entries);
- ``deadline_null`` / ``deadline_other``: a commitment matches its text with no deadline / another one;
- ``below_shown`` / ``below_hidden``: a candidate matches, scored under the threshold, among the ≤ 5
  shown / not shown;
- ``not_proposed``: a clause of the structure matches but no rule proposed it; ``no_clause``: none does
  (a span problem, or text lost in cleaning).

Every dated commitment left unmatched (a dated false positive) gets one of: ``second_clause`` (its text
matches a gold entry: a duplicate, a wrong cut or a wrong date), ``past_work`` (past words or a past time in
the clause or its paragraph: done work taken as a commitment), ``heading`` (a heading, a list head or an
inline heading), else its section kind (``sec:next_steps``, ``sec:programme``, ``sec:other``, ...). Rows are
per set (``--by set``) or per document kind (``--by kind``, the default: the gold's ``kind``, ``reply`` =
letters, anything else = others). ``--list`` prints each miss and false positive with its score and signals.
(Session 8 merged ``benchmarks/extraction_errors.py``, the older per-set tool with a many-to-one match, into
this one.)
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from benchmarks.eval_extraction import SHARED, corpus_sets, load_scorer

MISS = ("granularity", "deadline_null", "deadline_other", "below_shown", "below_hidden", "not_proposed", "no_clause")


def kind_of(doc: dict) -> str:
    """'letters' for a reply letter (gold kind 'reply'), else 'others' (also holdout_eval's --by-kind split)."""
    return "letters" if doc.get("kind") == "reply" else "others"


def _brief(signals) -> str:
    return ",".join([s for s in signals if not s.startswith(("unit:", "doc:", "pos:", "len:"))][:8])


def analyse(
    only: list[str],
    received_none: bool,
    shared: Path,
    show: bool,
    *,
    method: str = "ranker",
    by: str = "kind",
    model=None,
) -> dict[str, Counter]:
    from responses.extraction.commitments import MAX_CANDIDATES
    from responses.extraction.pipeline import extract_text
    from responses.extraction.ranker import labelled, load_model, prepare, received_date, train_labelled
    from responses.extraction.structure import read_structure

    sc = load_scorer(shared)
    sets = corpus_sets()
    # ``model``: one model for every set (benchmarks.holdout_eval), else one per set.
    data = labelled([(d, f) for f, g in sets.values() for d in g]) if method == "ranker" and model is None else []
    table: dict[str, Counter] = {}
    for name in only:
        folder, gold = sets[name]
        set_model = model or (train_labelled([x for x in data if x[0] != name]) if method == "ranker" else load_model())
        for doc in gold:
            kind = kind_of(doc)
            cnt = table.setdefault(name if by == "set" else kind, Counter())
            raw = (folder / doc["file"]).read_bytes().decode("utf-8", errors="replace")
            rec = None if received_none else received_date(doc)
            ex = extract_text(raw, model=set_model, received=rec)
            comms = list(ex.commitments)
            g_items = [(sc.Text(c["quote"]), sc.norm_deadline(c.get("deadline"))) for c in doc["commitments"]]
            p_items = [(sc.Text(c.text), c.deadline.isoformat() if c.deadline else None) for c in comms]
            gd = [i for i, (_, d) in enumerate(g_items) if d is not None]
            pd = [i for i, (_, d) in enumerate(p_items) if d is not None]
            pairs = sc.greedy_match([g_items[i] for i in gd], [p_items[i] for i in pd], True)
            mg = {gd[a]: pd[b] for a, b, _ in pairs}
            mp = set(mg.values())
            cnt["gold_dated"] += len(gd)
            cnt["tp"] += len(pairs)
            cnt["pred_dated"] += len(pd)
            # the candidates the pipeline read, scored (for the misses below the threshold)
            p = prepare(raw, received=rec)
            scores = set_model.rank(p.work, p.candidates, p.units)
            shown = {sc.norm(c.text) for c in ex.candidates[:MAX_CANDIDATES]}
            clauses = None
            for gi in gd:
                if gi in mg:
                    continue
                gt, gdl = g_items[gi]
                hits = [i for i, (pt, _) in enumerate(p_items) if sc.overlap(gt, pt)]
                note = ""
                if any(p_items[i][1] == gdl for i in hits):
                    cause = "granularity"
                elif hits:
                    cause = "deadline_null" if all(p_items[i][1] is None for i in hits) else "deadline_other"
                    note = f"ours {p_items[hits[0]][1]}"
                else:
                    low = [
                        (s, c)
                        for c, s in zip(p.candidates, scores, strict=True)
                        if s < set_model.threshold and sc.overlap(gt, sc.Text(p.cleaned[c.start : c.end]))
                    ]
                    if low:
                        s, best = max(low, key=lambda x: x[0])
                        cause = (
                            "below_shown"
                            if any(sc.norm(p.cleaned[c.start : c.end]) in shown for _, c in low)
                            else "below_hidden"
                        )
                        note = f"{s:.2f} {_brief(best.signals)}"
                    else:
                        if clauses is None:
                            clauses = [
                                sc.Text(p.cleaned[c.start : c.end])
                                for c in read_structure(p.work, p.sections, p.ref).clauses
                            ]
                        cause = "not_proposed" if any(sc.overlap(gt, t) for t in clauses) else "no_clause"
                cnt["miss:" + cause] += 1
                if show:
                    quote = doc["commitments"][gi]["quote"][:50]
                    print(f"  {name} {kind} miss {cause:<14} {gdl} {note} {doc['file']}: {quote}")
            for pi in pd:
                if pi in mp:
                    continue
                cm = comms[pi]
                sig = set(cm.signals)
                pt = p_items[pi][0]
                if any(sc.overlap(gt, pt) for gt, _ in g_items):
                    cause = "second_clause"
                elif sig & {"past_words", "past_time", "unit_past_words", "scope:past"}:
                    cause = "past_work"
                elif sig & {"unit:heading", "colon_intro", "inline_heading"}:
                    cause = "heading"
                else:
                    cause = "sec:" + cm.section_kind
                cnt["fp:" + cause] += 1
                if show:
                    print(f"  {name} {kind} fp   {cause:<14} {p_items[pi][1]} {doc['file']}: {cm.text[:50]}")
        sys.stdout.flush()
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="fresh5,fresh6,fresh7", help="comma-separated set names, or 'all'")
    ap.add_argument("--by", choices=["kind", "set"], default="kind", help="one row per document kind or per set")
    ap.add_argument("--method", choices=["ranker", "shipped"], default="ranker")
    ap.add_argument("--received", choices=["source", "none"], default="none")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--list", action="store_true", help="print every miss and false positive")
    args = ap.parse_args(argv)
    names = list(corpus_sets()) if args.sets == "all" else args.sets.split(",")
    table = analyse(names, args.received == "none", args.shared, args.list, method=args.method, by=args.by)
    print_table(table)
    return 0


def print_table(table: dict[str, Counter]) -> None:
    """Each group's dated counts and causes, then the pooled ones."""
    pooled: Counter = Counter()
    for cnt in table.values():
        pooled.update(cnt)
    for group, cnt in [*table.items(), *([("POOLED", pooled)] if len(table) > 1 else [])]:
        tp, g, pr = cnt["tp"], cnt["gold_dated"], cnt["pred_dated"]
        f1 = 2 * tp / (g + pr) if g + pr else 0.0
        print(f"{group}: dated gold {g}, predicted {pr}, matched {tp}, F1 {f1:.3f}")
        for k in MISS:
            print(f"  miss {k:<16}{cnt['miss:' + k]:>5}")
        for k in sorted(x for x in cnt if x.startswith("fp:")):
            print(f"  fp   {k[3:]:<16}{cnt[k]:>5}")


if __name__ == "__main__":
    sys.exit(main())
