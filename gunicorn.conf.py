"""gunicorn settings, shared by docker-compose.yml and `make bench` (read from the cwd)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads, not sync workers: a slow upload holds one thread, not a whole worker.
worker_class = "gthread"
# Four processes of four threads for two cores (gunicorn suggests 2-4 workers per core), not
# two of eight: threads of one process share its GIL, and one back from a database call
# queues behind busy neighbours, where the kernel wakes a waiting process promptly. Same 16
# requests and connections in flight; docs/performance.md has the soak's claim latencies.
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
# Import Django once, in the master: a recycled or killed worker is then forked ready in
# milliseconds instead of spending a second of CPU importing while requests queue (seen as
# latency spikes in `make soak`). Nothing opens a database connection at import time.
preload_app = True
limit_request_line = 8190
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
