"""`make soak`: annotators, reviewers and an exporter against gunicorn, with faults.

    SOAK_MINUTES=10 python -m bench.soak [--scale full|smoke] [--output PATH]

SOAK_MINUTES (10 by default; 2 for a quick run) is the load's length. During the run one
gunicorn worker is killed with SIGKILL (at 35 %) and PostgreSQL is restarted (at 65 %)
while an import_articles runs; SOAK_FAULTS=0 leaves the faults out (the import still runs).
The driver records every write the server acknowledged; afterwards the database must hold
each exactly once, no import may be half-done, the integrity invariants must hold, and no
response may be ≥ 500 outside the few seconds after a fault. `full` (the default) is 100
annotators, 8 reviewers and 1 exporter at a human pace, with latency targets; `smoke` is a
handful of people at a brisk pace and no latency targets, for tests/bench/. Results: a table,
and bench/results/soak.json (or --output), gunicorn's log next to it.

Modules: `world` (sizes, and the data seeded through the app's code), `people` (one thread
per simulated person, and the Recorder of what the server acknowledged), `faults`, `cpu`
(CPU seconds by kind of process), `verify` (the database against the acknowledgements),
`report` (figures, checks, summary); `__main__` runs them in that order.
"""
