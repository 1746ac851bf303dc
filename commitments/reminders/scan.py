"""The reminder scan: one pass that finds what is due and records it under the unique key, exactly once.

Design (docs/reminders.md): the `Reminder` row is the schedule and this periodic scan is the trigger. A scan
computes, for each open item, the most recent reminder due in its date window, inserts one row per recipient
with ON CONFLICT DO NOTHING on (recipient, subject_type, subject_id, kind, due_on), marks older pending rows of
the same item superseded, and enqueues one delivery per digest with `transaction.on_commit` — in the same
transaction, so a row exists if and only if its delivery was (or will be, by the redelivery sweep) scheduled.

The date window is [day after the previous scan's date, today]: normally today only, several days after an
outage (only the latest reminder per item is recorded). Commitments changed since the previous scan (new,
imported, extended, reassigned) are looked at whatever their window, so an old letter imported today gets its
most recent reminder once. Assignments and change requests are few and are always looked at in full.
"""

import datetime as dt
import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from proposals.choices import ProposalStatus, WebhookKind
from proposals.models import Agency, Assignment, Body, Proposal, Session

from ..choices import ChangeState, Channel, CommitmentStatus, ReminderKind, ReminderState, ReminderSubject
from ..models import ChangeRequest, Commitment, Reminder, ReminderScan, WebhookDelivery
from . import schedule
from .sources import Window, all_sources

log = logging.getLogger(__name__)

# pg_try_advisory_xact_lock key: two scans never run at once (beat overlap, a manual send_reminders).
# SQLite (the `make run` default) has no advisory locks; there the write lock does the same (see _scan_lock).
SCAN_LOCK = 0x4C55_5348
CHUNK = 5000
REMINDER_GROUP = "reminder"
ESCALATION_GROUP = "escalation"


def _setting(name: str, default):
    return getattr(settings, name, default)


def scan_date(now: dt.datetime) -> dt.date:
    """The reminder date a scan at `now` computes for (the day starts at REMINDERS_DAY_STARTS_AT o'clock)."""
    return schedule.as_of(timezone.localtime(now), _setting("REMINDERS_DAY_STARTS_AT", 8))


def digest_key(scan_id: int, recipient_id: int, kind: str) -> str:
    """One digest per recipient per scan, the weekly escalation to supervisors separate from the rest."""
    group = ESCALATION_GROUP if kind == ReminderKind.ESCALATION else REMINDER_GROUP
    return f"{scan_id}:{recipient_id}:{group}"


@dataclass
class ScanResult:
    """What one scan found and recorded."""

    as_of: dt.date
    since: dt.date | None = None
    scan_id: int | None = None
    skipped: bool = False
    candidates: int = 0
    recorded: int = 0
    digests: list[str] = field(default_factory=list)
    webhooks: list[int] = field(default_factory=list)
    superseded: int = 0
    # Rows whose stored date the schedule cannot compute with (e.g. 0001-01-01 written around the services):
    # skipped and logged, so one bad row never stops everybody's reminders.
    bad_rows: int = 0
    # Seconds per phase: each source's recording ("source:<subject>"), "supersede", "digests", "webhooks".
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class Context:
    """Reference data loaded once per scan: offsets per body, who belongs where, who has e-mail."""

    bodies: dict[int, tuple[tuple[int, ...], tuple[int, ...], int]]
    clerks: dict[int, tuple[int, ...]]
    supervisors: dict[int, tuple[int, ...]]
    all_supervisors: tuple[int, ...]
    active: set[int]
    with_email: set[int]
    webhook_agencies: set[int]

    @classmethod
    def load(cls) -> "Context":
        bodies = {
            pk: (
                schedule.offsets(reply, schedule.DEFAULT_REPLY_DAYS),
                schedule.offsets(commit, schedule.DEFAULT_COMMITMENT_DAYS),
                escalation,
            )
            for pk, reply, commit, escalation in Body.objects.values_list(
                "pk", "reply_reminder_days", "commitment_reminder_days", "escalation_after_days"
            )
        }
        users = get_user_model().objects.filter(is_active=True).values_list("pk", "email")
        active, with_email = set(), set()
        for pk, email in users.iterator(chunk_size=CHUNK):
            active.add(pk)
            if email:
                with_email.add(pk)
        clerks: dict[int, list[int]] = defaultdict(list)
        for agency_id, user_id in Agency.clerks.through.objects.values_list("agency_id", "user_id"):
            if user_id in active:
                clerks[agency_id].append(user_id)
        supervisors: dict[int, list[int]] = defaultdict(list)
        for body_id, user_id in Body.supervisors.through.objects.values_list("body_id", "user_id"):
            if user_id in active:
                supervisors[body_id].append(user_id)
        webhook_agencies = set(
            Agency.objects.exclude(webhook_kind=WebhookKind.NONE).exclude(webhook_url="").values_list("pk", flat=True)
        )
        return cls(
            bodies=bodies,
            clerks={k: tuple(v) for k, v in clerks.items()},
            supervisors={k: tuple(v) for k, v in supervisors.items()},
            all_supervisors=tuple(sorted({u for v in supervisors.values() for u in v})),
            active=active,
            with_email=with_email,
            webhook_agencies=webhook_agencies,
        )

    def reply_days(self, body_id: int | None) -> tuple[int, ...]:
        return self.bodies[body_id][0] if body_id in self.bodies else schedule.DEFAULT_REPLY_DAYS

    def commitment_days(self, body_id: int | None) -> tuple[int, ...]:
        return self.bodies[body_id][1] if body_id in self.bodies else schedule.DEFAULT_COMMITMENT_DAYS

    def escalation_days(self, body_id: int | None) -> int:
        return self.bodies[body_id][2] if body_id in self.bodies else schedule.DEFAULT_ESCALATION_DAYS


