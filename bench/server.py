"""The app under gunicorn, as docker-compose.yml runs it, on a free loopback port.

Also: logging in through the real login form, and sampling the workers' memory.
"""

import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psutil
import yaml

from . import db, log

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def compose_workers():
    """GUNICORN_WORKERS and GUNICORN_THREADS as docker-compose.yml gives them to `web`."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    environment = compose["services"]["web"]["environment"]
    values = {}
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS"):
        raw = str(environment[name])  # "${GUNICORN_WORKERS:-2}" or a plain value
        match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", raw)
        values[name] = match.group(1) if match else raw
    return values


def production_env(database_url, port, static_root):
    """Production settings (DEBUG off), the bench URLconf, docker-compose's worker counts;
    static files collected into `static_root`, a folder of the run's own."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=str(static_root),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CSRF_TRUSTED_ORIGINS=f"https://127.0.0.1:{port}",
        # The load generator speaks plain HTTP as a TLS proxy would, with X-Forwarded-Proto.
        SECURE_SSL_REDIRECT="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        **compose_workers(),
    )
    env.pop("PYTHONSTARTUP", None)
    return env


def new_deployment(kind):
    """A fresh database next to the app's, a free port and a static-files folder of the
    run's own: (app's database URL, the run's environment, port, static folder)."""
    app_url = db.app_url()
    port = free_port()
    log(f"{kind}: creating database {db.name()} next to the app's")
    static_root = tempfile.mkdtemp(prefix=f"annotator-{kind}-static-")
    env = production_env(db.create(app_url), port, static_root)
    return app_url, env, port, static_root


