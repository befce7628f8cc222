"""`make soak`: 100 annotators, 8 reviewers and 1 exporter against gunicorn, with faults.

    SOAK_MINUTES=10 python -m bench.soak      (SOAK_MINUTES=2 for a quick run)

During the run one gunicorn worker is killed with SIGKILL (at 35 %) and PostgreSQL is
restarted (at 65 %) while an import_articles runs. The driver records every write the
server acknowledged; afterwards the database must hold each exactly once, no import may be
half-done, the integrity invariants must hold, and no response may be ≥ 500 outside the
few seconds after a fault. Results: a table, and bench/results/soak.json.
"""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import psutil

# Its own database: the soak restarts PostgreSQL and must not share make bench's.
os.environ.setdefault("BENCH_DATABASE_NAME", "annotator_soak")

from . import corpus, db, report  # db reads the name above at import
from .__main__ import bench_env, log
from .server import Server, free_port, login, request

ANNOTATORS, REVIEWERS = 100, 8
ARTICLES, PER_ANALYST, SPANS_BEFORE_SUBMIT = 300, 20, 12
QUEUE_ITEMS = 400  # submitted work waiting for the reviewers at the start
FAULT_WINDOW_S = 12  # after a fault, 5xx answers are counted apart, not as failures
TARGETS = {"span_p95_ms": 100, "span_p99_ms": 250, "claim_p99_ms": 50}


