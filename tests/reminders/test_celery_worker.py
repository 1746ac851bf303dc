"""A real Celery worker and beat against Redis (DB 5, or a throwaway server) and the test database.

Exactly one digest per recipient and kind arrives; a worker killed mid-batch, a Redis restart and an SMTP
server refusing connections lose nothing and duplicate nothing.
"""

import datetime as dt
import os
import shutil
import time
from collections import Counter
from email.header import decode_header, make_header

import pytest
import redis
from django.db import connection
from django.utils import timezone

from commitments.choices import ReminderState
from commitments.models import Notification, Reminder
from tests import factories
from tests.reminders import harness

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS_DB5 = "redis://127.0.0.1:6379/5"


@pytest.fixture
def celery_env(tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "PYTHONPATH": str(harness.ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.reminders.worker_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_DB5,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "REMINDERS_SCAN_INTERVAL": "2",
        "REMINDERS_REDELIVER_INTERVAL": "1",
        "REMINDERS_REDELIVER_AFTER": "3",
        "REMINDERS_RETRY_BACKOFF": "1",
        "REMINDERS_RETRY_BACKOFF_MAX": "2",
        "REMINDERS_DAY_STARTS_AT": "0",
        "SITE_URL": "https://luoshi.example.gov.cn",
    }
    procs = []
    yield {"env": env, "tmp": tmp_path, "mail": mail_dir, "procs": procs}
    for proc in reversed(procs):
        proc.stop()
    connection.close()


def start(ctx, proc):
    ctx["procs"].append(proc)
    return proc.start()


def flush(url):
    redis.Redis.from_url(url).flushdb()


def overdue_world(clerks: int = 2):
    """Three commitments overdue by a month for one agency: its clerks, the owner and a supervisor are due."""
    body = factories.BodyFactory()
    agency = factories.AgencyFactory()
    people = [factories.clerk_of(agency, f"w_clerk{i}") for i in range(clerks)]
    owner = factories.UserFactory(username="w_owner")
    supervisor = factories.supervisor_of(body, "w_sup")
    session = factories.SessionFactory(body=body)
    today = timezone.localdate()
    for i in range(3):
        response = factories.ResponseFactory(proposal=factories.ProposalFactory(session=session), agency=agency)
        factories.CommitmentFactory(
            response=response, deadline=today - dt.timedelta(days=30 + i), precision="day", owner=owner
        )
    # clerks and owner get a reminder digest, the supervisor an escalation digest
    return {"digests": clerks + 2, "people": [*people, owner, supervisor]}


def sent_digests():
    return set(Reminder.objects.filter(state=ReminderState.SENT).values_list("digest_key", flat=True))


def all_delivered(expected: int):
    def check():
        keys = set(Reminder.objects.values_list("digest_key", flat=True))
        pending = Reminder.objects.exclude(state=ReminderState.SENT).exists()
        return len(keys) == expected and not pending

    return check


def assert_exactly_once(ctx, world, messages):
    """One e-mail and one notification per digest; recipients and kinds as expected."""
    keys = Counter(m["X-Luoshi-Digest"] for m in messages)
    assert len(keys) == world["digests"] and set(keys.values()) == {1}, keys
    per_person = Counter((m["To"], m["X-Luoshi-Digest"].rsplit(":", 1)[1]) for m in messages)
    assert set(per_person.values()) == {1}
    assert {to for to, _ in per_person} == {p.email for p in world["people"]}
    assert Notification.objects.count() == world["digests"]
    assert not Reminder.objects.exclude(state=ReminderState.SENT).exists()


def test_worker_and_beat_send_exactly_one_digest_per_recipient_per_kind(celery_env):
    flush(REDIS_DB5)
    world = overdue_world()
    start(celery_env, harness.worker(celery_env["env"], celery_env["tmp"]))
    start(celery_env, harness.beat(celery_env["env"], celery_env["tmp"]))
    harness.wait_until(all_delivered(world["digests"]), 45, what="all digests sent")
    time.sleep(5)  # two more scans and several sweeps: nothing new may arrive
    messages = harness.mail_files(celery_env["mail"])
    assert_exactly_once(celery_env, world, messages)
    subjects = {m["To"]: str(make_header(decode_header(m["Subject"]))) for m in messages}
    assert subjects["w_sup@example.gov.cn"].startswith("【落实】逾期督办周报：3 项逾期")
    assert subjects["w_clerk0@example.gov.cn"].startswith("【落实】3 项待办提醒")
    assert Counter(Reminder.objects.values_list("kind", flat=True))["escalation"] == 1  # one per agency


def test_worker_killed_mid_batch_and_restarted_no_duplicate_no_loss(celery_env):
    flush(REDIS_DB5)
    world = overdue_world(clerks=6)
    env = {**celery_env["env"], "REMINDERS_DELIVERY_PAUSE": "0.7"}
    first = start(celery_env, harness.worker(env, celery_env["tmp"], "w1"))
    start(celery_env, harness.beat(env, celery_env["tmp"]))
    harness.wait_until(lambda: len(sent_digests()) >= 2, 40, interval=0.05, what="two digests sent")
    first.kill()  # SIGKILL while it holds the next claimed digest (it pauses 0.7 s before sending)
    done = len(sent_digests())
    assert done < world["digests"], "the batch finished before the kill: nothing was tested"
    start(celery_env, harness.worker(env, celery_env["tmp"], "w2"))
    harness.wait_until(all_delivered(world["digests"]), 45, what="the rest sent after restart")
    time.sleep(4)
    assert_exactly_once(celery_env, world, harness.mail_files(celery_env["mail"]))


def test_redis_restarted_during_a_run_no_duplicate_no_loss(celery_env):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server not installed")
    port = 6390
    url = f"redis://127.0.0.1:{port}/0"
    tmp = celery_env["tmp"]
    server = start(celery_env, harness.redis_server(port, tmp))
    harness.wait_until(lambda: _ping(url), 10, what="throwaway redis")
    world = overdue_world(clerks=5)
    env = {**celery_env["env"], "CELERY_BROKER_URL": url, "REMINDERS_DELIVERY_PAUSE": "0.5"}
    start(celery_env, harness.worker(env, tmp))
    start(celery_env, harness.beat(env, tmp))
    harness.wait_until(lambda: len(sent_digests()) >= 1, 40, interval=0.05, what="first digest sent")
    server.kill()  # queued messages are gone with it (no persistence)
    assert len(sent_digests()) < world["digests"], "the run finished before the restart: nothing was tested"
    time.sleep(1)
    start(celery_env, harness.redis_server(port, tmp))
    harness.wait_until(all_delivered(world["digests"]), 50, what="all digests after the Redis restart")
    time.sleep(4)
    assert_exactly_once(celery_env, world, harness.mail_files(celery_env["mail"]))


def test_smtp_refusing_then_accepting_is_retried_then_sent_once(celery_env):
    flush(REDIS_DB5)
    smtp = harness.SMTPServer(refuse=3)
    try:
        world = overdue_world(clerks=1)
        env = {
            **celery_env["env"],
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "5",
        }
        start(celery_env, harness.worker(env, celery_env["tmp"]))
        start(celery_env, harness.beat(env, celery_env["tmp"]))
        harness.wait_until(all_delivered(world["digests"]), 50, what="digests sent after SMTP recovered")
        time.sleep(4)
        assert smtp.refused == 3
        assert_exactly_once(celery_env, world, smtp.messages)
        retried = Reminder.objects.filter(attempts__gt=1)
        assert retried.exists() and all("SMTP" in r.last_error or r.last_error == "" for r in retried)
    finally:
        smtp.close()


def _ping(url):
    try:
        return redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        return False