class Recorder:
    """Buffers reminder rows and inserts them in chunks with ON CONFLICT DO NOTHING on the unique key."""

    # The digests come back from the insert itself (RETURNING): no second pass over this scan's rows.
    SQL = f"""
        WITH ins AS (
        INSERT INTO {Reminder._meta.db_table}
            (recipient_id, subject_type, subject_id, kind, due_on, channel, state, attempts, last_error,
             created_at, scan_id, digest_key, summary)
        SELECT r, st, sid, k, d, ch, %s, 0, '', %s, %s, dk, NULLIF(sm, '')::jsonb
        FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::date[], %s::text[], %s::text[],
                    %s::text[])
            AS t(r, st, sid, k, d, ch, dk, sm)
        ON CONFLICT (recipient_id, subject_type, subject_id, kind, due_on) DO NOTHING
        RETURNING digest_key
        )
        SELECT digest_key, count(*) FROM ins GROUP BY digest_key
    """
    # Other databases (SQLite under `make run`): one row per parameter set, the same conflict rule.
    PORTABLE_SQL = f"""
        INSERT INTO {Reminder._meta.db_table}
            (recipient_id, subject_type, subject_id, kind, due_on, channel, state, attempts, last_error,
             created_at, scan_id, digest_key, summary)
        VALUES (%s, %s, %s, %s, %s, %s, %s, 0, '', %s, %s, %s, %s)
        ON CONFLICT (recipient_id, subject_type, subject_id, kind, due_on) DO NOTHING
    """

    def __init__(self, scan: ReminderScan, ctx: Context):
        self.scan, self.ctx = scan, ctx
        self.created_at = timezone.now()
        self.rows: list[tuple] = []
        self.recorded = 0
        self.bad_rows = 0
        # Digest keys of the rows inserted (PostgreSQL, from RETURNING).
        self.digest_keys: set[str] = set()
        # (agency_id) -> [(subject_type, subject_id, kind, due_on)] for agencies with a group robot.
        self.webhook_items: dict[int, set[tuple[str, int, str, dt.date]]] = defaultdict(set)

    def add(
        self,
        recipients: Iterable[int],
        subject_type: str,
        subject_id: int,
        due: schedule.Due,
        summary: dict[str, Any] | None = None,
    ) -> None:
        """Buffer one row per recipient; `summary` only on a per-agency escalation row (stored as JSON)."""
        encoded = json.dumps(summary, ensure_ascii=False) if summary is not None else ""
        for user_id in recipients:
            channel = Channel.EMAIL if user_id in self.ctx.with_email else Channel.IN_APP
            self.rows.append(
                (
                    user_id,
                    subject_type,
                    subject_id,
                    due.kind,
                    due.on,
                    channel,
                    digest_key(self.scan.pk, user_id, due.kind),
                    encoded,
                )
            )
        if len(self.rows) >= CHUNK:
            self.flush()

    def add_webhook(self, agency_ids: Iterable[int], subject_type: str, subject_id: int, due: schedule.Due) -> None:
        for agency_id in agency_ids:
            if agency_id in self.ctx.webhook_agencies:
                self.webhook_items[agency_id].add((subject_type, subject_id, due.kind, due.on))

    def bad_row(self, subject_type: str, subject_id: int, day) -> None:
        """Skip a row whose stored date is out of the schedule's reach, and say which one."""
        self.bad_rows += 1
        log.warning("reminders scan: skipped %s %s, its date %s is out of range", subject_type, subject_id, day)

    def count_returned(self, rows: Iterable[tuple[str | None, int]]) -> None:
        """(digest key, rows inserted) pairs from an INSERT … RETURNING; a None key is a candidate count."""
        for key, count in rows:
            if key is not None:
                self.digest_keys.add(key)
                self.recorded += count

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                columns = list(zip(*self.rows, strict=True))
                cursor.execute(self.SQL, [ReminderState.PENDING, self.created_at, self.scan.pk, *map(list, columns)])
                self.count_returned(cursor.fetchall())
                self.rows = []
                return
            else:
                ops = connection.ops
                created_at = ops.adapt_datetimefield_value(self.created_at)
                cursor.executemany(
                    self.PORTABLE_SQL,
                    [
                        (
                            r,
                            st,
                            sid,
                            k,
                            ops.adapt_datefield_value(d),
                            ch,
                            ReminderState.PENDING,
                            created_at,
                            self.scan.pk,
                            dk,
                            sm or None,
                        )
                        for r, st, sid, k, d, ch, dk, sm in self.rows
                    ],
                )
            self.recorded += cursor.rowcount
        self.rows = []


