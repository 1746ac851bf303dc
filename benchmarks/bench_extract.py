"""Benchmark the extraction pipeline: documents/s, MB/s and peak memory, single process.

Usage: python -m benchmarks.bench_extract [SEEDS_DIR] [--mb 5]
The seed documents (default SHARED/seeds: ``benchmarks.paths.shared_dir()`` — ``LUOSHI_SHARED``, else
../shared beside the repository, else beside the main checkout of a git worktree) are processed one after another, repeated until at least ``--mb`` megabytes (UTF-8) of text have gone through.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks.paths import SHARED
from responses.extraction import extract_bytes  # run from the repository root: python -m benchmarks…


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seeds", nargs="?", default=str(SHARED / "seeds"))
    ap.add_argument("--mb", type=float, default=5.0, help="megabytes of text to process")
    args = ap.parse_args(argv)
    docs = [(p.name, p.read_bytes()) for p in sorted(Path(args.seeds).glob("*.txt"))]
    if not docs:
        print(f"no .txt documents in {args.seeds}", file=sys.stderr)
        return 1
    from responses.extraction import ranker

    t = time.perf_counter()
    model = ranker.read_model(ranker.SHIPPED)  # the file the pipeline loads once per process
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    model._gram_table()  # the ranker's sorted gram arrays, built on the first score (numpy imported then)
    table_s = time.perf_counter() - t
    ranker.load_model()
    for name, data in docs:  # warm up: imports, compiled patterns
        extract_bytes(data, name)
    target = int(args.mb * 1024 * 1024)
    gc.collect()
    n = nbytes = 0
    per_doc: list[float] = []
    t0, c0 = time.perf_counter(), time.process_time()
    while nbytes < target:
        for name, data in docs:
            t = time.perf_counter()
            extract_bytes(data, name)
            per_doc.append(time.perf_counter() - t)
            n += 1
            nbytes += len(data)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0  # this process's CPU time: on a loaded machine, what the pipeline costs
    # Peak Python allocation for the largest seed, measured separately (tracemalloc slows things).
    largest = max(docs, key=lambda d: len(d[1]))
    tracemalloc.start()
    extract_bytes(largest[1], largest[0])
    _, peak_alloc = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    per_doc.sort()
    mb = nbytes / (1024 * 1024)
    print(f"documents:        {n} ({len(docs)} seeds repeated), {mb:.2f} MB of UTF-8 text")
    print(f"elapsed:          {elapsed:.3f} s")
    print(f"documents/s:      {n / elapsed:.1f}")
    print(f"MB/s:             {mb / elapsed:.2f}")
    print(f"CPU:              {cpu:.3f} s, {mb / cpu:.2f} MB/s of CPU time (load average {os.getloadavg()[0]:.1f})")
    print(
        f"per document:     median {per_doc[len(per_doc) // 2] * 1000:.2f} ms, "
        f"p95 {per_doc[int(len(per_doc) * 0.95)] * 1000:.2f} ms, max {per_doc[-1] * 1000:.2f} ms"
    )
    print(
        f"largest seed:     {largest[0]} ({len(largest[1]) / 1024:.1f} KB), "
        f"peak Python allocation {peak_alloc / (1024 * 1024):.2f} MB"
    )
    print(f"peak memory:      {rss_kb / 1024:.1f} MB (max RSS of the process)")
    print(
        f"model load:       {load_s:.3f} s ({ranker.SHIPPED.name}, {ranker.SHIPPED.stat().st_size // 1024} KB, "
        f"{len(model.grams)} n-gram weights, labels {model.labels_hash[:12]})"
    )
    print(f"gram table:       {table_s:.3f} s (numpy's import and the sorted arrays, once per process, first score)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
