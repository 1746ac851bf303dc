"""Benchmark the counts at scale: tally vs live COUNT for the supervisor, semi-join vs former OR scope for the clerk.

Usage: python -m benchmarks.bench_counts --database luoshi_bench5m [--runs 10] [--timeout 60] [--only clerk]

On a filled database (bench_data, or bench_ui's), measured alternately in one run, p50/p95 in ms:
- the supervisor's dashboard counts, per-agency table and deadline chart (selectors) from CommitmentTally and
  OpenDeadlineTally vs the live aggregates they replaced (`dashboard_counts_live`, `agency_performance_rows_live`, a
  live GROUP BY month); the per-agency page's 满意率 and rating sides from ReplyRatingTally vs
  `rating_rates_by_agency_live` (two aggregates over the visible replies and their ratings);
- the clerk of the agency with the most commitments: their dashboard counts from ResponsibilityTally vs the live
  aggregate over their scope; COUNT of the open ones and the first page of 50 by deadline, with the semi-join scope
  (`Commitment.objects.visible_to`) vs the former `agency_id IN (…) OR id = ANY(ARRAY(SELECT commitment_id … M2M))`.
A statement over `--timeout` seconds is cancelled and reported as "> timeout". The server must have run
`manage.py migrate` (the tally's migration fills it). Prints the plan of each new query's first run with --plans.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit


def _url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luoshi")
    return urlunsplit(urlsplit(base)._replace(path=f"/{name}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--timeout", type=int, default=60, help="seconds before a statement is cancelled")
    parser.add_argument("--plans", action="store_true", help="print EXPLAIN of the clerk's new queries")
    parser.add_argument("--only", action="append", help="only the cases whose name contains this (repeatable)")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = _url(args.database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    import datetime as dt

    from django.db import connection, transaction
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth
    from django.db.utils import OperationalError

    from commitments import selectors
    from commitments.choices import CommitmentStatus
    from commitments.models import Commitment, CommitmentTally
    from followup.selectors import rating_rates_by_agency, rating_rates_by_agency_live
    from proposals import scoping
    from proposals.models import Agency, Body
    from tests import factories

    today = dt.date.today()
    body = Body.objects.order_by("pk").first()
    top = (
        CommitmentTally.objects.exclude(agency_id=None)
        .values("agency_id")
        .annotate(total=Sum("n"))
        .order_by("-total")
        .first()
    )
    if body is None or top is None:
        print("empty database, or the tally is empty (run manage.py migrate / tally_rebuild)")
        return 1
    agency = Agency.objects.get(pk=top["agency_id"])
    supervisor = factories.supervisor_of(body, "bench_counts_supervisor")
    clerk = factories.clerk_of(agency, "bench_counts_clerk")
    for user in (supervisor, clerk):
        scoping.cache_clear(user)
    print(f"{top['total']:,} commitments led by {agency.name} (the largest agency); supervisor of {body.name};")
    print(f"{args.runs} runs each, alternating; today {today}")

    def live_months():
        end = dt.date(today.year + 1, today.month, 1)
        return list(
            Commitment.objects.visible_to(supervisor)
            .filter(status=CommitmentStatus.OPEN, deadline__gte=today, deadline__lt=end)
            .annotate(month=TruncMonth("deadline"))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )

    def former(qs):
        # The clerk scope before this change (kept here only to measure it).
        ids = scoping.agency_ids(clerk)
        return qs.extra(
            where=[
                "(agency_id = ANY(%s) OR id = ANY(ARRAY(SELECT commitment_id FROM commitments_commitment_agencies"
                " WHERE agency_id = ANY(%s))))"
            ],
            params=[ids, ids],
        )

    def page(qs):
        return list(qs.filter(status=CommitmentStatus.OPEN).order_by("deadline", "pk").values_list("pk")[:50])

    cases = [
        (
            "supervisor dashboard counts",
            lambda: selectors.dashboard_counts(user=supervisor, today=today),
            lambda: selectors.dashboard_counts_live(user=supervisor, today=today),
        ),
        (
            "supervisor per-agency table",
            lambda: selectors.agency_performance(user=supervisor, today=today, rated={}),
            lambda: selectors.agency_performance_rows_live(user=supervisor, today=today),
        ),
        (
            "supervisor 满意率 (replies, ratings)",
            lambda: rating_rates_by_agency(user=supervisor),
            lambda: rating_rates_by_agency_live(user=supervisor),
        ),
        (
            "supervisor deadline chart",
            lambda: selectors.deadlines_by_month(user=supervisor, today=today),
            live_months,
        ),
        (
            "clerk dashboard counts",
            lambda: selectors.dashboard_counts(user=clerk, today=today),
            lambda: selectors.dashboard_counts_live(user=clerk, today=today),
        ),
        (
            "clerk COUNT open (largest agency)",
            lambda: Commitment.objects.visible_to(clerk).filter(status=CommitmentStatus.OPEN).count(),
            lambda: former(Commitment.objects.filter(status=CommitmentStatus.OPEN)).count(),
        ),
        (
            "clerk first page by deadline",
            lambda: page(Commitment.objects.visible_to(clerk)),
            lambda: page(former(Commitment.objects.all())),
        ),
    ]
    if args.only:
        cases = [case for case in cases if any(o in case[0] for o in args.only)]
    if args.plans:
        with connection.cursor() as cur:
            for label, qs in (
                ("clerk COUNT open", Commitment.objects.visible_to(clerk).filter(status="open").order_by()),
                (
                    "clerk page",
                    Commitment.objects.visible_to(clerk).filter(status="open").order_by("deadline", "pk")[:50],
                ),
            ):
                sql, params = qs.values("pk").query.sql_with_params()
                cur.execute("EXPLAIN " + sql, params)
                print(label + ":\n  " + "\n  ".join(r[0] for r in cur.fetchall()))

    def timed(fn) -> float | None:
        try:
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute(f"SET LOCAL statement_timeout = {args.timeout * 1000}")
                t = time.perf_counter()
                fn()
                return (time.perf_counter() - t) * 1000
        except OperationalError:
            return None

    def fmt(times: list[float | None]) -> str:
        done = sorted(t for t in times if t is not None)
        if len(done) < len(times):
            return f"{'> timeout':>19}"
        p95 = done[max(0, int(round(0.95 * len(done))) - 1)]
        return f"{statistics.median(done):9.1f} {p95:9.1f}"

    print(f"{'':36} {'new p50':>9} {'new p95':>9}   {'old p50':>9} {'old p95':>9}")
    for name, new, old in cases:
        new_t: list[float | None] = []
        old_t: list[float | None] = []
        for _ in range(args.runs):
            new_t.append(timed(new))
            # An old form that timed out once is not run again: it would hold the machine for the timeout each time.
            old_t.append(timed(old) if all(t is not None for t in old_t) else None)
        print(f"{name:36} {fmt(new_t)}   {fmt(old_t)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
