"""One province's decade for the scale benchmarks: commitments, reply letters, items and agencies, loaded with COPY.

    python -m benchmarks.bench_data [--database luoshi_bench5m] [--commitments 5000000] [--documents 1000000]

Built ONCE and reused by bench_search, bench_api, bench_ui and bench_reminders (`--database NAME`): on a shared
2-core machine generating 5,000,000 commitments takes long. The text is real: sentences of the annotated
corpus (corpus/, fixtures/documents/) drawn at random, so one- and two-character queries hit as many rows as
they would in real letters. Search columns are written exactly as the models write them (search.text), with
the per-sentence n-grams computed once. Drop the database at the end (`--drop`): it takes tens of GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "luoshi_bench5m"
AGENCIES = 200
USERS = 700
TZ_OFFSET = dt.timezone(dt.timedelta(hours=8))
# The GIN indexes of the search columns: dropped while COPY runs, built once afterwards (much faster).
SEARCH_INDEXES = {
    "proposal_search_idx": ("proposals_proposal", "search_vector"),
    "agency_search_idx": ("proposals_agency", "search_vector"),
    # Every caller's search of commitments and letters (search/scope.py; a GIN over both columns answers
    # `search_vector @@ …` alone too): built after search_scope_rebuild has filled scope_agencies.
    "commitment_scope_search_idx": ("commitments_commitment", "scope_agencies, search_vector"),
    "document_scope_search_idx": ("responses_document", "scope_agencies, search_vector"),
}


def db_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luoshi")
    return urlunsplit(urlsplit(base)._replace(path="/" + name))


def ensure_database(name: str, *, drop: bool = False) -> None:
    admin = db_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(db_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(name: str) -> None:
    os.environ["DATABASE_URL"] = db_url(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["API_THROTTLE_RATE"] = "1000000/minute"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def counts(name: str) -> tuple[int, int]:
    with psycopg.connect(db_url(name)) as conn:
        c = conn.execute("SELECT count(*) FROM commitments_commitment").fetchone()[0]
        d = conn.execute("SELECT count(*) FROM responses_document").fetchone()[0]
    return c, d


# ---------------------------------------------------------------------------------------- text


class Sentences:
    """The corpus's sentences with their n-grams precomputed: a row's tokens are the union of its sentences'."""

    def __init__(self) -> None:
        from search.text import normalize, tokens

        seen: dict[str, None] = {}
        for path in sorted([*ROOT.glob("corpus/*/*.txt"), *ROOT.glob("fixtures/documents/*.txt")]):
            for part in re.split(r"[。！？；\n]", path.read_text(encoding="utf-8", errors="replace")):
                part = part.strip()
                if 6 <= len(part) <= 160 and "\t" not in part and "\\" not in part:
                    seen[part] = None
        self.text = list(seen)
        self.norm = [normalize(s) for s in self.text]
        self.tokens = [frozenset(tokens(s)) for s in self.text]
        self.literal = ["'" + "' '".join(sorted(t)) + "'" if t else "" for t in self.tokens]
        short = [i for i, s in enumerate(self.text) if 10 <= len(s) <= 80]
        self.commitment_ids = short or list(range(len(self.text)))

    def document(self, rng: random.Random, chars: int) -> tuple[str, str, str]:
        picked, total = [], 0
        while total < chars:
            i = rng.randrange(len(self.text))
            picked.append(i)
            total += len(self.text[i]) + 1
        text = "。".join(self.text[i] for i in picked) + "。"
        norm = "。".join(self.norm[i] for i in picked) + "。"
        union: set[str] = set()
        for i in picked:
            union |= self.tokens[i]
        return text, norm, "'" + "' '".join(union) + "'"


# ---------------------------------------------------------------------------------------- load