def recipients(ctx: Context, owner_id: int | None, agency_ids: Iterable[int]) -> set[int]:
    people = {u for a in agency_ids for u in ctx.clerks.get(a, ())}
    if owner_id and owner_id in ctx.active:
        people.add(owner_id)
    return people


# ---------------------------------------------------------------------------------------- commitments


def _open_deadlines(changed_since: dt.datetime | None = None) -> list[dt.date]:
    """The distinct deadlines of open commitments (of those changed since `changed_since` when given).

    All of them: a loose index scan of `commitment_status_deadline_idx` (one index probe per distinct date, a
    few thousand for a decade), not a pass over the rows. Changed ones: `commitment_updated_idx`."""
    table = Commitment._meta.db_table
    with connection.cursor() as cursor:
        if changed_since is None:
            cursor.execute(
                f"""
                WITH RECURSIVE d(day) AS (
                    SELECT min(deadline) FROM {table} WHERE status = %s AND deadline IS NOT NULL
                    UNION ALL
                    SELECT (SELECT min(deadline) FROM {table} WHERE status = %s AND deadline > d.day)
                    FROM d WHERE d.day IS NOT NULL
                )
                SELECT day FROM d WHERE day IS NOT NULL
                """,
                [CommitmentStatus.OPEN, CommitmentStatus.OPEN],
            )
        else:
            cursor.execute(
                f"SELECT DISTINCT deadline FROM {table} WHERE updated_at >= %s AND status = %s AND deadline IS NOT NULL",
                [changed_since, CommitmentStatus.OPEN],
            )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class DueTable:
    """Every (deadline, year precision, body configuration, changed) → reminder of the window, computed once.

    The date rules depend on a commitment only through its deadline, whether the deadline is year-precision
    (the 90-day offset), its body's offsets and escalation days, and whether it changed since the last scan
    (then its window is open-ended). So Python applies `schedule` to the few thousand distinct deadlines, and one
    INSERT … SELECT joins the commitments to this small table: no row of the millions passes through Python."""

    deadline: list[dt.date] = field(default_factory=list)
    year: list[bool] = field(default_factory=list)
    config: list[int] = field(default_factory=list)
    changed: list[bool] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    due_on: list[dt.date] = field(default_factory=list)
    bad_deadlines: list[dt.date] = field(default_factory=list)

    def add(self, deadline: dt.date, year: bool, config: int, changed: bool, due: schedule.Due | None) -> None:
        if due is not None:
            self.deadline.append(deadline)
            self.year.append(year)
            self.config.append(config)
            self.changed.append(changed)
            self.kind.append(due.kind)
            self.due_on.append(due.on)

    def fill(self, deadlines: Iterable[dt.date], configs: list[tuple[tuple[int, ...], int]], *, today, since, changed):
        for deadline in deadlines:
            try:
                for index, (days, after_days) in enumerate(configs):
                    for year in (True, False):
                        due = schedule.commitment_due(
                            deadline=deadline,
                            today=today,
                            precision=schedule.YEAR_PRECISION if year else "day",
                            days=days,
                            since=since,
                        )
                        self.add(deadline, year, index, changed, due)
                    esc = schedule.escalation_due(deadline=deadline, today=today, after_days=after_days, since=since)
                    for year in (True, False):
                        self.add(deadline, year, index, changed, esc)
            except (OverflowError, ValueError):
                self.bad_deadlines.append(deadline)


