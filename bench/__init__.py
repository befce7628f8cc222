"""`make bench` and `make soak`: annotator's performance record and its fault run.

`python -m bench` runs the six scenarios (bench/__main__.py), `python -m bench.soak` the
soak (bench/soak/); bench/README.md says what each module does.
"""

import sys
import time

_T0 = time.monotonic()


def log(message):
    """A progress line on stderr, with the seconds since start; stdout keeps the results."""
    print(f"[bench {time.monotonic() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)
