"""config/db_router.py: reads to the replica alias, writes and transactional reads to the primary."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from commitments.models import Commitment
from config.db_router import ReplicaRouter

ROOT = Path(__file__).resolve().parents[2]


def test_reads_go_to_the_replica_and_writes_to_default():
    router = ReplicaRouter()
    assert router.db_for_read(Commitment) == "replica"
    assert router.db_for_write(Commitment) == "default"
    assert router.allow_migrate("replica", "commitments") is False
    assert router.allow_migrate("default", "commitments") is True


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary():
    router = ReplicaRouter()
    with transaction.atomic():
        assert router.db_for_read(Commitment) == "default"
    assert router.db_for_read(Commitment) == "replica"


def test_the_setting_turns_the_router_on_and_off():
    code = (
        "import django; django.setup(); from django.conf import settings; from commitments.models import Commitment;"
        "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, Commitment.objects.all().db,"
        " Commitment.objects.db_manager('default').all().db)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert off.returncode == 0, off.stderr
    assert off.stdout.split() == ["['default']", "[]", "default", "default"]
    env["DATABASE_REPLICA_URL"] = "postgres://postgres@replica.internal:5432/x"
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert on.returncode == 0, on.stderr
    assert "['default', 'replica']" in on.stdout and "config.db_router.ReplicaRouter" in on.stdout
    assert on.stdout.split()[-2:] == ["replica", "default"]