# The set-based recording of commitment reminders (PostgreSQL). Plan (EXPLAIN ANALYZE at 5M, docs/reminders.md):
# the unchanged hits are a bitmap scan of commitment_status_deadline_idx on `deadline = ANY(due deadlines)`,
# hash-joined with the due table; the changed hits an index scan of commitment_updated_idx; recipients are
# hash joins with the clerk / supervisor / user tables; the rows go in through the unique index with ON CONFLICT.
COMMITMENTS_INSERT = """
    WITH due(deadline, year, config, changed, kind, due_on) AS (
        SELECT * FROM unnest(%(d_deadline)s::date[], %(d_year)s::bool[], %(d_config)s::int[], %(d_changed)s::bool[],
                             %(d_kind)s::text[], %(d_on)s::date[])
    ),
    body_config(body_id, config, after_days) AS (
        SELECT * FROM unnest(%(bodies)s::bigint[], %(body_configs)s::int[], %(body_after)s::int[])
    ),
    open_rows AS (
        SELECT c.id, c.deadline, c.precision, c.owner_id, c.agency_id, c.proposal_id, FALSE AS changed
        FROM {commitment} c
        WHERE c.status = %(open)s AND c.deadline = ANY(%(unchanged_deadlines)s::date[])
          AND NOT COALESCE(c.updated_at >= %(changed_since)s, FALSE)
        UNION ALL
        SELECT c.id, c.deadline, c.precision, c.owner_id, c.agency_id, c.proposal_id, TRUE
        FROM {commitment} c
        WHERE COALESCE(c.updated_at >= %(changed_since)s, TRUE) AND c.status = %(open)s AND c.deadline IS NOT NULL
          AND %(any_changed)s
    ),
    hit AS (
        SELECT o.id, o.owner_id, o.agency_id, o.deadline, s.body_id, b.after_days, due.kind, due.due_on
        FROM open_rows o
        LEFT JOIN {proposal} p ON p.id = o.proposal_id
        LEFT JOIN {session} s ON s.id = p.session_id
        LEFT JOIN body_config b ON b.body_id = s.body_id
        JOIN due ON due.deadline = o.deadline AND due.year = (o.precision = %(year)s)
             AND due.config = COALESCE(b.config, 0) AND due.changed = o.changed
    ),
    people(id, kind, due_on, user_id) AS (
        SELECT id, kind, due_on, owner_id FROM hit WHERE kind <> %(escalation)s AND owner_id IS NOT NULL
        UNION
        SELECT h.id, h.kind, h.due_on, ac.user_id
        FROM hit h JOIN {agency_clerks} ac ON ac.agency_id = h.agency_id WHERE h.kind <> %(escalation)s
        UNION
        SELECT h.id, h.kind, h.due_on, ac.user_id
        FROM hit h JOIN {shared} ca ON ca.commitment_id = h.id JOIN {agency_clerks} ac ON ac.agency_id = ca.agency_id
        WHERE h.kind <> %(escalation)s
    ),
    -- The weekly escalation: one summary row per (supervisor, primary agency), not one per overdue item.
    escalated(user_id, agency_id, kind, due_on, summary) AS (
        SELECT bs.user_id, COALESCE(h.agency_id, 0), h.kind, h.due_on,
               jsonb_build_object('count', count(*), 'oldest', min(h.deadline), 'after_days', min(h.after_days))
        FROM hit h JOIN {body_supervisors} bs ON bs.body_id = h.body_id
        WHERE h.kind = %(escalation)s
        GROUP BY bs.user_id, COALESCE(h.agency_id, 0), h.kind, h.due_on
    ),
    rows(user_id, subject, subject_id, kind, due_on, summary) AS (
        SELECT user_id, %(subject)s, id, kind, due_on, NULL::jsonb FROM people
        UNION ALL
        SELECT user_id, %(agency_subject)s, agency_id, kind, due_on, summary FROM escalated
    ),
    ins AS (
    INSERT INTO {reminder}
        (recipient_id, subject_type, subject_id, kind, due_on, channel, state, attempts, last_error, created_at,
         scan_id, digest_key, summary)
    SELECT pe.user_id, pe.subject, pe.subject_id, pe.kind, pe.due_on,
           CASE WHEN u.email <> '' THEN %(email)s ELSE %(in_app)s END, %(pending)s, 0, '', %(now)s, %(scan)s,
           %(scan)s || ':' || pe.user_id || ':' || CASE WHEN pe.kind = %(escalation)s THEN %(esc_group)s
                                                        ELSE %(rem_group)s END,
           pe.summary
    FROM rows pe JOIN {user} u ON u.id = pe.user_id AND u.is_active
    ON CONFLICT (recipient_id, subject_type, subject_id, kind, due_on) DO NOTHING
    RETURNING digest_key
    )
    SELECT digest_key, count(*) FROM ins GROUP BY digest_key
    UNION ALL
    SELECT NULL, count(*) FROM open_rows  -- the candidates: open commitments the window concerns
"""


