"""bin/database.py: the ways `make run` finds or makes a PostgreSQL database."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "bin" / "database.py"


def run(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def var_dir():
    # Not pytest's tmp_path: that is private to root (0700), and as root the cluster
    # runs as an unprivileged user who must reach its own data folder.
    path = Path(tempfile.mkdtemp(prefix="annotator-var-"))
    path.chmod(0o755)
    yield path
    run("--stop", "--var", str(path))
    subprocess.run(["rm", "-rf", str(path)], check=False)


def test_private_cluster_is_created_started_and_reused(var_dir):
    first = run("--private", "--no-env", "--var", str(var_dir))
    assert first.returncode == 0, first.stderr
    url = first.stdout.strip()
    assert str(var_dir / "run").replace("/", "%2F") in url
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("annotator",)
    # The socket lives in var/, no TCP port is opened.
    assert (var_dir / "run" / ".s.PGSQL.5432").exists()
    second = run("--private", "--no-env", "--var", str(var_dir))
    assert second.stdout.strip() == url


def test_database_url_that_answers_nowhere_is_a_clear_error(var_dir):
    result = run("--no-env", DATABASE_URL="postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode != 0
    assert "no database answers there" in result.stderr


def test_local_server_is_found_and_database_created():
    result = run("--no-env", ANNOTATOR_DB_NAME="annotator_probe_db")
    assert result.returncode == 0, result.stderr
    with psycopg.connect(result.stdout.strip()) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("annotator_probe_db",)
    with psycopg.connect(
        result.stdout.strip().replace("annotator_probe_db", "postgres"), autocommit=True
    ) as conn:
        conn.execute("DROP DATABASE annotator_probe_db")