class Recorder:
    """Every request's latency and status, and every write the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.statuses = defaultdict(int)
        self.server_errors = []  # (time, kind, status)
        self.spans = set()  # (assignment, label, start, end) acknowledged live
        self.submitted, self.approved = set(), set()

    def note(self, kind, started, status):
        now = time.monotonic()
        with self.lock:
            self.latency[kind].append((now, (now - started) * 1000))
            self.statuses[status] += 1
            if status >= 500 or status == 0:
                self.server_errors.append((now, kind, status))


def post(server, headers, path, values, recorder, kind, retries=4):
    """POST a form as htmx would; retry (same action id, so at most once) on failure."""
    body = urlencode(values, doseq=True)
    all_headers = {
        **headers,
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
    }
    for attempt in range(retries + 1):
        started = time.monotonic()
        try:
            status, response_headers, _data = request(
                server.port, "POST", path, body=body, headers=all_headers, timeout=30
            )
        except OSError:
            status, response_headers = 0, {}  # connection reset: a killed worker, a restart
        recorder.note(kind, started, status)
        if status and status < 500:
            return status, response_headers
        time.sleep(0.5 * (attempt + 1))
    return status, response_headers


def annotator(server, headers, plan, labels, deadline, recorder, rng):
    time.sleep(rng.uniform(0, 5))  # people do not all press a key in the same millisecond
    for assignment_id, sentences in plan:
        if time.monotonic() > deadline:
            return
        done = 0
        while done < SPANS_BEFORE_SUBMIT and time.monotonic() < deadline:
            start, end, text = rng.choice(sentences)
            label = rng.choice(labels)
            status, _ = post(
                server,
                headers,
                f"/annotate/{assignment_id}/spans/",
                {
                    "label": label,
                    "start": start,
                    "end": end,
                    "text": text,
                    "action_id": str(uuid.uuid4()),
                },
                recorder,
                "span",
            )
            if status == 200:
                with recorder.lock:
                    recorder.spans.add((assignment_id, label, start, end))
                done += 1
            # Reading and selecting: a fast analyst tags a span every few seconds at best
            # (one every 3.5 s on average here, so 100 of them save ~28 spans a second).
            time.sleep(rng.uniform(2.0, 5.0))
        if time.monotonic() < deadline:
            status, _ = post(
                server, headers, f"/annotate/{assignment_id}/submit/", {}, recorder, "submit"
            )
            if status in {200, 302}:
                with recorder.lock:
                    recorder.submitted.add(assignment_id)


def reviewer(server, headers, deadline, recorder, rng):
    time.sleep(rng.uniform(0, 5))  # as for the annotators: they do not all start at once
    while time.monotonic() < deadline:
        status, response_headers = post(server, headers, "/review/start/", {}, recorder, "claim")
        item = _item_from(response_headers.get("Location", "") if status == 302 else "")
        if item is None:
            time.sleep(1)
            continue
        post(
            server,
            headers,
            f"/review/items/{item}/approve-all/",
            {"action_id": str(uuid.uuid4())},
            recorder,
            "decide",
        )
        status, _ = post(
            server,
            headers,
            f"/review/items/{item}/approve/",
            {"action_id": str(uuid.uuid4())},
            recorder,
            "approve",
        )
        if status in {200, 302}:
            with recorder.lock:
                recorder.approved.add(item)
        time.sleep(rng.uniform(2.0, 5.0))  # the next item, at an annotator's pace


def _item_from(location):
    """The item a claim landed on, from the redirect to its page (/review/items/N/)."""
    match = re.search(r"/review/items/(\d+)/", location)
    return int(match.group(1)) if match else None


def exporter(server, headers, deadline, recorder):
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            status, _h, _data = request(
                server.port,
                "GET",
                "/exports/download/?status=approved",
                headers=headers,
                timeout=120,
            )
        except OSError:
            status = 0
        recorder.note("export", started, status)
        time.sleep(10)


def restart_postgres(database_url):
    """Restart the server the bench database lives on: the system cluster or ours."""
    private = db.ROOT / "var" / "postgres"
    if "%2F" in database_url and str(db.ROOT / "var").replace("/", "%2F") in database_url:
        owner = "postgres" if os.geteuid() == 0 else None
        command = ["pg_ctl", "-D", str(private), "-m", "fast", "-w", "restart"]
        if owner:
            command = ["runuser", "-u", owner, "--", *command]
        subprocess.run(command, check=True, capture_output=True)
        return "private cluster"
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
        check=True,
        capture_output=True,
    )
    return f"cluster {version}/main"


class CpuBudget:
    """Where the two cores went: CPU seconds by kind of process, sampled every second.

    A process that dies (a killed worker, a PostgreSQL backend at the restart) loses at
    most its last second, so the totals are a slight undercount, enough to say who used what.
    """

    def __init__(self, server):
        self.server = server
        self.importer_pid = None
        self.seconds = defaultdict(float)
        self._last = {}  # pid -> (kind, cpu seconds so far)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _kind(self, proc, gunicorn):
        if proc.pid == os.getpid():
            return "driver"
        if proc.pid == self.importer_pid:
            return "import_articles"
        name = proc.name()
        if name.startswith("postgres"):
            return "postgresql"
        if proc.pid in gunicorn:
            return "gunicorn"
        return None

    def sample(self):
        seen = {}
        gunicorn = {self.server.process.pid, *self.server.worker_pids()}
        for proc in psutil.process_iter():
            try:
                kind = self._kind(proc, gunicorn)
                times = proc.cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            seen[proc.pid] = (kind or "other", times.user + times.system)
        for pid, (kind, total) in seen.items():
            before = self._last.get(pid)
            if before is not None and before[0] == kind:
                self.seconds[kind] += total - before[1]
        self._last = seen

    def _run(self):
        while not self._stop.wait(1.0):
            self.sample()

    def start(self):
        self.sample()
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()
        self.sample()
        return {kind: round(s, 1) for kind, s in sorted(self.seconds.items())}


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 1)


def seed_database():
    """Users, articles, assignments and a review queue, through the app's own code."""
    from annotator.accounts.roles import Role
    from annotator.annotations import spans as span_service
    from annotator.annotations.models import Assignment, Label
    from annotator.articles import ingest
    from annotator.articles.models import Article

    from .fixtures import PASSWORD, create_users

    analysts = create_users("soak-analyst", ANNOTATORS, [Role.ANALYST], can_login=True)
    reviewers = create_users("soak-reviewer", REVIEWERS, [Role.REVIEWER], can_login=True)
    exporter_user = create_users("soak-exporter", 1, [Role.ADMIN, Role.REVIEWER], can_login=True)[0]
    queue_analyst = create_users("soak-queue", 1, [Role.ANALYST], can_login=False)[0]
    items = []
    for name, text in corpus.articles(ARTICLES, seed=7):
        items.extend(ingest.prepare(name, text.encode(), exporter_user))
    ingest.store(items)
    articles = list(Article.objects.order_by("id").prefetch_related("sentences"))
    labels = [label.pk for label in Label.objects.filter(is_active=True)]
    rng = random.Random(11)
    plans = {}
    for analyst in analysts:
        plan = []
        for article in rng.sample(articles, PER_ANALYST):
            assignment = Assignment.objects.create(article=article, analyst=analyst)
            sentences = [
                (s.start, s.end, article.text[s.start : s.end]) for s in article.sentences.all()
            ]
            plan.append((assignment.pk, sentences))
        plans[analyst.username] = plan
    for article in articles[:QUEUE_ITEMS]:
        item = Assignment.objects.create(article=article, analyst=queue_analyst)
        first = article.sentences.all()[0]
        span_service.create_span(
            item.pk,
            queue_analyst,
            label=Label.objects.get(pk=labels[0]),
            start=first.start,
            end=first.end,
        )
        span_service.submit(item.pk, queue_analyst)
    return {
        "analysts": [a.username for a in analysts],
        "reviewers": [r.username for r in reviewers],
        "exporter": exporter_user.username,
        "password": PASSWORD,
        "plans": plans,
        "labels": labels,
    }