def _webhook_items_of_scan(rec: Recorder) -> None:
    """Group-robot items: this scan's new commitment reminders (not escalations) of agencies with a robot."""
    if not rec.ctx.webhook_agencies:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT DISTINCT a.agency_id, r.subject_id, r.kind, r.due_on
            FROM {Reminder._meta.db_table} r
            JOIN (SELECT id AS commitment_id, agency_id FROM {Commitment._meta.db_table}
                  UNION ALL SELECT commitment_id, agency_id FROM {Commitment.agencies.through._meta.db_table}) a
              ON a.commitment_id = r.subject_id
            WHERE r.scan_id = %s AND r.subject_type = %s AND r.kind <> %s AND a.agency_id = ANY(%s)
            """,
            [rec.scan.pk, ReminderSubject.COMMITMENT, ReminderKind.ESCALATION, sorted(rec.ctx.webhook_agencies)],
        )
        for agency_id, subject_id, kind, due_on in cursor.fetchall():
            rec.webhook_items[agency_id].add((ReminderSubject.COMMITMENT, subject_id, kind, due_on))


def _scan_commitments_sql(rec: Recorder, ctx: Context, window: Window) -> int:
    """PostgreSQL: the due table in Python (distinct deadlines only), then one INSERT … SELECT … ON CONFLICT."""
    today, since, changed_since = window.today, window.since, window.changed_since
    configs: list[tuple[tuple[int, ...], int]] = [(schedule.DEFAULT_COMMITMENT_DAYS, schedule.DEFAULT_ESCALATION_DAYS)]
    body_config: dict[int, int] = {}
    for body_id in ctx.bodies:
        config = (ctx.commitment_days(body_id), ctx.escalation_days(body_id))
        if config not in configs:
            configs.append(config)
        body_config[body_id] = configs.index(config)
    body_after = [ctx.escalation_days(body_id) for body_id in body_config]
    table = DueTable()
    # The first scan ever (no previous one) treats every row as changed: its latest reminder, once.
    unchanged = _open_deadlines() if changed_since is not None else []
    table.fill(unchanged, configs, today=today, since=since, changed=False)
    changed = _open_deadlines(changed_since) if changed_since is not None else _open_deadlines()
    table.fill(changed, configs, today=today, since=None, changed=True)
    hit_deadlines = sorted({d for d, c in zip(table.deadline, table.changed, strict=True) if not c})
    user = get_user_model()
    sql = COMMITMENTS_INSERT.format(
        commitment=Commitment._meta.db_table,
        proposal=Proposal._meta.db_table,
        session=Session._meta.db_table,
        agency_clerks=Agency.clerks.through._meta.db_table,
        shared=Commitment.agencies.through._meta.db_table,
        body_supervisors=Body.supervisors.through._meta.db_table,
        reminder=Reminder._meta.db_table,
        user=user._meta.db_table,
    )
    params: dict[str, Any] = {
        "d_deadline": table.deadline,
        "d_year": table.year,
        "d_config": table.config,
        "d_changed": table.changed,
        "d_kind": table.kind,
        "d_on": table.due_on,
        "bodies": list(body_config),
        "body_configs": list(body_config.values()),
        "body_after": body_after,
        "agency_subject": ReminderSubject.AGENCY,
        "open": CommitmentStatus.OPEN,
        "unchanged_deadlines": hit_deadlines,
        "changed_since": changed_since,
        "any_changed": bool(changed),
        "year": schedule.YEAR_PRECISION,
        "escalation": ReminderKind.ESCALATION,
        "subject": ReminderSubject.COMMITMENT,
        "email": Channel.EMAIL,
        "in_app": Channel.IN_APP,
        "pending": ReminderState.PENDING,
        "now": rec.created_at,
        "scan": rec.scan.pk,
        "esc_group": ESCALATION_GROUP,
        "rem_group": REMINDER_GROUP,
    }
    with connection.cursor() as cursor:
        # The aggregate over a million (recipient, item) pairs stays in memory instead of spilling to disk.
        cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql, params)
        returned = cursor.fetchall()
        rec.count_returned(returned)
        candidates = next((n for key, n in returned if key is None), 0)
        if table.bad_deadlines:
            cursor.execute(
                f"SELECT id, deadline FROM {Commitment._meta.db_table} WHERE status = %s AND deadline = ANY(%s)",
                [CommitmentStatus.OPEN, table.bad_deadlines],
            )
            for pk, deadline in cursor.fetchall():
                rec.bad_row(ReminderSubject.COMMITMENT, pk, deadline)
    _webhook_items_of_scan(rec)
    return candidates


def _scan_commitments_portable(rec: Recorder, ctx: Context, window: Window) -> int:
    """SQLite (`make run`): every open commitment with a deadline through the same Python rules, row by row (a
    small database); PostgreSQL's set-based form above records the same reminders (tests/test_project.py)."""
    today, since, changed_since = window.today, window.since, window.changed_since
    shared: dict[int, list[int]] = defaultdict(list)
    for commitment_id, agency_id in Commitment.agencies.through.objects.values_list("commitment_id", "agency_id"):
        shared[commitment_id].append(agency_id)
    open_ones = Commitment.objects.filter(status=CommitmentStatus.OPEN, deadline__isnull=False).order_by("pk")
    count = 0
    # (body, primary agency or 0, escalation day) -> [count, oldest deadline]: one summary row per supervisor.
    escalated: dict[tuple[int, int, dt.date], list] = {}
    for pk, deadline, precision, owner_id, agency_id, body_id, updated_at in open_ones.values_list(
        "pk", "deadline", "precision", "owner_id", "agency_id", "proposal__session__body_id", "updated_at"
    ):
        count += 1
        changed = changed_since is None or updated_at >= changed_since
        row_since = None if changed else since
        agencies = set(shared.get(pk, ()))
        if agency_id:
            agencies.add(agency_id)
        try:
            due = schedule.commitment_due(
                deadline=deadline, today=today, precision=precision, days=ctx.commitment_days(body_id), since=row_since
            )
            esc = None
            if body_id is not None and body_id in ctx.supervisors:
                esc = schedule.escalation_due(
                    deadline=deadline, today=today, after_days=ctx.escalation_days(body_id), since=row_since
                )
        except (OverflowError, ValueError):
            rec.bad_row(ReminderSubject.COMMITMENT, pk, deadline)
            continue
        if due is not None:
            rec.add(recipients(ctx, owner_id, agencies), ReminderSubject.COMMITMENT, pk, due)
            rec.add_webhook(agencies, ReminderSubject.COMMITMENT, pk, due)
        if esc is not None:
            assert body_id is not None  # escalation only for a body with supervisors, above
            group = escalated.setdefault((body_id, agency_id or 0, esc.on), [0, deadline])
            group[0] += 1
            group[1] = min(group[1], deadline)
    # A supervisor of several bodies: one row per agency over all of them (as the GROUP BY in the SQL form).
    per_user: dict[tuple[int, int, dt.date], dict[str, Any]] = {}
    for (body_id, agency, on), (n, oldest) in escalated.items():
        after = ctx.escalation_days(body_id)
        for user_id in ctx.supervisors[body_id]:
            summary = per_user.setdefault((user_id, agency, on), {"count": 0, "oldest": oldest, "after_days": after})
            summary["count"] += n
            summary["oldest"] = min(summary["oldest"], oldest)
            summary["after_days"] = min(summary["after_days"], after)
    for (user_id, agency, on), summary in sorted(per_user.items()):
        summary["oldest"] = summary["oldest"].isoformat()
        rec.add([user_id], ReminderSubject.AGENCY, agency, schedule.Due(on, ReminderKind.ESCALATION), summary)
    return count


