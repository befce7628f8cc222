"""Find or make a PostgreSQL database for annotator and record it in `.env`.

Order (README "Database"): DATABASE_URL if set, creating its database if the server lets
us (else saying which command creates it); a server answering locally (Unix socket, then
127.0.0.1:5432), creating database `annotator` if missing; a project-private cluster under
var/postgres when PostgreSQL's server binaries are installed; else a clear error.

`.env` gets DATABASE_URL, and DEBUG=1 and a SECRET_KEY unless it names them already: what a
local run needs.

Usage: python bin/database.py [--private] [--stop] [--var DIR] [--env FILE | --no-env]
Prints the DATABASE_URL it settled on.
"""

import argparse
import getpass
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("ANNOTATOR_DB_NAME", "annotator")
HELP = """\
No PostgreSQL database could be found or started. Choose one:
  * run `docker compose up db` and set DATABASE_URL=postgresql://annotator:annotator@127.0.0.1:5432/annotator
  * install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`), then run this again
  * set DATABASE_URL to a PostgreSQL database you already have
"""


def can_connect(conninfo, **kwargs):
    try:
        with psycopg.connect(conninfo, connect_timeout=3, **kwargs):
            return True
    except psycopg.Error:
        return False


def ensure_database(admin_kwargs, name=DB_NAME):
    """Create database `name` on the server reached by admin_kwargs unless it exists."""
    with psycopg.connect(
        dbname="postgres", autocommit=True, connect_timeout=3, **admin_kwargs
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_url_database(database_url):
    """Make DATABASE_URL's database answer: create it when only the database is missing."""
    try:
        with psycopg.connect(database_url, connect_timeout=3):
            return
    except psycopg.Error as error:
        first_error = error
    params = conninfo_to_dict(database_url)
    name = params.pop("dbname", None)
    params.pop("connect_timeout", None)
    if not name or not can_connect("", dbname="postgres", **params):
        sys.exit(
            f"DATABASE_URL is set but no database answers there: {database_url}\n{first_error}"
        )
    try:
        ensure_database(params, name)
    except psycopg.errors.InsufficientPrivilege:
        sys.exit(create_database_help(params, name))


def create_database_help(params, name):
    user = params.get("user") or getpass.getuser()
    options = "".join(
        f" {flag} {params[key]}" for key, flag in (("host", "-h"), ("port", "-p")) if key in params
    )
    return f"""\
DATABASE_URL names database "{name}", which does not exist, and user "{user}" may not create
databases on that server. Create it as a PostgreSQL superuser, then run this again:
  createdb{options} -O {user} {name}
(or in psql: CREATE DATABASE "{name}" OWNER "{user}";)
"""


def url(user, host, port=None):
    host_part = quote(host, safe="") if host.startswith("/") else host
    port_part = f":{port}" if port else ""
    return f"postgresql://{quote(user, safe='')}@{host_part}{port_part}/{DB_NAME}"


def local_server():
    """A server already answering on the default socket or on 127.0.0.1:5432."""
    users = [os.environ.get("PGUSER") or getpass.getuser(), "postgres"]
    for host, port in [(None, None), ("127.0.0.1", 5432)]:
        for user in dict.fromkeys(users):
            kwargs = {"user": user}
            if host:
                kwargs.update(host=host, port=port)
            if not can_connect("", dbname="postgres", **kwargs):
                continue
            ensure_database(kwargs)
            if host is None:
                # Name the socket directory libpq actually used, so the URL works anywhere.
                with psycopg.connect(dbname="postgres", **kwargs) as conn:
                    socket_dir = conn.info.host
                return url(user, socket_dir)
            return url(user, host, port)
    return None


def server_bindir():
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True)
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    except (OSError, subprocess.CalledProcessError):
        pass
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / "initdb").exists():
            return base
    found = shutil.which("pg_ctl")
    return Path(found).parent if found and shutil.which("initdb") else None


def run_as(user, command):
    # PostgreSQL refuses to run as root, so as root the cluster belongs to `user`.
    if os.geteuid() == 0:
        command = ["runuser", "-u", user, "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def cluster_owner():
    if os.geteuid() != 0:
        return getpass.getuser()
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    sys.exit("Running as root, and no unprivileged user (postgres, nobody) to own the cluster.")


def private_cluster(var, bindir):
    data, sockets = var / "postgres", var / "run"
    owner = cluster_owner()
    var.mkdir(parents=True, exist_ok=True)
    sockets.mkdir(exist_ok=True)
    log = var / "postgres.log"
    log.touch()
    if os.geteuid() == 0:
        shutil.chown(sockets, owner)
        shutil.chown(log, owner)
    if not (data / "PG_VERSION").exists():
        data.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(data, owner)
        run_as(
            owner,
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                owner,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        )
    kwargs = {"user": owner, "host": str(sockets)}
    if not can_connect("", dbname="postgres", **kwargs):
        # Socket only, no TCP port: nothing else on the machine is disturbed.
        options = f"-c listen_addresses='' -k {sockets}"
        run_as(
            owner,
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
        )
        for _ in range(50):
            if can_connect("", dbname="postgres", **kwargs):
                break
            time.sleep(0.1)
    ensure_database(kwargs)
    return url(owner, str(sockets))


def stop_private(var, bindir):
    data = var / "postgres"
    if (data / "postmaster.pid").exists():
        run_as(
            cluster_owner(), [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
        )


def write_env(env_file, database_url):
    """Record DATABASE_URL; add DEBUG=1 and a SECRET_KEY unless the file sets them already."""
    lines = env_file.read_text().splitlines() if env_file.exists() else []
    lines = [line for line in lines if not line.startswith("DATABASE_URL=")]
    keys = {line.split("=", 1)[0].strip() for line in lines if "=" in line}
    if "DEBUG" not in keys:
        lines.append("DEBUG=1")
    if "SECRET_KEY" not in keys:
        # Only for this checkout: sessions survive a restart, nothing reuses the key.
        lines.append(f"SECRET_KEY={secrets.token_urlsafe(50)}")
    lines.append(f"DATABASE_URL={database_url}")
    env_file.write_text("\n".join(lines) + "\n")
    env_file.chmod(0o600)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--private", action="store_true", help="use the project-private cluster")
    parser.add_argument("--stop", action="store_true", help="stop the project-private cluster")
    parser.add_argument("--var", type=Path, default=ROOT / "var")
    parser.add_argument("--env", type=Path, default=ROOT / ".env", help="the .env file to write")
    parser.add_argument("--no-env", action="store_true", help="do not write .env")
    args = parser.parse_args()
    var = args.var.resolve()

    if args.stop:
        bindir = server_bindir()
        if bindir:
            stop_private(var, bindir)
        return

    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        ensure_url_database(database_url)
    else:
        database_url = None if args.private else local_server()
        if database_url is None:
            bindir = server_bindir()
            if bindir is None:
                sys.exit(HELP)
            database_url = private_cluster(var, bindir)
    if not args.no_env:
        write_env(args.env, database_url)
    print(database_url)


if __name__ == "__main__":
    main()
