"""Start the load generator (bench.load, Locust) in its own process and read its result."""

import json
import math
import os
import re
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from . import db
from .report import NOISY_PCT, RESULTS
from .server import CpuMonitor

ROOT = Path(__file__).resolve().parent.parent


def busiest_worker_share(cpu):
    """Share of the gunicorn workers' CPU taken by the busiest one (0.5 = even on two)."""
    workers = [v for k, v in cpu["core_pct_by_process"].items() if k.startswith("gunicorn worker")]
    return max(workers) / sum(workers) if workers and sum(workers) > 0 else None


def locust(
    server, *, kind, name, slots, users, warmup, duration, cycle=False, repeat_disturbed=True
):
    """Run the load generator; once more if the first run was disturbed.

    Disturbed means either of:
    - other processes on the machine (another test suite, a build) took over NOISY_PCT % of
      the CPU during the run (see server.CpuMonitor);
    - its connections all went to one worker. Each client keeps one keep-alive connection,
      as a browser does, and a gunicorn worker keeps the connections it accepted; eight
      connections over two workers now and then all land on one worker, which serves them
      on one core (its GIL) while the other idles, which many browsers' short-lived
      connections do not do. One worker with over 80 % of the workers' CPU counts.
    The second attempt is kept (even if disturbed too: its "cpu" says so); the first stays
    in the JSON under "disturbed_first_attempt". With repeat_disturbed=False (the smoke
    scale) a disturbed run is only marked so.
    """
    if kind == "post" and not cycle:
        # Requests that write: the second attempt gets work of its own (the plan's 2nd half).
        halves = [
            [{**s, "requests": s["requests"][: len(s["requests"]) // 2]} for s in slots],
            [{**s, "requests": s["requests"][len(s["requests"]) // 2 :]} for s in slots],
        ]
    else:
        halves = [slots, slots]
    options = {
        "kind": kind,
        "name": name,
        "users": users,
        "warmup": warmup,
        "duration": duration,
        "cycle": cycle,
    }
    result = _checked(server, halves[0], **options)
    result["ok_total_all_attempts"] = result["ok_total"]
    if result["disturbed"] and repeat_disturbed:
        again = _checked(server, halves[1], **options)
        again["ok_total_all_attempts"] = result["ok_total"] + again["ok_total"]
        again["disturbed_first_attempt"] = result
        result = again
    return result


def _checked(server, slots, *, users, **options):
    result = _locust(server, slots=slots, users=users, **options)
    share = busiest_worker_share(result["cpu"])
    result["busiest_worker_share"] = share and round(share, 2)
    unbalanced = users > 1 and share is not None and share > 0.8
    result["disturbed"] = unbalanced or result["cpu"]["foreign_pct"] > NOISY_PCT
    return result


@contextmanager
def py_spy(server, name, users, seconds):
    """With BENCH_PY_SPY=1 (python -m bench --py-spy): flame graphs of each gunicorn worker
    during the run, bench/results/py-spy-<name>-<users>c-<pid>.svg. Sampling costs a little
    CPU, so figures from such a run are for reading the graphs, not for the record."""
    if os.environ.get("BENCH_PY_SPY") != "1":
        yield
        return
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    spies = [
        subprocess.Popen(
            [
                str(Path(sys.executable).with_name("py-spy")),
                "record",
                "--nonblocking",
                "--pid",
                str(pid),
                "--duration",
                str(math.ceil(seconds)),  # whole seconds only
                "--output",
                str(RESULTS / f"py-spy-{slug}-{users}c-{pid}.svg"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in server.worker_pids()
    ]
    try:
        yield
    finally:
        for spy in spies:
            try:
                spy.wait(timeout=30)
            except subprocess.TimeoutExpired:
                spy.kill()


def _locust(server, *, kind, name, slots, users, warmup, duration, cycle=False):
    spec = {
        "host": f"http://127.0.0.1:{server.port}",
        "kind": kind,
        "name": name,
        "slots": slots,
        "users": users,
        "warmup": warmup,
        "duration": duration,
        "cycle": cycle,
        "new_connection_each_request": os.environ.get("BENCH_CONNECTION_CLOSE") == "1",
    }
    with tempfile.TemporaryDirectory(prefix="annotator-bench-load-") as tmp:
        spec_path, result_path = Path(tmp) / "spec.json", Path(tmp) / "result.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        with CpuMonitor(db.name()) as cpu, py_spy(server, name, users, warmup + duration):
            process = subprocess.run(
                [sys.executable, "-m", "bench.load", str(spec_path), str(result_path)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=warmup + duration + 120,
                check=False,
            )
        if process.returncode != 0 or not result_path.exists():
            raise RuntimeError(f"load generator failed:\n{process.stdout}{process.stderr}")
        result = json.loads(result_path.read_text(encoding="utf-8"))
    # Locust warns when its own CPU use nears 100 %: the numbers would be the client's.
    result["cpu"] = cpu.result
    result["client_warnings"] = [
        line for line in process.stderr.splitlines() if "CPU usage" in line
    ]
    return result
