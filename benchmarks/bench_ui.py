"""Benchmark the web UI: p50/p95 response times of every main page with 10,000 proposals and 100,000 commitments.

Usage: python -m benchmarks.bench_ui [--runs 30] [--keep] [--commitments 100000] [--database luoshi_bench5m]
       [--bench-db luoshi_bench_ui]
Uses its own database, luoshi_bench_ui (dropped and recreated unless --keep finds it filled), on the PostgreSQL
server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432). Pages are fetched through django.test.Client
in-process, so the numbers are server time (ORM, templates) without network. The bar is p95 < 300 ms. Beside the
wall time, the CPU time of each request (this process plus its PostgreSQL backend, from /proc): on a shared
machine the wall time grows with the other processes' load, the CPU time does not.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "luoshi_bench_ui"
PROPOSALS = 10_000
COMMITMENTS = 100_000
AGENCIES = 40
BAR_MS = 300.0


def _database_url() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luoshi")
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    return admin, bench


def _reset_database(admin_url: str, keep: bool) -> bool:
    """Create the benchmark database; returns True when an existing filled one is kept."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)).fetchone()
        if exists and keep:
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return False


def _fill() -> None:
    """Seed fixtures plus synthetic proposals, replies and commitments, written with bulk_create."""
    import datetime as dt
    import hashlib

    from django.core.management import call_command
    from django.db import connection

    from commitments.choices import CommitmentStatus, Precision, Strength
    from commitments.models import Commitment, Target
    from proposals.models import Agency, Assignment, Body, Proposal, Session
    from responses.models import Document, Response

    call_command("migrate", verbosity=0)
    call_command("load_seed_fixtures", verbosity=0)
    rng = random.Random(20260301)
    today = dt.date.today()
    body = Body.objects.create(name="基准测试市人大", kind="npc", jurisdiction="基准测试市")
    sessions = [
        Session.objects.create(body=body, term=15, meeting=m, year=2020 + m, name=f"基准测试市第十五届人大{m}次会议")
        for m in (1, 2, 3, 4)
    ]
    agencies = Agency.objects.bulk_create(
        Agency(name=f"基准测试市第{i}局", jurisdiction="基准测试市") for i in range(AGENCIES)
    )
    started = time.perf_counter()
    proposals = Proposal.objects.bulk_create(
        (
            Proposal(
                session=sessions[i % 4],
                kind="suggestion",
                number=str(100000 + i),
                title=f"关于第{i}件民生事项的建议",
                is_key=i % 50 == 0,
                status="replied" if i % 3 else "assigned",
                assigned_on=today - dt.timedelta(days=rng.randint(0, 400)),
                reply_due_on=today + dt.timedelta(days=rng.randint(-120, 90)),
            )
            for i in range(PROPOSALS)
        ),
        batch_size=2000,
    )
    Assignment.objects.bulk_create(
        (
            Assignment(
                proposal=p,
                agency=agencies[i % AGENCIES],
                role="lead",
                assigned_on=p.assigned_on,
                due_on=p.reply_due_on,
                answered_on=None if p.status == "assigned" else p.reply_due_on,
            )
            for i, p in enumerate(proposals)
        ),
        batch_size=2000,
    )
    documents = Document.objects.bulk_create(
        (
            Document(
                kind="reply",
                title=f"答复函{i}",
                text=("下一步，我局将于年内完成相关工作。" * 20),
                content_hash=hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
            )
            for i in range(PROPOSALS)
        ),
        batch_size=2000,
    )
    satisfaction = ["", "", "satisfied", "basically", "unsatisfied"]
    responses = Response.objects.bulk_create(
        (
            Response(
                document=d,
                proposal=p,
                agency=agencies[i % AGENCIES],
                doc_number=f"基测函〔2024〕{i}号",
                signed_on=today - dt.timedelta(days=rng.randint(0, 300)),
                review_state="confirmed",
                satisfaction=satisfaction[i % 5],
            )
            for i, (d, p) in enumerate(zip(documents, proposals, strict=True))
        ),
        batch_size=2000,
    )
    statuses = [CommitmentStatus.OPEN] * 7 + [CommitmentStatus.FULFILLED] * 2 + [CommitmentStatus.MISSED]
    strengths = [s for s, _ in Strength.choices]
    per = COMMITMENTS // PROPOSALS
    rows = []
    for i in range(COMMITMENTS):
        response = responses[i // per]
        deadline = today + dt.timedelta(days=rng.randint(-365, 730)) if i % 6 else None
        status = statuses[i % len(statuses)]
        closed = (
            deadline + dt.timedelta(days=rng.randint(-60, 60))
            if status != "open" and deadline
            else (today if status != "open" else None)
        )
        rows.append(
            Commitment(
                document_id=response.document_id,
                response=response,
                proposal_id=response.proposal_id,
                start=0,
                end=10,
                text=f"力争到期完成第{i}项工作任务",
                strength=strengths[i % len(strengths)],
                deadline=deadline,
                deadline_text="年内" if deadline else "",
                status=status,
                closed_on=closed,
                precision=Precision.YEAR if deadline else Precision.NONE,
                agency_id=response.agency_id,
                section_kind="next",
            )
        )
    # 2,000 rows × ~28 columns stays under PostgreSQL's 65,535 parameters per statement (5,000 no longer did).
    commitments = Commitment.objects.bulk_create(rows, batch_size=2000)
    through = Commitment.agencies.through
    through.objects.bulk_create(
        (through(commitment_id=c.pk, agency_id=c.agency_id) for c in commitments), batch_size=10000
    )
    Target.objects.bulk_create(
        (Target(commitment=c, text="300 亿元", value=30000000000, unit="元") for c in commitments[::5]),
        batch_size=10000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {PROPOSALS} proposals, {COMMITMENTS} commitments in {time.perf_counter() - started:.1f} s")


def _backend_cpu_ns() -> tuple[int | None, int]:
    """The PostgreSQL backend of this process's connection, and the CPU time it has used (ns, /proc schedstat)."""
    from django.db import connection

    raw = connection.connection
    pid = getattr(getattr(raw, "info", None), "backend_pid", None)
    try:
        with open(f"/proc/{pid}/schedstat") as stat:  # the server on this machine (the benchmarks' case)
            return pid, int(stat.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None, 0


def _measure(client, url: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall time per request (ms), and CPU time (ms): this process's plus its PostgreSQL backend's.

    The CPU figure does not grow with other processes' load on a shared machine, as the wall time does; it omits
    parallel query workers (none of the supervisor pages' queries plans them) and is absent when the backend is
    not on this machine.
    """
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times, cpu = [], []
    for _ in range(runs):
        pid, server = _backend_cpu_ns()
        own = time.process_time()
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        own = time.process_time() - own
        after_pid, after = _backend_cpu_ns()
        if pid is not None and after_pid == pid:
            cpu.append(own * 1000 + (after - server) / 1e6)
    return times, cpu


def main(argv: list[str] | None = None) -> int:
    global COMMITMENTS, PROPOSALS, BENCH_DB
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="reuse a filled benchmark database")
    parser.add_argument("--commitments", type=int, default=COMMITMENTS, help="synthetic commitments (with --keep off)")
    parser.add_argument("--only", action="append", help="only the pages whose name contains this (repeatable)")
    parser.add_argument("--bench-db", default=BENCH_DB, help="name of the database it builds (default %(default)s)")
    parser.add_argument(
        "--database", help="reuse this filled database (benchmarks/bench_data.py, e.g. luoshi_bench5m) as it is"
    )
    args = parser.parse_args(argv)
    BENCH_DB = args.bench_db
    if args.commitments != COMMITMENTS:
        PROPOSALS = max(1, PROPOSALS * args.commitments // COMMITMENTS)
        COMMITMENTS = args.commitments
    admin_url, bench_url = _database_url()
    if args.database:
        bench_url = urlunsplit(urlsplit(bench_url)._replace(path=f"/{args.database}"))
        kept = True
    else:
        kept = _reset_database(admin_url, args.keep)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from commitments.models import Commitment
    from proposals.models import Agency, Body, Proposal
    from responses.models import Response
    from tests import factories

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    if not kept:
        _fill()
    if args.database:
        # The scale database: the first body, and the agency with the most commitments (the worst filter case).
        from django.db.models import Count

        body = Body.objects.order_by("pk").first()
        agency = Agency.objects.annotate(n=Count("lead_commitments")).order_by("-n").first()
    else:
        body = Body.objects.get(name="基准测试市人大")
        agency = Agency.objects.get(name="基准测试市第7局")
    supervisor = factories.supervisor_of(body, "bench_supervisor")
    clerk = factories.clerk_of(agency, "bench_clerk")
    # One the supervisor may see (an item of their body): the agency's first commitment may be another body's.
    commitment = Commitment.objects.visible_to(supervisor).filter(agency=agency, status="open").order_by("pk").first()
    proposal = Proposal.objects.filter(session__body=body).order_by("pk").first()
    reply = Response.objects.filter(agency=agency).order_by("pk").first()
    as_supervisor, as_clerk = Client(), Client()
    as_supervisor.force_login(supervisor)
    as_clerk.force_login(clerk)
    dash = reverse("commitments:dashboard")
    pages = [
        ("home (clerk)", as_clerk, reverse("home")),
        ("home (supervisor)", as_supervisor, reverse("home")),
        ("dashboard overdue", as_supervisor, dash),
        ("dashboard due 30 days", as_supervisor, dash + "?tab=due30"),
        ("dashboard due 90 days", as_supervisor, dash + "?tab=due90"),
        ("dashboard all, agency filter", as_supervisor, dash + f"?tab=all&agency={agency.pk}"),
        (
            "dashboard key+strength+precision",
            as_supervisor,
            dash + "?tab=open&is_key=true&strength=ensure&precision=year",
        ),
        ("dashboard sorted -deadline p.40", as_supervisor, dash + "?tab=all&ordering=-deadline&page=40"),
        ("dashboard (clerk)", as_clerk, dash + "?tab=all"),
        ("dashboard overdue (clerk)", as_clerk, dash),
        ("dashboard due 30 days (clerk)", as_clerk, dash + "?tab=due30"),
        ("agency statistics", as_supervisor, reverse("commitments:agency_stats")),
        ("commitment page", as_supervisor, reverse("commitments:detail", args=[commitment.pk])),
        ("proposal list", as_supervisor, reverse("proposals:list")),
        ("proposal list (search)", as_supervisor, reverse("proposals:list") + "?q=9999"),
        ("proposal page", as_supervisor, reverse("proposals:detail", args=[proposal.pk])),
        ("reply list", as_clerk, reverse("responses:list")),
        ("reply letter page", as_clerk, reverse("responses:detail", args=[reply.pk])),
        ("upload page", as_clerk, reverse("commitments:reply_upload")),
        ("import page", as_supervisor, reverse("proposals:import")),
        (
            "export .xlsx overdue, one agency",
            as_supervisor,
            reverse("commitments:export") + f"?tab=overdue&agency={agency.pk}",
        ),
    ]
    if args.only:
        pages = [p for p in pages if any(o in p[0] for o in args.only)]
    print(f"{Commitment.objects.count()} commitments, {Proposal.objects.count()} proposals; {args.runs} runs per page")
    print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   {'CPU p50':>8} {'CPU p95':>8}")
    worst = 0.0

    def p95_of(values: list[float]) -> float:
        return values[max(0, int(round(0.95 * len(values))) - 1)]

    for name, client, url in pages:
        times, cpu = (sorted(values) for values in _measure(client, url, args.runs))
        p50 = statistics.median(times)
        p95 = p95_of(times)
        worst = max(worst, p95)
        flag = "" if p95 < BAR_MS else "  ← over the bar"
        cpu_cols = f"{statistics.median(cpu):8.1f} {p95_of(cpu):8.1f}" if cpu else f"{'—':>8} {'—':>8}"
        print(f"{name:40} {p50:8.1f} {p95:8.1f} {times[-1]:8.1f}   {cpu_cols}{flag}")
    verdict = "PASS" if worst < BAR_MS else "FAIL"
    print(f"worst p95: {worst:.1f} ms (bar {BAR_MS:.0f} ms) → {verdict}")
    return 0 if worst < BAR_MS else 1


if __name__ == "__main__":
    sys.exit(main())
