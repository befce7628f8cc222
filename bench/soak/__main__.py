"""The soak's driver: a fresh database and gunicorn, the people and the faults, the checks.

See bench/soak/__init__.py for what is run and checked.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import db, log, soak
from ..report import RESULTS
from ..server import Nodes, Server, free_port, login, new_deployment, set_up_django
from . import faults, people, report, world
from .cpu import CpuBudget
from .verify import verify


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=soak.__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", default="full", choices=sorted(world.SCALES))
    parser.add_argument(
        "--output", help="where to write the JSON (default bench/results/soak.json)"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    scale = world.SCALES[args.scale]
    minutes = float(os.environ.get("SOAK_MINUTES", "10"))
    with_faults = os.environ.get("SOAK_FAULTS", "1") != "0"  # 0: load only
    duration = minutes * 60
    # Its own database, so that a soak and a bench at the same time never share one.
    os.environ.setdefault("BENCH_DATABASE_NAME", "annotator_soak")
    output = Path(args.output) if args.output else RESULTS / "soak.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    log(f"soak: {minutes:g} min, scale {scale.name}")
    app_url, env, port, static_root = new_deployment("soak")
    env["AXES_FAILURE_LIMIT"] = "1000"  # 110 logins from one address are not an attack here
    # Web servers on one database, each request to any of them (SOAK_NODES, default 2).
    ports = [port, *(free_port() for _ in range(int(os.environ.get("SOAK_NODES", "2")) - 1))]
    env["CSRF_TRUSTED_ORIGINS"] = ",".join(f"https://127.0.0.1:{p}" for p in ports)
    server = Nodes(
        [
            Server(
                {**env, "GUNICORN_BIND": f"127.0.0.1:{p}"},
                p,
                output.with_name(f"soak-gunicorn-{n}.log"),
            )
            for n, p in enumerate(ports, start=1)
        ]
    )
    for node in server.servers:
        node.log_path.unlink(missing_ok=True)  # this run's requests only
    import_dir = Path(tempfile.mkdtemp(prefix="soak-import-"))
    try:
        set_up_django(env)
        log("seeding users, articles, assignments and the review queue")
        seeded = world.seed(scale)
        world.write_import(import_dir, scale)
        server.start()
        everyone = [*seeded["analysts"], *seeded["reviewers"], seeded["exporter"]]
        log(f"gunicorn on {', '.join(map(str, ports))}; logging in {len(everyone)} users")
        with ThreadPoolExecutor(4) as pool:  # each login hashes a password: use both cores
            logged_in = pool.map(lambda u: login(server, u, seeded["password"]), everyone)
            sessions = dict(zip(everyone, logged_in, strict=True))
        importer = [
            *(sys.executable, "manage.py", "import_articles", str(import_dir)),
            *("--user", seeded["exporter"], "-v", "0"),
        ]
        run = load(server, sessions, seeded, scale, duration, with_faults, importer, env)
        log("load finished; verifying")
        from django.db import connections

        connections.close_all()
        outcome = verify(run["recorder"], import_dir, seeded["exporter"], env)
    finally:
        server.stop()
        shutil.rmtree(import_dir, ignore_errors=True)
        shutil.rmtree(static_root, ignore_errors=True)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may never have been set up
            pass
        db.drop(app_url)
    figures = report.figures(
        run["recorder"],
        started=run["started"],
        minutes=minutes,
        faults=run["faults"],
        import_seconds=run["import_seconds"],
        cpu_seconds=run["cpu_seconds"],
        outcome=outcome,
    )
    found = report.checks(figures, scale.targets)
    figures["scale"] = scale.name
    # Requests each web server logged (gunicorn's access log): the load went to all of them.
    figures["requests_per_node"] = [logged_requests(node.log_path) for node in server.servers]
    figures["checks"] = dict(found)
    report.write(figures, output)
    report.show(figures, found, output)
    return 0 if all(ok for _, ok in found) else 1


def logged_requests(path):
    with path.open(errors="replace") as log_file:
        return sum(1 for line in log_file if '"GET ' in line or '"POST ' in line)


def load(server, sessions, seeded, scale, duration, with_faults, importer, env):
    """The people for `duration` seconds; the faults and the import on their schedule."""
    recorder = people.Recorder()
    cpu = CpuBudget(server)
    cpu.start()
    started = time.monotonic()
    deadline = started + duration
    threads = people.crowd(server, sessions, seeded, scale, deadline, recorder)
    for thread in threads:
        thread.start()
    done = []
    if with_faults:
        time.sleep(duration * faults.KILL_WORKER_AT)
        what = faults.kill_worker(server)
        done.append({"at_s": round(time.monotonic() - started, 1), "what": what})
        log(what)
        time.sleep(max(0.0, started + duration * faults.RESTART_POSTGRES_AT - time.monotonic()))
    process = subprocess.Popen(
        importer, cwd=db.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    cpu.importer_pid = process.pid
    import_started = time.monotonic()
    if with_faults:
        time.sleep(0.5)
        # The window opens when the restart begins: requests fail while it is down.
        at = round(time.monotonic() - started, 1)
        cluster = faults.restart_postgres(env["DATABASE_URL"])
        what = f"restart PostgreSQL ({cluster}) during import_articles"
        done.append({"at_s": at, "what": what})
        log(what)
    process.wait(timeout=600)
    import_seconds = round(time.monotonic() - import_started, 1)
    for thread in threads:
        thread.join()
    return {
        "recorder": recorder,
        "started": started,
        "faults": done,
        "import_seconds": import_seconds,
        "cpu_seconds": cpu.stop(),
    }


if __name__ == "__main__":
    sys.exit(main())
