"""bin/database.py: the ways `make run` finds or makes a PostgreSQL database."""

import importlib.util
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

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


def read_env(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_database_url_naming_a_new_database_creates_it_and_writes_env(tmp_path):
    name = f"annotator_setup_probe_{secrets.token_hex(4)}"
    database_url = f"postgresql://127.0.0.1:5432/{name}"
    env_file = tmp_path / ".env"
    try:
        result = run("--env", str(env_file), DATABASE_URL=database_url)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == database_url
        with psycopg.connect(database_url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
        # The new database takes the migrations, the unaccent extension among them.
        migrate = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input"],
            env=os.environ | {"DATABASE_URL": database_url, "DEBUG": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        with psycopg.connect(database_url) as conn:
            assert conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'").fetchone()
    finally:
        with psycopg.connect("postgresql://127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    # What settings need for a local run, as the no-DATABASE_URL path writes it.
    values = read_env(env_file)
    assert values["DATABASE_URL"] == database_url
    assert values["DEBUG"] == "1"
    assert len(values["SECRET_KEY"]) >= 50


def test_env_keeps_what_it_already_says(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=0\nSECRET_KEY=mine\nDATABASE_URL=postgresql:///old\nTIME_ZONE=UTC\n")
    result = run("--env", str(env_file), DATABASE_URL="postgresql://127.0.0.1:5432/postgres")
    assert result.returncode == 0, result.stderr
    assert read_env(env_file) == {
        "DEBUG": "0",
        "SECRET_KEY": "mine",
        "TIME_ZONE": "UTC",
        "DATABASE_URL": "postgresql://127.0.0.1:5432/postgres",
    }


def test_local_server_path_writes_debug_and_a_secret_key(tmp_path):
    env_file = tmp_path / ".env"
    result = run("--env", str(env_file), ANNOTATOR_DB_NAME="postgres")
    assert result.returncode == 0, result.stderr
    values = read_env(env_file)
    assert values["DATABASE_URL"] == result.stdout.strip()
    assert values["DEBUG"] == "1" and len(values["SECRET_KEY"]) >= 50
    key = values["SECRET_KEY"]
    run("--env", str(env_file), ANNOTATOR_DB_NAME="postgres")
    assert read_env(env_file)["SECRET_KEY"] == key  # one key per checkout, kept


def test_a_database_we_may_not_create_is_named_with_its_command():
    spec = importlib.util.spec_from_file_location("database", SCRIPT)
    assert spec and spec.loader
    database = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(database)
    message = database.create_database_help(
        {"host": "db.example", "port": "5433", "user": "ana"}, "annotator"
    )
    assert "createdb -h db.example -p 5433 -O ana annotator" in message
    assert 'CREATE DATABASE "annotator" OWNER "ana";' in message