def scan_nothing(rec: Recorder, ctx: Context, window: Window) -> int:
    """The per-agency escalation source records nothing itself: `scan_commitments` writes its rows."""
    return 0


def scan_commitments(rec: Recorder, ctx: Context, window: Window) -> int:
    if connection.vendor == "postgresql":
        return _scan_commitments_sql(rec, ctx, window)
    return _scan_commitments_portable(rec, ctx, window)


# ---------------------------------------------------------------------------------------- assignments, requests


def scan_assignments(rec: Recorder, ctx: Context, window: Window) -> int:
    today = window.today
    unanswered = (
        Assignment.objects.filter(answered_on__isnull=True, due_on__isnull=False)
        .exclude(proposal__status=ProposalStatus.CLOSED)
        .order_by()
        .values_list("pk", "agency_id", "due_on", "proposal__session__body_id")
    )
    count = 0
    for pk, agency_id, due_on, body_id in unanswered.iterator(chunk_size=CHUNK):
        count += 1
        assert due_on is not None  # filtered above; the ORM's types do not know it
        # Few and short-lived: always the latest reminder, the unique key drops the ones already recorded.
        try:
            due = schedule.reply_due(deadline=due_on, today=today, days=ctx.reply_days(body_id))
            esc = None
            if body_id in ctx.supervisors:
                esc = schedule.escalation_due(deadline=due_on, today=today, after_days=ctx.escalation_days(body_id))
        except (OverflowError, ValueError):
            rec.bad_row(ReminderSubject.ASSIGNMENT, pk, due_on)
            continue
        if due is not None:
            rec.add(ctx.clerks.get(agency_id, ()), ReminderSubject.ASSIGNMENT, pk, due)
            rec.add_webhook([agency_id], ReminderSubject.ASSIGNMENT, pk, due)
        if esc is not None:
            rec.add(ctx.supervisors[body_id], ReminderSubject.ASSIGNMENT, pk, esc)
    return count