def verify(recorder, import_dir, admin_username, env):
    """What the database holds after the run, against what the server acknowledged."""
    from annotator.annotations.integrity import broken_invariants
    from annotator.annotations.models import Assignment, Span
    from annotator.articles.models import Article

    missing, doubled = [], []
    live = defaultdict(int)
    for row in Span.objects.filter(deleted_at__isnull=True).values_list(
        "assignment_id", "label_id", "start", "end"
    ):
        live[row] += 1
    for key in recorder.spans:
        count = live.get(key, 0)
        if count == 0:
            missing.append(key)
        elif count > 1:
            doubled.append(key)
    statuses = dict(Assignment.objects.values_list("pk", "status"))
    lost_submits = [
        a for a in recorder.submitted if statuses.get(a) not in {"submitted", "approved"}
    ]
    lost_approvals = [a for a in recorder.approved if statuses.get(a) != "approved"]
    # The import that ran through the restart: re-running it must find every file stored
    # once, whole (same sentence count as a fresh segmentation of its text).
    db.manage(env, "import_articles", str(import_dir), "--user", admin_username, "-v", "0")
    expected_imports = len(list(import_dir.glob("*.txt")))
    imported = Article.objects.filter(source_file__name__startswith=str(import_dir)).count()
    broken = broken_invariants()  # the same checks the test suite runs after every test
    return {
        "acknowledged_spans": len(recorder.spans),
        "missing_spans": len(missing),
        "doubled_spans": len(doubled),
        "acknowledged_submits": len(recorder.submitted),
        "lost_submits": len(lost_submits),
        "acknowledged_approvals": len(recorder.approved),
        "lost_approvals": len(lost_approvals),
        "import_files": expected_imports,
        "import_articles_stored": imported,
        "invariants_broken": broken,
    }