def set_up_django(env):
    """Migrate the run's database, collect its static files (production storage needs the
    manifest, or every page is a 500), and set Django up on it in this process."""
    log("migrating, collecting static files")
    db.manage(env, "migrate", "--no-input")
    db.manage(env, "collectstatic", "--no-input")
    os.environ.update(env)
    # This process loads the fixtures (COPY of up to a million rows), as a command would;
    # the gunicorn it starts keeps a page's statement limit.
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"
    import django

    django.setup()


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn annotator.wsgi, with gunicorn.conf.py from the project root (as in Docker)."""

    def __init__(self, env, port, log_path):
        self.env = env
        self.port = port
        self.log_path = log_path
        self.process = None

    @property
    def origin(self):
        # The bench talks plain HTTP on loopback as a TLS proxy would to the app behind it:
        # X-Forwarded-Proto says https (settings trust it), so cookies and CSRF behave as
        # in production.
        return f"https://{HOST}:{self.port}"

    def start(self, timeout=60):
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "annotator.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.process.returncode}); see {self.log_path}"
                )
            try:
                status, _headers, _body = request(self.port, "GET", "/login/")
                if status == 200 and len(self.worker_pids()) >= int(self.env["GUNICORN_WORKERS"]):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log_path}")

    def worker_pids(self):
        try:
            return sorted(c.pid for c in psutil.Process(self.process.pid).children())
        except psutil.NoSuchProcess:
            return []

    def gunicorn_pids(self):
        return {self.process.pid, *self.worker_pids()}

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._log.close()


class Nodes:
    """Several gunicorn masters on one database, as web servers behind a load balancer:
    every request goes to one of them at random (`port` and `origin` are drawn anew at
    each use), so nothing may depend on which process serves it."""

    def __init__(self, servers):
        self.servers = servers

    @property
    def port(self):
        return random.choice(self.servers).port

    @property
    def origin(self):
        return random.choice(self.servers).origin

    def start(self):
        for server in self.servers:
            server.start()

    def stop(self):
        for server in self.servers:
            server.stop()

    def worker_pids(self):
        return sorted(pid for server in self.servers for pid in server.worker_pids())

    def gunicorn_pids(self):
        return {pid for server in self.servers for pid in server.gunicorn_pids()}


def request(port, method, path, *, body=None, headers=None, timeout=600):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, response.headers, data
    finally:
        conn.close()


def cookies_from(headers):
    jar = {}
    for value in headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie()
        cookie.load(value)
        for key, morsel in cookie.items():
            jar[key] = morsel.value
    return jar


_FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_HX_HEADERS = re.compile(r"<body hx-headers='([^']+)'")


def login(server, username, password):
    """A real login through /login/; the headers an htmx request from that user sends."""
    status, headers, body = request(server.port, "GET", "/login/")
    assert status == 200, f"GET /login/ gave {status}"
    jar = cookies_from(headers)
    token = _FORM_TOKEN.search(body.decode()).group(1)
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    status, headers, body = request(
        server.port,
        "POST",
        "/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
            "Origin": server.origin,
            "Referer": server.origin + "/login/",
        },
    )
    if status != 302:
        raise RuntimeError(f"login of {username} gave {status}: {body[:300]!r}")
    jar.update(cookies_from(headers))  # the session, and the CSRF secret rotated at login
    cookie = f"sessionid={jar['sessionid']}; csrftoken={jar['csrftoken']}"
    # The token the page hands to htmx (<body hx-headers=...>), as annotate.js reads it.
    status, _headers, body = request(server.port, "GET", "/", headers={"Cookie": cookie})
    assert status == 200, f"GET / as {username} gave {status}"
    csrf = json.loads(_HX_HEADERS.search(body.decode()).group(1))["X-CSRFToken"]
    return {
        "Cookie": cookie,
        "X-CSRFToken": csrf,
        "X-Forwarded-Proto": "https",
        "Origin": server.origin,
        "Referer": server.origin + "/",
    }


class MemorySampler:
    """Peak resident memory of each gunicorn worker, sampled every `interval` seconds."""

    def __init__(self, server, interval=0.05):
        self.server = server
        self.interval = interval
        self.baseline = {}
        self.peak = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = None

    @staticmethod
    def rss(pid):
        try:
            return psutil.Process(pid).memory_info().rss
        except psutil.NoSuchProcess:
            return None

    def __enter__(self):
        for pid in self.server.worker_pids():
            value = self.rss(pid)
            if value is not None:
                self.baseline[pid] = self.peak[pid] = value
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            for pid in self.server.worker_pids():
                value = self.rss(pid)
                if value is None:
                    continue
                self.baseline.setdefault(pid, value)
                self.peak[pid] = max(self.peak.get(pid, 0), value)
            self.samples += 1

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def growth(self):
        """The largest growth of one worker over its own baseline, in bytes."""
        return max((self.peak[p] - self.baseline[p] for p in self.peak), default=0)


class CpuMonitor:
    """How much of the machine's CPU went to processes that are not the bench's own.

    The bench's own: this process and its children (gunicorn, the load generator) and the
    PostgreSQL backends serving the bench database. Everything else (another test suite, a
    build) competes for the same two cores and makes the numbers worse than they are; the
    share is reported next to each result so that a noisy run can be told apart.
    """

    def __init__(self, database_name, interval=0.5):
        self.database_name = database_name
        self.interval = interval
        self._seen = {}  # pid -> (first cpu seconds, last cpu seconds)
        self._names = {}
        self._stop = threading.Event()

    def _ours(self):
        me = psutil.Process()
        procs = [me, *me.children(recursive=True)]
        for proc in psutil.process_iter(["name", "cmdline"]):
            cmdline = " ".join(proc.info["cmdline"] or [])
            if cmdline.startswith("postgres:") and f" {self.database_name} " in cmdline:
                procs.append(proc)
        return procs

    def _sample(self):
        for proc in self._ours():
            try:
                times = proc.cpu_times()
            except psutil.Error:
                continue
            total = times.user + times.system
            first = self._seen.get(proc.pid, (total, total))[0]
            self._seen[proc.pid] = (first, total)
            if proc.pid not in self._names:
                try:
                    self._names[proc.pid] = self._label(proc)
                except psutil.Error:
                    self._names[proc.pid] = "?"

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self):
        self._sample()
        # Processes seen now count from here; processes born later count from zero.
        self._baseline_pids = set(self._seen)
        self._busy0 = self._busy()
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    @staticmethod
    def _label(proc):
        cmdline = proc.cmdline()
        text = " ".join(cmdline)
        if text.startswith("postgres:"):
            return "postgres backend"
        if "gunicorn" in text:
            parent = proc.parent()
            return (
                "gunicorn worker"
                if parent and "gunicorn" in " ".join(parent.cmdline())
                else "gunicorn master"
            )
        if "bench.load" in text:
            return "load generator"
        if "bench.import_timed" in text:
            return "import command"
        if proc.pid == psutil.Process().pid:
            return "bench"
        return proc.name()

    @staticmethod
    def _busy():
        t = psutil.cpu_times()
        return t.user + t.nice + t.system + t.irq + t.softirq + getattr(t, "steal", 0.0)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
        wall = time.monotonic() - self._t0
        busy = self._busy() - self._busy0
        ours = 0.0
        by_role = {}
        for pid, (first, last) in self._seen.items():
            used = last - (first if pid in self._baseline_pids else 0.0)
            ours += used
            role = self._names.get(pid, "?")
            if role == "gunicorn worker":
                role = f"gunicorn worker {pid}"
            by_role[role] = by_role.get(role, 0.0) + used
        cpus = psutil.cpu_count() or 1
        self.result = {
            "machine_busy_pct": round(100 * busy / (wall * cpus), 1),
            "bench_pct": round(100 * ours / (wall * cpus), 1),
            "foreign_pct": round(max(0.0, 100 * (busy - ours) / (wall * cpus)), 1),
            # Percent of one core, per kind of process.
            "core_pct_by_process": {
                role: round(100 * used / wall, 1)
                for role, used in sorted(by_role.items())
                if used > 0.01
            },
        }