def scan_change_requests(rec: Recorder, ctx: Context, window: Window) -> int:
    today = window.today
    pending = (
        ChangeRequest.objects.filter(state=ChangeState.PENDING)
        .order_by()
        .values_list("pk", "requested_at", "commitment__proposal__session__body_id")
    )
    count = 0
    tz = timezone.get_current_timezone()
    for pk, requested_at, body_id in pending:
        count += 1
        due = schedule.change_pending_due(requested_on=requested_at.astimezone(tz).date(), today=today)
        if due is None:
            continue
        # Requests on commitments without an item (news, reports) may be decided by any supervisor.
        deciders = ctx.supervisors.get(body_id, ()) if body_id is not None else ctx.all_supervisors
        rec.add(deciders, ReminderSubject.CHANGE_REQUEST, pk, due)
    return count


# ---------------------------------------------------------------------------------------- the scan


def _snapshot_pending() -> None:
    """PostgreSQL: remember which rows are pending before the scan inserts (a temporary table, dropped at commit)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Dropped first: in tests (and nested atomic blocks) ON COMMIT has not run between two scans.
            cursor.execute("DROP TABLE IF EXISTS reminders_pending_before")
            cursor.execute(
                f"CREATE TEMPORARY TABLE reminders_pending_before ON COMMIT DROP AS "
                f"SELECT id FROM {Reminder._meta.db_table} WHERE state = %s",
                [ReminderState.PENDING],
            )


def _supersede(scan: ReminderScan) -> int:
    """Older pending reminders of an item that this scan re-reminded are not sent: only the latest one is."""
    table = Reminder._meta.db_table
    if connection.vendor == "postgresql":
        # Driven from the rows that were pending before this scan (`_snapshot_pending`: normally a handful of
        # digests in flight), each probing this scan's rows through the unique key's (recipient, subject) prefix —
        # not from the scan's new rows, which at 5M commitments are a million.
        sql = f"""
            UPDATE {table} AS old SET state = %s
            FROM reminders_pending_before AS p, {table} AS new
            WHERE old.id = p.id AND new.scan_id = %s AND old.state = %s
              AND new.recipient_id = old.recipient_id AND new.subject_type = old.subject_type
              AND new.subject_id = old.subject_id AND new.due_on > old.due_on
              AND (old.kind = %s) = (new.kind = %s)
            """
    else:
        # SQLite (`make run`): the same rule as a correlated EXISTS (no alias on UPDATE's own table).
        sql = f"""
            UPDATE {table} SET state = %s
            WHERE EXISTS (
                SELECT 1 FROM {table} AS new
                WHERE new.scan_id = %s AND {table}.state = %s AND {table}.id <> new.id
                  AND {table}.recipient_id = new.recipient_id AND {table}.subject_type = new.subject_type
                  AND {table}.subject_id = new.subject_id AND {table}.due_on < new.due_on
                  AND ({table}.kind = %s) = (new.kind = %s)
            )
            """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                ReminderState.SUPERSEDED,
                scan.pk,
                ReminderState.PENDING,
                ReminderKind.ESCALATION,
                ReminderKind.ESCALATION,
            ],
        )
        return cursor.rowcount


def _webhook_deliveries(scan: ReminderScan, rec: Recorder) -> list[int]:
    """One post per agency with a group robot, listing its items that got a new reminder in this scan."""
    if not rec.webhook_items:
        return []
    subject_ids = {item[1] for items in rec.webhook_items.values() for item in items}
    new = set(
        Reminder.objects.filter(scan=scan, subject_id__in=subject_ids)
        .order_by()
        .values_list("subject_type", "subject_id", "kind", "due_on")
        .distinct()
    )
    created = []
    for agency_id, items in rec.webhook_items.items():
        fresh = sorted(items & new, key=lambda i: (i[3], i[0], i[1]))
        if fresh:
            delivery = WebhookDelivery.objects.create(
                agency_id=agency_id,
                scan=scan,
                items=[
                    {"subject_type": t, "subject_id": i, "kind": k, "due_on": d.isoformat()} for t, i, k, d in fresh
                ],
            )
            created.append(delivery.pk)
    return created


def _scan_lock() -> bool:
    """Take the scan lock for this transaction; False when another scan holds it (PostgreSQL only)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SCAN_LOCK])
            return bool(cursor.fetchone()[0])
        # SQLite has one writer at a time and no advisory locks: a write statement (even one that changes no
        # row) takes the database's write lock now, so a second scan waits for this one to commit and then
        # sees its ReminderScan row (and the unique key drops anything recorded twice).
        cursor.execute(f"UPDATE {ReminderScan._meta.db_table} SET id = id WHERE 1 = 0")
        return True