def main():
    minutes = float(os.environ.get("SOAK_MINUTES", "10"))
    with_faults = os.environ.get("SOAK_FAULTS", "1") != "0"  # 0: load only, for development
    duration = minutes * 60
    app_url = db.app_url()
    port = free_port()
    log(f"soak: {minutes:g} min; creating database {db.NAME}")
    database_url = db.create(app_url)
    env = bench_env(database_url, port)
    env["DJANGO_SETTINGS_MODULE"] = "annotator.settings"
    env["AXES_FAILURE_LIMIT"] = "1000"  # 110 logins from one address are not an attack here
    report.RESULTS.mkdir(parents=True, exist_ok=True)
    server = Server(env, port, report.RESULTS / "soak-gunicorn.log")
    import_dir = Path(tempfile.mkdtemp(prefix="soak-import-"))
    try:
        db.manage(env, "migrate", "--no-input")
        # Production storage needs the manifest: without it every page is a 500.
        db.manage(env, "collectstatic", "--no-input")
        os.environ.update(
            DATABASE_URL=database_url,
            DJANGO_SETTINGS_MODULE="annotator.settings",
            DEBUG="0",
            SECRET_KEY=env["SECRET_KEY"],
            ALLOWED_HOSTS=env["ALLOWED_HOSTS"],
        )
        import django

        django.setup()
        log("seeding users, articles, assignments and the review queue")
        world = seed_database()
        for name, text in corpus.articles(300, seed=99):
            (import_dir / name).write_text(text, encoding="utf-8")
        server.start()
        log(f"gunicorn on {port}; logging in {ANNOTATORS + REVIEWERS + 1} users")
        everyone = [*world["analysts"], *world["reviewers"], world["exporter"]]
        with ThreadPoolExecutor(4) as pool:  # each login hashes a password: use both cores
            logged_in = pool.map(lambda u: login(server, u, world["password"]), everyone)
            sessions = dict(zip(everyone, logged_in, strict=True))
        recorder = Recorder()
        cpu = CpuBudget(server)
        cpu.start()
        started = time.monotonic()
        deadline = started + duration
        threads = []
        for i, name in enumerate(world["analysts"]):
            threads.append(
                threading.Thread(
                    target=annotator,
                    args=(
                        server,
                        sessions[name],
                        world["plans"][name],
                        world["labels"],
                        deadline,
                        recorder,
                        random.Random(i),
                    ),
                )
            )
        for i, name in enumerate(world["reviewers"]):
            threads.append(
                threading.Thread(
                    target=reviewer,
                    args=(server, sessions[name], deadline, recorder, random.Random(1000 + i)),
                )
            )
        threads.append(
            threading.Thread(
                target=exporter, args=(server, sessions[world["exporter"]], deadline, recorder)
            )
        )
        for thread in threads:
            thread.start()
        faults = []
        importer = None
        if with_faults:
            time.sleep(duration * 0.35)
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            faults.append(
                {"at_s": round(time.monotonic() - started, 1), "what": f"SIGKILL worker {victim}"}
            )
            log(faults[-1]["what"])
            time.sleep(max(0.0, started + duration * 0.65 - time.monotonic()))
        importer = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "import_articles",
                str(import_dir),
                "--user",
                world["exporter"],
                "-v",
                "0",
            ],
            cwd=db.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cpu.importer_pid = importer.pid
        import_started = time.monotonic()
        if with_faults:
            time.sleep(0.5)
            # The window opens when the restart begins: requests fail while it is down.
            at = round(time.monotonic() - started, 1)
            what = restart_postgres(database_url)
            faults.append(
                {
                    "at_s": at,
                    "what": f"restart PostgreSQL ({what}) during import_articles",
                }
            )
            log(faults[-1]["what"])
        importer.wait(timeout=600)
        import_seconds = round(time.monotonic() - import_started, 1)
        for thread in threads:
            thread.join()
        cpu_seconds = cpu.stop()
        log("load finished; verifying")
        from django.db import connections

        connections.close_all()
        outcome = verify(recorder, import_dir, world["exporter"], env)
    finally:
        server.stop()
        shutil.rmtree(import_dir, ignore_errors=True)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may never have been set up
            pass
        db.drop(app_url)
    fault_times = [started + f["at_s"] for f in faults]
    in_window = [
        e
        for e in recorder.server_errors
        if any(t - 1 <= e[0] <= t + FAULT_WINDOW_S for t in fault_times)
    ]
    outside = [e for e in recorder.server_errors if e not in in_window]

    def calm(kind):
        """Latencies of requests that ended outside the fault windows (for the record)."""
        return [
            ms
            for at, ms in recorder.latency[kind]
            if not any(t - 1 <= at <= t + FAULT_WINDOW_S for t in fault_times)
        ]

    def every(kind):
        return [ms for _at, ms in recorder.latency[kind]]

    exports = [(at - ms / 1000, at) for at, ms in recorder.latency["export"]]

    def slowest(kind, n=15):
        """The n slowest requests of a kind, slowest first: seconds from the start, ms, and
        "export" if a CSV export was being streamed meanwhile."""
        rows = []
        for at, ms in sorted(recorder.latency[kind], key=lambda pair: -pair[1])[:n]:
            row = (round(at - started, 1), round(ms, 1))
            if any(a < at and at - ms / 1000 < b for a, b in exports):
                row += ("export",)
            rows.append(row)
        return rows

    by_10s = defaultdict(list)
    for at, ms in recorder.latency["span"]:
        by_10s[int((at - started) // 10) * 10].append(ms)
    figures = {
        "minutes": minutes,
        "requests": sum(recorder.statuses.values()),
        "statuses": dict(sorted(recorder.statuses.items())),
        "errors_outside_fault_windows": len(outside),
        "errors_in_fault_windows": len(in_window),
        "span_saves_per_s": round(len(recorder.latency["span"]) / (minutes * 60), 1),
        # The verdicts use every request, fault windows included.
        "span_p50_ms": percentile(every("span"), 50),
        "span_p95_ms": percentile(every("span"), 95),
        "span_p99_ms": percentile(every("span"), 99),
        "claim_p50_ms": percentile(every("claim"), 50),
        "claim_p99_ms": percentile(every("claim"), 99),
        "outside_fault_windows": {
            "span_p95_ms": percentile(calm("span"), 95),
            "span_p99_ms": percentile(calm("span"), 99),
            "claim_p99_ms": percentile(calm("claim"), 99),
        },
        "faults": faults,
        "claims": len(recorder.latency["claim"]),
        "claim_slowest": slowest("claim"),
        "import_seconds": import_seconds,
        # CPU seconds used during the load by kind of process; the machine had
        # 2 cores x the run's length.
        "cpu_seconds": cpu_seconds,
        # Where the slow saves were: p95 per 10 s of the run (key = seconds from the start).
        "span_p95_ms_by_10s": {t: percentile(v, 95) for t, v in sorted(by_10s.items())},
        **outcome,
    }
    checks = [
        (
            "every acknowledged span present exactly once",
            outcome["missing_spans"] == 0 and outcome["doubled_spans"] == 0,
        ),
        (
            "every acknowledged submission and approval kept",
            outcome["lost_submits"] == 0 and outcome["lost_approvals"] == 0,
        ),
        ("no import half-done", outcome["import_articles_stored"] == outcome["import_files"]),
        ("integrity invariants hold", not outcome["invariants_broken"]),
        ("0 responses >= 500 outside fault windows", not outside),
        (
            f"span save p95 <= {TARGETS['span_p95_ms']} ms",
            (figures["span_p95_ms"] or 0) <= TARGETS["span_p95_ms"],
        ),
        (
            f"span save p99 <= {TARGETS['span_p99_ms']} ms",
            (figures["span_p99_ms"] or 0) <= TARGETS["span_p99_ms"],
        ),
        (
            f"claim p99 <= {TARGETS['claim_p99_ms']} ms",
            (figures["claim_p99_ms"] or 0) <= TARGETS["claim_p99_ms"],
        ),
    ]
    figures["checks"] = dict(checks)
    path = report.RESULTS / "soak.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    for key in (
        "requests",
        "statuses",
        "acknowledged_spans",
        "acknowledged_submits",
        "acknowledged_approvals",
        "errors_in_fault_windows",
        "span_saves_per_s",
        "span_p50_ms",
        "span_p95_ms",
        "span_p99_ms",
        "claim_p50_ms",
        "claim_p99_ms",
        "outside_fault_windows",
        "claims",
        "claim_slowest",
        "import_seconds",
        "cpu_seconds",
    ):
        print(f"{key:<28} {figures[key]}")
    for fault in faults:
        print(f"fault at {fault['at_s']:>6} s: {fault['what']}")
    for name, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    print(f"JSON: {path}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
