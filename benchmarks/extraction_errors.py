"""Error analysis of the extraction, per set, under leave-one-set-out (or the shipped model).

Usage: python -m benchmarks.extraction_errors [--method ranker|shipped] [--sets programmes2,reports1] [--quiet]

For every gold entry of every set, the first thing that went wrong, in pipeline order:
- ``no_clause``: no clause of the structure matches the quote's text (the way score.py matches):
  a span problem (clauses cut differently from the gold quote) or text lost in cleaning;
- ``not_proposed``: a clause matches but no rule proposed it (candidate generation);
- ``below_hidden``: a candidate matches, ranked below the threshold and not among the ≤ 5 shown;
- ``below_shown``: ranked below the threshold, shown as a candidate (counts for R+cand);
- ``wrong_deadline``: a commitment matches the text with another deadline (its deadline source is
  printed: own, sentence, paragraph, list_head, heading, none);
- ``ok``.
False positives (commitments matching no gold quote) are counted and, without ``--quiet``, printed.
The text match is score.py's (contains, or a shared run of ≥ 12 characters, whitespace ignored); a
gold entry's candidate is its longest-overlapping one, so counts can differ slightly from score.py's
one-to-one matching.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from benchmarks.eval_extraction import corpus_sets

CATEGORIES = ("ok", "wrong_deadline", "below_shown", "below_hidden", "not_proposed", "no_clause")


def analyse(method: str, only: list[str] | None, quiet: bool) -> dict[str, Counter]:
    from responses.extraction.commitments import MAX_CANDIDATES, find_declined
    from responses.extraction.ranker import labelled, load_model, matches, prepare, received_date, train_labelled

    sets = corpus_sets()
    out: dict[str, Counter] = {}
    data = labelled([(d, f) for f, g in sets.values() for d in g]) if method == "ranker" else []
    for name, (folder, gold) in sets.items():
        if only and name not in only:
            continue
        if method == "ranker":
            model = train_labelled([x for x in data if x[0] != name])
        else:
            model = load_model()
        counts: Counter = Counter()
        lines: list[str] = []
        for doc in gold:
            raw = (folder / doc["file"]).read_bytes().decode("utf-8", errors="replace")
            p = prepare(raw, received=received_date(doc))
            w = p.cleaned  # the text as written (quotes of a traditional-script page are)
            declined = find_declined(p.work)
            scored = [
                (sc, c)
                for c, sc in zip(p.candidates, model.score(p.work, p.candidates), strict=True)
                if not any(d.start < c.end and c.start < d.end for d in declined)
            ]
            above = [(sc, c) for sc, c in scored if sc >= model.threshold]
            below = sorted((x for x in scored if x[0] < model.threshold), key=lambda x: (-x[0], x[1].start))
            shown = {id(c) for _, c in below[:MAX_CANDIDATES]}
            used: set[int] = set()
            for g in doc.get("commitments", []):
                q, gd = g["quote"], g.get("deadline")
                hits = [(sc, c) for sc, c in above if matches(w[c.start : c.end], q)]
                if hits:
                    ok = [x for x in hits if _dl(x[1]) == gd]
                    if ok:
                        counts["ok"] += 1
                        used.update(id(c) for _, c in ok[:1])
                        continue
                    c = hits[0][1]
                    counts["wrong_deadline"] += 1
                    lines.append(f"  deadline  gold {gd} ours {_dl(c)} ({c.deadline_source}) {doc['file']}: {q[:50]}")
                    used.add(id(c))
                    continue
                low = [(sc, c) for sc, c in below if matches(w[c.start : c.end], q)]
                if low:
                    sc, c = low[0]
                    cat = "below_shown" if id(c) in shown else "below_hidden"
                    counts[cat] += 1
                    lines.append(f"  {cat[6:]:<8}  {sc:.2f} {','.join(_brief(c.signals))} {doc['file']}: {q[:50]}")
                    continue
                clauses = [cl for cl in p_clauses(p) if matches(w[cl[0] : cl[1]], q)]
                cat = "not_proposed" if clauses else "no_clause"
                counts[cat] += 1
                lines.append(f"  {cat:<12}{doc['file']}: {q[:60]}")
            for sc, c in above:
                if id(c) in used or any(matches(w[c.start : c.end], g["quote"]) for g in doc.get("commitments", [])):
                    continue
                counts["false_positive"] += 1
                lines.append(f"  false     {sc:.2f} {_dl(c)} {doc['file']}: {w[c.start : c.end][:60]}")
        out[name] = counts
        total = sum(counts[k] for k in CATEGORIES)
        print(f"{name:<12} gold {total:>4}  " + "  ".join(f"{k} {counts[k]}" for k in (*CATEGORIES, "false_positive")))
        if not quiet:
            print("\n".join(lines))
        sys.stdout.flush()
    pooled: Counter = Counter()
    for c in out.values():
        pooled.update(c)
    total = sum(pooled[k] for k in CATEGORIES)
    print(f"{'POOLED':<12} gold {total:>4}  " + "  ".join(f"{k} {pooled[k]}" for k in (*CATEGORIES, "false_positive")))
    return out


def p_clauses(p) -> list[tuple[int, int]]:
    from responses.extraction.structure import read_structure

    return [(c.start, c.end) for c in read_structure(p.work, p.sections, p.ref).clauses]


def _dl(c) -> str | None:
    if c.recurring is not None or c.deadline is None:
        return None
    return c.deadline.deadline.isoformat()


def _brief(signals) -> list[str]:
    return [s for s in signals if not s.startswith(("unit:", "doc:", "pos:", "len:"))][:8]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--method", choices=["ranker", "shipped"], default="ranker")
    ap.add_argument("--sets", help="comma-separated set names (default: all)")
    ap.add_argument("--quiet", action="store_true", help="counts only")
    args = ap.parse_args(argv)
    analyse(args.method, args.sets.split(",") if args.sets else None, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