def reminders_scan(
    *,
    enqueue: Callable[[list[str], list[int]], None],
    now: dt.datetime | None = None,
    dry_run: bool = False,
    report: Callable[[ScanResult], None] | None = None,
) -> ScanResult:
    """Record every reminder due as of `now` (once per unique key) and schedule one delivery per digest.

    `enqueue(digest_keys, webhook_ids)` runs after commit (commitments.tasks.deliveries_enqueue: the Celery
    delivery tasks; this module does not import the tasks, which import it). With
    `dry_run` everything is computed and recorded inside the transaction, reported, then rolled back.
    """
    now = now or timezone.now()
    today = scan_date(now)
    result = ScanResult(as_of=today)

    class _DryRun(Exception):
        pass

    try:
        with transaction.atomic():
            if not _scan_lock():
                result.skipped = True
                return result
            last = ReminderScan.objects.filter(finished_at__isnull=False).order_by("-started_at", "-pk").first()
            since = last.as_of + dt.timedelta(days=1) if last else None
            # A write that began before the last scan but committed after it has an older updated_at: overlap.
            overlap = dt.timedelta(seconds=_setting("REMINDERS_CHANGED_OVERLAP", 600))
            changed_since = last.started_at - overlap if last else None
            scan = ReminderScan.objects.create(as_of=today, window_start=since, started_at=now)
            result.scan_id, result.since = scan.pk, since
            ctx = Context.load()
            rec = Recorder(scan, ctx)
            window = Window(today=today, since=since, changed_since=changed_since)
            # Every registered source: commitments' own (assignments, commitments, change requests) and those
            # other apps register (followup: 回头看 rounds, recurring periods) — one table, one digest each.
            _snapshot_pending()
            for source in all_sources():
                started = time.perf_counter()
                result.candidates += source.record(rec, ctx, window)
                rec.flush()
                result.timings[f"source:{source.subject_type}"] = time.perf_counter() - started
            started = time.perf_counter()
            result.recorded = rec.recorded
            result.bad_rows = rec.bad_rows
            result.superseded = _supersede(scan)
            result.timings["supersede"], started = time.perf_counter() - started, time.perf_counter()
            if connection.vendor == "postgresql":
                result.digests = sorted(rec.digest_keys)
            else:
                result.digests = list(
                    Reminder.objects.filter(scan=scan, state=ReminderState.PENDING)
                    .order_by("digest_key")
                    .values_list("digest_key", flat=True)
                    .distinct()
                )
            result.timings["digests"], started = time.perf_counter() - started, time.perf_counter()
            result.webhooks = _webhook_deliveries(scan, rec)
            result.timings["webhooks"] = time.perf_counter() - started
            ReminderScan.objects.filter(pk=scan.pk).update(
                finished_at=timezone.now(),
                candidates=result.candidates,
                recorded=result.recorded,
                digests=len(result.digests),
            )
            if report is not None:
                report(result)
            if dry_run:
                raise _DryRun
            digests, webhooks = list(result.digests), list(result.webhooks)
            transaction.on_commit(lambda: enqueue(digests, webhooks))
    except _DryRun:
        pass
    log.info(
        "reminders scan %s as of %s: %s candidates, %s recorded, %s digests, %s webhooks, %s rows skipped%s",
        result.scan_id,
        today,
        result.candidates,
        result.recorded,
        len(result.digests),
        len(result.webhooks),
        result.bad_rows,
        " (dry run)" if dry_run else "",
    )
    return result


def reminders_redeliver(
    *, enqueue: Callable[[list[str], list[int]], None], now: dt.datetime | None = None
) -> tuple[list[str], list[int]]:
    """Re-enqueue deliveries still pending: lost with the broker, a killed worker, or due for a retry.

    This sweep is also the retry schedule: a failed attempt sets `retry_at` (exponential backoff) and the
    sweep picks the row up when that moment has passed — never an ETA/countdown message (see docs).
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=_setting("REMINDERS_REDELIVER_AFTER", 600))
    limit = _setting("REMINDERS_REDELIVER_BATCH", 1000)
    due_rows = Reminder.objects.filter(state=ReminderState.PENDING).exclude(digest_key="").order_by("digest_key")
    keys = list(due_rows.filter(retry_at__lte=now).values_list("digest_key", flat=True).distinct()[:limit]) + list(
        due_rows.filter(retry_at__isnull=True, created_at__lte=stale)
        .values_list("digest_key", flat=True)
        .distinct()[:limit]
    )
    keys = sorted(set(keys))
    hooks = WebhookDelivery.objects.filter(state=ReminderState.PENDING).order_by("pk")
    hook_ids = sorted(
        set(hooks.filter(retry_at__lte=now).values_list("pk", flat=True)[:limit])
        | set(hooks.filter(retry_at__isnull=True, created_at__lte=stale).values_list("pk", flat=True)[:limit])
    )
    if keys or hook_ids:
        enqueue(keys, hook_ids)
    return keys, hook_ids
