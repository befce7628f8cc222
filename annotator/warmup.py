"""Load, before gunicorn forks its workers, what Django otherwise loads on a first request.

gunicorn imports annotator.wsgi once in its master (`preload_app`) and forks every worker
from it, including the ones it starts after a crash or a `max_requests` recycle. Django
imports the URLconf, and with it every view module, on the first request a process serves
(a few hundred milliseconds, most of it the article-extraction library), and compiles each
template the first time it is rendered. Done in the master, both are inherited by every
worker, so a new worker answers its first requests as fast as its later ones: otherwise
every worker start is a latency spike in `make soak`.

Last, the objects that exist now (~100,000: modules, classes, compiled templates) are moved
out of the garbage collector's sight (`gc.freeze`). They live as long as the process, and a
full collection in a worker would scan them all while holding the GIL, stalling the
worker's every thread. They also stay shared with the master instead of being copied into
each worker when the collector touches them.

Nothing here may touch the database: a connection opened before the fork would be shared
by every worker.
"""

import gc

from django.conf import settings
from django.template import engines
from django.urls import get_resolver


def warm_up() -> None:
    # Reading the property imports every urls.py and view module (and, through them, the
    # translation catalogues) and builds reverse().
    get_resolver().reverse_dict  # noqa: B018
    engine = engines["django"]  # its cached loader keeps what it compiles
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(directory.rglob("*.html")):
            engine.get_template(path.relative_to(directory).as_posix())
    gc.collect()  # what is garbage now would never be freed once frozen
    gc.freeze()
