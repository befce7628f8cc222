"""CPU seconds by kind of process during the soak (driver, gunicorn, PostgreSQL...)."""

import os
import threading
from collections import defaultdict

import psutil


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
        gunicorn = self.server.gunicorn_pids()
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
