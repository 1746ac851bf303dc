"""Development settings do not leak connections: runserver (DEBUG) closes its connection after each request."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _settings(**env) -> dict:
    code = (
        "import json, config.settings as s; "
        "print(json.dumps({'age': s.DATABASES['default']['CONN_MAX_AGE'], "
        "'ip': list(s.AXES_IPWARE_META_PRECEDENCE_ORDER), 'proxies': s.AXES_IPWARE_PROXY_COUNT}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CONN_MAX_AGE", "TRUSTED_PROXY_COUNT")}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("age", ["", "600"])
def test_debug_never_keeps_connections(age):
    assert _settings(DEBUG="1", CONN_MAX_AGE=age or "60", SECRET_KEY="")["age"] == 0


def test_production_keeps_persistent_connections_and_reads_remote_addr_only():
    loaded = _settings(DEBUG="0", SECRET_KEY="x" * 50, CONN_MAX_AGE="60")
    assert loaded == {"age": 60, "ip": ["REMOTE_ADDR"], "proxies": None}


def test_a_trusted_proxy_makes_the_forwarded_address_count():
    loaded = _settings(DEBUG="0", SECRET_KEY="x" * 50, TRUSTED_PROXY_COUNT="1")
    assert loaded["ip"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] and loaded["proxies"] == 1


@pytest.mark.django_db
def test_postgresql_jit_is_off_for_the_apps_connections():
    """Compiling a query cost more than running it (docs/deployment.md, session 5 (later)); DB_JIT=1 keeps it on."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        # Prepared statements are planned for their values (session 6: generic plans cost supervisor pages 100+ ms).
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_custom_plan"
    code = "import json, config.settings as s; print(json.dumps(s.DATABASES['default']['OPTIONS'].get('options')))"
    env = {k: v for k, v in os.environ.items() if k not in ("DB_JIT", "DB_PLAN_CACHE_MODE")}
    url = "postgres://postgres@127.0.0.1:5432/x"
    for value, plans, expected in (
        ("1", "", None),
        ("0", "", "-c jit=off"),
        ("1", "auto", "-c plan_cache_mode=auto"),
        ("0", None, "-c jit=off -c plan_cache_mode=force_custom_plan"),
    ):
        chosen = {} if plans is None else {"DB_PLAN_CACHE_MODE": plans}
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**env, "DATABASE_URL": url, "DB_JIT": value, "SECRET_KEY": "x" * 50, **chosen},
            capture_output=True,
            text=True,
            check=True,
        )
        assert json.loads(out.stdout.strip().splitlines()[-1]) == expected
