"""The scale benchmarks' data generator keeps up with the models: a new NOT NULL column without a default
makes its COPY fail (it did once, at the start of a 5,000,000-row build). A small build must load and count."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def test_bench_data_builds_a_small_database_and_drops_it():
    name = f"luoshi_benchdata_{uuid.uuid4().hex[:8]}"
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/luoshi")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DATABASE_URL": base}
    cmd = [sys.executable, "-m", "benchmarks.bench_data", "--database", name]
    try:
        run = subprocess.run(
            [*cmd, "--commitments", "1500", "--documents", "300"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        url = base.rsplit("/", 1)[0] + "/" + name
        with psycopg.connect(url) as conn:
            commitments = conn.execute("SELECT count(*) FROM commitments_commitment").fetchone()[0]
            documents = conn.execute("SELECT count(*) FROM responses_document").fetchone()[0]
            indexed = conn.execute(
                "SELECT count(*) FROM commitments_commitment WHERE search_vector @@ to_tsquery('simple', '建')"
            ).fetchone()[0]
            # The COPY bypasses the triggers: search_scope_rebuild must have filled the clerk's scope column.
            unscoped = conn.execute(
                "SELECT count(*) FROM commitments_commitment c WHERE scope_agencies IS DISTINCT FROM "
                "(SELECT coalesce(array_agg(DISTINCT agency_id::integer ORDER BY agency_id::integer), '{}') "
                "FROM commitments_commitment_agencies l WHERE l.commitment_id = c.id)"
            ).fetchone()[0]
            scoped_letters = conn.execute(
                "SELECT count(*) FROM responses_document d JOIN responses_response r ON r.document_id = d.id "
                "WHERE r.agency_id::integer = ANY(d.scope_agencies)"
            ).fetchone()[0]
        assert (commitments, documents) == (1500, 300)
        assert indexed > 0
        assert unscoped == 0 and scoped_letters > 0
    finally:
        subprocess.run([*cmd, "--drop"], cwd=ROOT, env=env, capture_output=True, timeout=120)
