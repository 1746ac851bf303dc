"""The project as a whole: deploy checks, migrations, and the server `make run` sets up."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _env(**extra) -> dict:
    # config.settings_test sets these in os.environ; a production check must not inherit them.
    test_only = {
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "SECRET_KEY",
        "SECURE_SSL_REDIRECT",
        "ALLOWED_HOSTS",
        "STATICFILES_BACKEND",
        "DEBUG",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(extra)
    return env


def test_check_deploy_prints_no_warnings_in_production_settings():
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY="x" * 60 + "-prod-secret-Q9!z",
        ALLOWED_HOSTS="luoshi.example.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/luoshi",
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "WARNING" not in out.stderr and "System check identified no issues" in out.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _env(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", SECRET_KEY="")
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SQLITE_URLS = [
    "/",
    "/dashboard/",
    "/dashboard/?tab=all&sort=-deadline",
    "/dashboard/agencies/",
    "/dashboard/export.xlsx",
    "/proposals/",
    "/replies/",
    "/notifications/",
    "/api/v1/commitments/",
    "/api/v1/commitments/?overdue=true",
    "/api/v1/proposals/",
    "/api/v1/responses/",
]
SQLITE_PAGES = f"""
from django.contrib.auth import get_user_model
from django.test import Client
from commitments.models import Commitment
from proposals.models import Proposal
from responses.models import Response
for name in ("admin", "supervisor", "clerk"):
    client = Client()
    user = get_user_model().objects.get(username=name)
    client.force_login(user)
    urls = {SQLITE_URLS!r} + [
        f"/commitments/{{Commitment.objects.visible_to(user).first().pk}}/",
        f"/proposals/{{Proposal.objects.visible_to(user).first().pk}}/",
        f"/replies/{{Response.objects.visible_to(user).first().pk}}/",
    ]
    for url in urls:
        status = client.get(url, HTTP_HOST="127.0.0.1").status_code
        print("ok " if status == 200 else "BAD", status, name, url)
"""


@pytest.mark.slow
def test_server_answers_on_the_sqlite_default(tmp_path):
    """What `make run` does, on a fresh SQLite file: migrate, load the seeds, serve / and /admin/login/."""
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    for command in (["migrate", "--noinput"], ["load_seed_fixtures"], ["create_demo_users"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    # Every main page and API list, as each demo role, on SQLite: the PostgreSQL-only suite cannot see
    # vendor-specific SQL that would break `make run`.
    pages = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SQLITE_PAGES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pages.returncode == 0, pages.stdout + pages.stderr
    assert pages.stdout.count("ok ") == 3 * (len(SQLITE_URLS) + 3), pages.stdout
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        pages = {}
        for path in ("/", "/admin/login/"):
            for _ in range(60):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
                        pages[path] = (reply.status, reply.read().decode())
                    break
                except OSError:
                    time.sleep(0.5)
        assert pages["/"][0] == 200
        assert pages["/admin/login/"][0] == 200
        assert "落实" in pages["/admin/login/"][1]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_extract_command_runs_with_an_empty_environment(tmp_path):
    """`manage.py extract FILE --json` on a fresh clone with no variables set, as evaluation scripts call it."""
    seed = ROOT / "fixtures" / "documents" / "000_e488b48de0fcacd5.txt"
    out = subprocess.run(
        [sys.executable, "manage.py", "extract", str(seed), "--json"],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    prediction = json.loads(out.stdout)
    assert prediction["metadata"]["doc_number"] == "昆发改易地函〔2023〕20号"
    assert any(c["deadline"] == "2026-12-31" for c in prediction["commitments"])
