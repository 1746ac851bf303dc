"""Per-link miss table of the evidence retrieval, leaving one set out (docs/evidence.md, session 8).

Usage: python -m benchmarks.evidence_misses [--sets evidence,…] [--cache FILE] [--out FILE]

Collects every corpus/evidence*/ set as ``eval_evidence --loso`` does (or reads ``--cache``, a pickle of a
previous collection written by this command with the same code), prints the ``--loso`` figures (learned scorer
leaving one set out, hand-weighted formula, all-sets model), then one row per gold link (whose commitment was
extracted) that is not among the top 3 of its later document under the learned scorer of its fold: the gold
commitment's rank (learned; hand-weighted in brackets), the three commitments that outranked it with the evidence
each shares with the passage (names, rare strings, quantities), and automatic tags of why (see ``_tags``).
``--out`` writes the rows as JSON too. Uses the scratch database of eval_evidence ($EVAL_EVIDENCE_DB).
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path


def _short(text: str, n: int = 40) -> str:
    return " ".join(text.split())[:n]


def _tags(gold, above: list, gold_group) -> list[str]:
    """Why the gold commitment ranks below others, from the features (a reading aid, not a verdict)."""
    tags: list[str] = []
    f = gold.features
    if not f.get("name"):
        tags.append("gold: no name shared")
    if f.get("conflicts"):
        tags.append(f"gold: conflict {','.join(map(str, f['conflicts']))[:30]}")
    if f.get("cosine", 0) < 0.1:
        tags.append("gold: cosine < 0.1")
    for _commitment, m in above:
        g = m.features
        if m.group is not None and m.group == gold_group:
            tags.append("same letter above")
        if g.get("quantities") and not g.get("name"):
            tags.append("numbers without a name above")
        elif g.get("quantities"):
            tags.append("numbers and a name above")
        if g.get("name") and not g.get("quantities") and m.group != gold_group:
            tags.append("another letter's name above")
        if not g.get("named") and g.get("rare", 0) > 0:
            tags.append("rare strings only above")
    return list(dict.fromkeys(tags))


def misses(sets: dict[str, dict], models: dict[str, object]) -> list[dict]:
    """One row per gold link (commitment extracted) outside the top 3 under ``models[set]``."""
    from benchmarks.eval_evidence import _overlap, rescored
    from evidence import ranker

    rows: list[dict] = []
    for name in sorted(sets):
        learned = rescored(sets[name], models[name])
        hand = rescored(sets[name], ranker.HAND)
        for (item, ranking), (_, hand_ranking) in zip(learned["later"], hand["later"], strict=True):
            for link in item["links"]:
                quotes = link["commitment"] if isinstance(link["commitment"], list) else [link["commitment"]]
                ids = {
                    c.pk
                    for c in sets[name]["earlier"][link["earlier"]]
                    if any(_overlap(q, c.text) >= 0.6 for q in quotes)
                }
                if not ids:
                    continue
                position = next((i for i, (c, _) in enumerate(ranking) if c.pk in ids), None)
                hand_position = next((i for i, (c, _) in enumerate(hand_ranking) if c.pk in ids), None)
                if position is not None and position < 3:
                    continue
                row = {
                    "set": name,
                    "later": item["file"],
                    "earlier": link["earlier"],
                    "clause": _short(quotes[0], 50),
                    "evidence": _short(link.get("evidence", ""), 50),
                    "rank": None if position is None else position + 1,
                    "hand_rank": None if hand_position is None else hand_position + 1,
                    "pool": len(ranking),
                }
                if position is None:
                    row["tags"] = ["not ranked (dropped by date or outside the shortlist)"]
                    rows.append(row)
                    continue
                _, gold = ranking[position]
                above = ranking[:3]
                row["gold"] = {
                    "passage": _short(gold.passage.text, 50),
                    "shared": list(gold.shared)[:6],
                    "features": {k: gold.features.get(k) for k in ("cosine", "name", "rare", "quantities", "stage")},
                    "conflicts": list(map(str, gold.features.get("conflicts") or [])),
                    "score": round(gold.score, 4),
                }
                row["above"] = [
                    {
                        "clause": _short(c.text, 40),
                        "same_letter": m.group is not None and m.group == gold.group,
                        "passage": _short(m.passage.text, 40),
                        "shared": list(m.shared)[:6],
                        "features": {k: m.features.get(k) for k in ("cosine", "name", "rare", "quantities", "stage")},
                        "score": round(m.score, 4),
                    }
                    for c, m in above
                ]
                row["tags"] = _tags(gold, above, gold.group)
                rows.append(row)
    return rows


def _print_rows(rows: list[dict]) -> None:
    for r in rows:
        print(
            f"{r['set']} {r['later']} <- {r['earlier']} rank {r['rank']} (hand {r['hand_rank']}) of {r['pool']}: "
            f"{r['clause']}"
        )
        if "gold" in r:
            g = r["gold"]
            print(f"    gold   {g['features']} shared {g['shared']} conflicts {g['conflicts']} | {g['passage']}")
            for a in r["above"]:
                print(
                    f"    above  {'[same letter] ' if a['same_letter'] else ''}{a['features']} shared {a['shared']}"
                    f" | {a['clause']} <- {a['passage']}"
                )
        print(f"    tags   {'; '.join(r['tags'])}")
    counts: dict[str, int] = {}
    for r in rows:
        for t in r["tags"]:
            key = t.split(" ", 2)[0] + " " + t.split(" ", 2)[1] if t.startswith("gold: conflict") else t
            counts[key] = counts.get(key, 0) + 1
    print(f"{len(rows)} misses; tags:")
    for t, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {n:3}  {t}")


def main(argv: list[str] | None = None) -> int:
    from benchmarks import eval_evidence

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", help="comma-separated sets (default: every corpus/evidence*/ set)")
    parser.add_argument("--cache", type=Path, help="pickle of the collected sets: read if present, else written")
    parser.add_argument("--out", type=Path, help="write the miss rows as JSON")
    args = parser.parse_args(argv)
    eval_evidence.setup()
    names = args.sets.split(",") if args.sets else list(eval_evidence.SETS)
    if args.cache and args.cache.exists():
        sets = pickle.loads(args.cache.read_bytes())
    else:
        sets = {name: eval_evidence.collect(name) for name in names}
        if args.cache:
            args.cache.write_bytes(pickle.dumps(sets))
    from benchmarks.train_evidence import loso, train

    loso(sets)
    models = {held: train({n: d for n, d in sets.items() if n != held}) for held in sorted(sets)}
    rows = misses(sets, models)
    _print_rows(rows)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
