"""The bench's own database: made fresh next to the app's, migrated, dropped at the end."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from annotator.dotenv import read_dotenv

ROOT = Path(__file__).resolve().parent.parent


def name():
    """The bench database: BENCH_DATABASE_NAME, else annotator_bench (the soak sets its own)."""
    return os.environ.get("BENCH_DATABASE_NAME", "annotator_bench")


def app_url():
    """The app's DATABASE_URL: the environment first, then .env (as the settings do)."""
    url = os.environ.get("DATABASE_URL") or read_dotenv(ROOT / ".env").get("DATABASE_URL")
    if not url:
        sys.exit("bench: no DATABASE_URL in the environment or .env; run `make setup` first.")
    return url


def with_name(url, database):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


def create(url):
    """Drop (if present) and create the bench database on the app's server; its URL."""
    target = with_name(url, name())
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name()))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name())))
    return target


def drop(url):
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name()))
        )


def python(env, *args):
    """Run `python args...` in the project with the bench environment; raise with its
    output if it fails."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def manage(env, *args):
    return python(env, "manage.py", *args)


def server_version(url):
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def server_settings(url):
    names = ["shared_buffers", "synchronous_commit", "fsync", "work_mem", "max_connections"]
    with psycopg.connect(url) as conn:
        return {
            n: conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(n))).fetchone()[0]
            for n in names
        }
