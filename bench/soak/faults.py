"""The two faults of the run: a gunicorn worker killed, the PostgreSQL server restarted.

After each, for FAULT_WINDOW_S seconds, answers >= 500 are counted apart from the others:
clients see errors while a server comes back, and retry.
"""

import os
import signal
import subprocess

from .. import db

KILL_WORKER_AT, RESTART_POSTGRES_AT = 0.35, 0.65  # of the run's duration
FAULT_WINDOW_S = 12


def kill_worker(server):
    """SIGKILL one gunicorn worker, as the kernel's OOM killer would; what was done."""
    victim = server.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    return f"SIGKILL worker {victim}"


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


def in_window(at, fault_times):
    """True if `at` falls in the second before a fault or the FAULT_WINDOW_S after it."""
    return any(t - 1 <= at <= t + FAULT_WINDOW_S for t in fault_times)
