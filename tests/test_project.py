"""The project as a whole: deploy checks, migrations, and the server `make run` sets up."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
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
        "CACHE_URL",
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
        CACHE_URL="redis://127.0.0.1:6379/1",
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


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60 + "-prod-secret-Q9!z",
    "ALLOWED_HOSTS": "127.0.0.1",
}


def test_check_deploy_warns_without_a_shared_cache_and_about_media_in_the_web_root(tmp_path):
    env = _env(**PRODUCTION, DATABASE_URL="postgres://postgres@127.0.0.1:5432/luoshi")
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "luoshi.W001" in out.stderr + out.stdout and "CACHE_URL" in out.stderr + out.stdout
    env.update(CACHE_URL="redis://127.0.0.1:6379/1", STATIC_ROOT=str(tmp_path), MEDIA_ROOT=str(tmp_path / "media"))
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode != 0 and "luoshi.E001" in out.stderr, out.stdout + out.stderr


@pytest.mark.slow
def test_production_recipe_serves_the_login_page_and_static_files(tmp_path):
    """The README's production steps, run: collectstatic, then gunicorn with DEBUG=0 on 127.0.0.1."""
    env = _env(
        **PRODUCTION,
        DATABASE_URL=os.environ["DATABASE_URL"],
        CACHE_URL="redis://127.0.0.1:6379/1",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    css = next(hashed for name, hashed in manifest.items() if name.endswith(".css"))
    (tmp_path / "media" / "documents").mkdir(parents=True)
    (tmp_path / "media" / "documents" / "letter.txt").write_text("答复函")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def get(path: str) -> int:
        # Behind the TLS proxy of the recipe: it says the request came over https (SECURE_PROXY_SSL_HEADER).
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"})
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        for _ in range(60):
            try:
                status = get("/login/")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        assert get(f"/static/{css}") == 200
        assert get("/media/documents/letter.txt") == 404
    finally:
        server.terminate()
        server.wait(timeout=10)


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
    # Search on SQLite: LIKE on the maintained search_text (no tsvector, no GIN).
    "/search/?q=%E5%81%9C%E8%BD%A6",
    "/api/v1/search/?q=%E5%81%9C%E8%BD%A6",
    "/api/v1/commitments/?q=%E5%81%9C%E8%BD%A6",
    "/proposals/?q=%E5%81%9C%E8%BD%A6",
    "/replies/?q=%E5%AE%87%E6%B3%BD",
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
admin = Client()
admin.force_login(get_user_model().objects.get(username="admin"))
found = admin.get("/api/v1/search/?kind=document&q=%E5%AE%87%E6%B3%BD", HTTP_HOST="127.0.0.1").json()
print("search-documents", found["count"], "<mark>宇泽</mark>" in found["results"][0]["snippet"])
"""


@pytest.fixture(scope="module")
def sqlite_run(tmp_path_factory) -> dict:
    """What `make run` sets up, on a fresh SQLite file: migrate, load the seeds, create the demo users.

    The environment is `make run`'s: DEBUG=1, no REDIS_URL, so Celery uses the filesystem broker (under tmp).
    """
    tmp_path = tmp_path_factory.mktemp("sqlite-run")
    env = _env(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        CELERY_BROKER_FOLDER=str(tmp_path / "celery"),
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CACHE_URL"):
        env.pop(name, None)
    for command in (["migrate", "--noinput"], ["load_seed_fixtures"], ["create_demo_users"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return env


def _manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


COUNT_REMINDERS = (
    "from commitments.models import Reminder, ReminderScan; "
    "print('counts', Reminder.objects.count(), ReminderScan.objects.count(), "
    "Reminder.objects.filter(recipient__username='clerk').count())"
)


def _counts(env: dict) -> list[int]:
    out = _manage(env, "shell", "-c", COUNT_REMINDERS)
    assert out.returncode == 0, out.stdout + out.stderr
    line = next(line for line in out.stdout.splitlines() if line.startswith("counts "))
    return [int(n) for n in line.split()[1:]]


@pytest.mark.slow
def test_send_reminders_records_reminders_on_the_sqlite_default(sqlite_run):
    """`send_reminders` (dry run, then for real) on `make run`'s SQLite database records the seed's reminders."""
    dry = _manage(sqlite_run, "send_reminders", "--now", "2025-12-01T09:00", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would send" in dry.stdout and "digest → clerk" in dry.stdout, dry.stdout
    assert _counts(sqlite_run) == [0, 0, 0]  # a dry run rolls back
    real = _manage(sqlite_run, "send_reminders", "--now", "2025-12-01T09:00")
    assert real.returncode == 0, real.stdout + real.stderr
    assert "scheduled" in real.stdout, real.stdout
    recorded, scans, clerk = _counts(sqlite_run)
    assert recorded > 0 and clerk > 0 and scans == 1
    assert f"{recorded} reminders" in real.stdout
    # The deliveries went to the filesystem broker (no server): one message per digest.
    queued = list((Path(sqlite_run["CELERY_BROKER_FOLDER"]) / "queue").glob("*.msg"))
    assert len(queued) >= 2
    # The same moment again records nothing twice (the unique key; the SQLite path of the scan lock).
    again = _manage(sqlite_run, "send_reminders", "--now", "2025-12-01T09:00")
    assert again.returncode == 0 and " 0 reminders" in again.stdout, again.stdout + again.stderr


@pytest.mark.slow
def test_server_answers_on_the_sqlite_default(sqlite_run):
    """What `make run` does, on a fresh SQLite file: migrate, load the seeds, serve / and /admin/login/."""
    env = sqlite_run
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
    # The SQLite fallback finds both seed letters that mention 宇泽 (LIKE on the normalised text), highlighted.
    assert "search-documents 2 True" in pages.stdout, pages.stdout
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
        # Uploaded letters are on disk under MEDIA_ROOT, but no /media/ URL serves them, DEBUG=1 included.
        stored = next((Path(env["MEDIA_ROOT"]) / "documents").rglob("*.*"))
        media_path = stored.relative_to(env["MEDIA_ROOT"]).as_posix()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/media/{urllib.parse.quote(media_path)}", timeout=5)
        assert refused.value.code == 404
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