def load(name: str, *, commitments: int, documents: int, doc_chars: int = 400) -> None:
    """Truncate and fill the database; see the module docstring."""
    from django.contrib.auth import get_user_model

    from commitments.models import ReminderScan
    from proposals.models import Agency, Body, Session

    url = db_url(name)
    rng = random.Random(20261205)
    t0 = time.perf_counter()
    sentences = Sentences()
    print(f"{len(sentences.text):,} corpus sentences")
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    old = now - dt.timedelta(days=30)
    proposals = max(1, documents // 4)

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "TRUNCATE commitments_reminder, commitments_reminderscan, commitments_commitment_agencies, "
            "commitments_target, commitments_progressupdate, commitments_changerequest, commitments_commitment, "
            "commitments_historicalcommitment, responses_response, responses_historicalresponse, "
            "responses_document, proposals_assignment, proposals_proposalproposer, proposals_proposal, "
            "proposals_historicalproposal, proposals_session, proposals_body_supervisors, proposals_body, "
            "proposals_agency_clerks, proposals_agency, accounts_apitoken RESTART IDENTITY CASCADE"
        )
        for index in SEARCH_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {index}")

    User = get_user_model()
    User.objects.filter(username__startswith="bench_").delete()
    users = User.objects.bulk_create(
        [User(username=f"bench_u{i}", email=f"u{i}@example.gov.cn", password="!") for i in range(USERS)]
    )
    bodies = [
        Body.objects.create(name="基准省人大", kind="npc", jurisdiction="基准省"),
        Body.objects.create(name="基准省政协", kind="cppcc", jurisdiction="基准省"),
    ]
    for i, body in enumerate(bodies):
        body.supervisors.add(*users[600 + i * 3 : 603 + i * 3])
    sessions = [
        Session.objects.create(
            body=b, term=14 + year // 5, meeting=year % 5 + 1, year=2017 + year, name=f"{b.name}第{year}次会议"
        )
        for b in bodies
        for year in range(10)
    ]
    agencies = [Agency(name=f"基准省第{i}局", short_name=f"省{i}局", jurisdiction="基准省") for i in range(AGENCIES)]
    for a in agencies:
        a.search_refresh()
    agencies = Agency.objects.bulk_create(agencies)
    through = Agency.clerks.through
    through.objects.bulk_create(
        [through(agency_id=a.pk, user_id=users[(i * 3 + k) % 600].pk) for i, a in enumerate(agencies) for k in range(2)]
    )
    agency_ids = [a.pk for a in agencies]
    # A few big agencies and a long tail (Zipf-like, as bench_api): the largest gets about 5 %.
    weights = [1 / (k**0.7) for k in range(1, AGENCIES + 1)]
    rng.shuffle(weights)
    lead = rng.choices(agency_ids, weights, k=proposals)
    print(f"reference data: {time.perf_counter() - t0:.1f}s")

    with psycopg.connect(url) as conn, conn.cursor() as cur:
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: checking ~40 million references at COMMIT took
        # longer than the COPY itself (measured: 15+ minutes). The generator writes consistent ids, so the
        # checks (triggers) are skipped for this session; needs a superuser, as a benchmark database has.
        cur.execute("SET session_replication_role = replica")
        with cur.copy(
            "COPY proposals_proposal (id, kind, number, title, summary, is_key, lead_official, supervising_official, "
            "assigned_on, reply_due_on, status, created_at, updated_at, session_id, search_text, search_vector) "
            "FROM STDIN"
        ) as copy:
            for p in range(1, proposals + 1):
                session = sessions[p % len(sessions)]
                i = rng.choice(sentences.commitment_ids)
                title = f"关于{sentences.text[i][:40]}的建议"
                number = str(100000 + p)
                vector = sentences.tokens[i] | {"关于", "的建", "建议", "关", "于", "的", "建", "议"}
                vector |= set(number) | {number[k : k + 2] for k in range(len(number) - 1)}
                assigned = dt.date(session.year, 3, 1)
                copy.write_row(
                    (
                        p,
                        "suggestion" if session.body_id == bodies[0].pk else "proposal",
                        number,
                        title,
                        "",
                        p % 50 == 0,
                        "",
                        "",
                        assigned,
                        assigned + dt.timedelta(days=90),
                        "replied",
                        old,
                        old,
                        session.pk,
                        f"{number}\n{title.lower()}\n",
                        "'" + "' '".join(vector) + "'",
                    )
                )
        with cur.copy(
            "COPY proposals_assignment (proposal_id, agency_id, role, assigned_on, due_on, answered_on) FROM STDIN"
        ) as copy:
            for p in range(1, proposals + 1):
                assigned = dt.date(sessions[p % len(sessions)].year, 3, 1)
                copy.write_row((p, lead[p - 1], "lead", assigned, assigned + dt.timedelta(days=90), assigned))
        print(f"proposals: {time.perf_counter() - t0:.1f}s")
        with cur.copy(
            "COPY responses_document (id, kind, title, original, original_name, source, text, content_hash, size, "
            "extraction, extraction_detail, extraction_version, text_hash, created_at, search_text, search_vector) FROM STDIN"
        ) as copy:
            for d in range(1, documents + 1):
                text, norm, vector = sentences.document(rng, rng.randint(doc_chars // 2, doc_chars * 3 // 2))
                copy.write_row(
                    (d, "reply", "", "", "", "", text, f"{d:064x}", 0, "{}", "{}", "", "", old, "\n" + norm, vector)
                )
        print(f"documents: {time.perf_counter() - t0:.1f}s")
        with cur.copy(
            "COPY responses_response (id, doc_number, signed_on, category, disclosure, is_draft, contact_name, "
            "contact_phones, cc, review_state, satisfaction, satisfaction_channel, created_at, updated_at, "
            "agency_id, document_id, proposal_id) FROM STDIN"
        ) as copy:
            for d in range(1, documents + 1):
                p = (d - 1) % proposals + 1
                year = sessions[p % len(sessions)].year
                copy.write_row(
                    (
                        d,
                        f"基准函〔{year}〕{d}号",
                        dt.date(year, 6, 1),
                        "b",
                        "public",
                        False,
                        "",
                        "[]",
                        "[]",
                        "confirmed",
                        "",
                        "",
                        old,
                        old,
                        lead[p - 1],
                        d,
                        p,
                    )
                )
        print(f"replies: {time.perf_counter() - t0:.1f}s")
        strengths = ["ensure", "strive", "seek", "will", "plan", "expect", "other"]
        co_rows: list[tuple[int, int]] = []
        with cur.copy(
            'COPY commitments_commitment (id, start, "end", section, section_kind, text, strength, deadline, '
            "deadline_text, precision, is_vague, recurrence, agency_names, status, closed_on, created_at, "
            "updated_at, agency_id, document_id, proposal_id, response_id, owner_id, search_text, search_vector) "
            "FROM STDIN"
        ) as copy:
            for c in range(1, commitments + 1):
                d = rng.randrange(1, documents + 1)
                p = (d - 1) % proposals + 1
                agency = lead[p - 1]
                if rng.random() < 0.1:
                    deadline, precision, words = None, "none", "尽快"
                else:
                    deadline = today + dt.timedelta(days=rng.randint(-5 * 365, 3 * 365))
                    precision, words = ("year", "month", "day")[rng.randrange(3)], f"{deadline.year}年底前"
                past = deadline is not None and deadline < today
                # As bench_reminders: most past commitments were closed; a realistic tail stays open and overdue.
                closed = rng.random() < (0.9 if past else 0.05)
                i = rng.choice(sentences.commitment_ids)
                copy.write_row(
                    (
                        c,
                        0,
                        len(sentences.text[i]),
                        "下一步工作",
                        "next",
                        sentences.text[i],
                        rng.choice(strengths),
                        deadline,
                        words,
                        precision,
                        deadline is None,
                        "",
                        "[]",
                        "fulfilled" if closed else "open",
                        deadline if closed and deadline else None,
                        old,
                        old,
                        agency,
                        d,
                        p,
                        d,
                        users[c % 50].pk if c % 4 == 0 else None,
                        sentences.norm[i],
                        sentences.literal[i],
                    )
                )
                co_rows.append((c, agency))
                if rng.random() < 0.2:
                    other = rng.choice(agency_ids)
                    if other != agency:
                        co_rows.append((c, other))
        print(f"commitments: {time.perf_counter() - t0:.1f}s")
        with cur.copy("COPY commitments_commitment_agencies (commitment_id, agency_id) FROM STDIN") as copy:
            for row in co_rows:
                copy.write_row(row)
        del co_rows
        with cur.copy("COPY commitments_target (commitment_id, text, value, unit, actual_note) FROM STDIN") as copy:
            for c in range(1, commitments + 1, 7):
                copy.write_row((c, "300 亿元", 30000000000, "元", ""))
        for table in ("proposals_proposal", "responses_document", "responses_response", "commitments_commitment"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
    print(f"rows copied: {time.perf_counter() - t0:.1f}s")
    # The COPY ran with session_replication_role = replica: no trigger kept the tallies; recount them.
    from commitments.services import commitment_tally_rebuild
    from followup.services import rating_tally_rebuild

    t = time.perf_counter()
    print(f"commitment tally: {commitment_tally_rebuild():,} rows in {time.perf_counter() - t:.1f}s")
    t = time.perf_counter()
    print(f"reply rating tally: {rating_tally_rebuild():,} rows in {time.perf_counter() - t:.1f}s")
    # Nor scope_agencies (the clerk's search): filled while the GIN indexes are still dropped.
    from search.scope import rebuild as search_scope_rebuild

    t = time.perf_counter()
    print(f"search scope: {search_scope_rebuild()} rows changed in {time.perf_counter() - t:.1f}s")
    yesterday = today - dt.timedelta(days=1)
    ReminderScan.objects.create(
        as_of=yesterday,
        started_at=dt.datetime.combine(yesterday, dt.time(9), TZ_OFFSET),
        finished_at=dt.datetime.combine(yesterday, dt.time(9, 5), TZ_OFFSET),
    )
    # GIN builds are single-threaded in PostgreSQL 15: build them side by side, one connection each.
    with ThreadPoolExecutor(max_workers=len(SEARCH_INDEXES)) as pool:
        list(pool.map(lambda item: _build_index(url, *item), SEARCH_INDEXES.items()))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"loaded {commitments:,} commitments, {documents:,} documents in {time.perf_counter() - t0:.1f}s")


def _build_index(url: str, index: str, spec: tuple[str, str]) -> None:
    t = time.perf_counter()
    table, columns = spec
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({columns})")
    print(f"{index}: {time.perf_counter() - t:.1f}s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DB)
    parser.add_argument("--commitments", type=int, default=5_000_000)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--doc-chars", type=int, default=400, help="mean characters of a generated letter")
    parser.add_argument("--drop", action="store_true", help="drop the database and exit")
    args = parser.parse_args()
    if args.drop:
        drop_database(args.database)
        print(f"dropped {args.database}")
        return 0
    ensure_database(args.database)
    setup_django(args.database)
    load(args.database, commitments=args.commitments, documents=args.documents, doc_chars=args.doc_chars)
    return 0


if __name__ == "__main__":
    sys.exit(main())
