"""`make bench` and `make soak` still run against the current schema, at a tiny scale.

Smoke, not judgement: figures from a run this small, next to the rest of the suite, mean
nothing, so no performance target is asserted. What must hold: every scenario ran and
measured something without a single error, the export gave COPY's bytes, every adversarial
upload was stored or refused, and the soak kept every write the server acknowledged.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.scenario_adversarial import CASES

ROOT = Path(__file__).resolve().parents[2]

# The runs start gunicorn and a load generator and keep both cores busy for ~25 s: in the
# browser tests' group, so that --dist loadgroup never runs them beside Chromium, whose
# tests wait with timeouts.
pytestmark = pytest.mark.xdist_group("browser")

COMMANDS = {
    "bench": ["-m", "bench", "--scale", "smoke"],
    "soak": ["-m", "bench.soak", "--scale", "smoke"],
}


def environment(kind):
    env = {
        **os.environ,
        # Unique per run: pytest-xdist workers, or two checkouts, may run this at once.
        "BENCH_DATABASE_NAME": (
            f"{os.environ.get('BENCH_DATABASE_NAME', 'annotator_bench')}_smoke_{kind}_{os.getpid()}"
        ),
        "SOAK_MINUTES": "0.1",
        "SOAK_FAULTS": "0",
    }
    # The browser fixture sets this for Playwright; a deployment never would.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # DATABASE_URL, when not in the environment, comes from .env, as for `make bench`.
    return env


def run_side_by_side(folder):
    """Both runs at once, each with its own database, port and static files: their JSON."""
    started = {}
    for kind, command in COMMANDS.items():
        (folder / kind).mkdir()
        with (folder / kind / "output.txt").open("w") as printed:
            started[kind] = subprocess.Popen(
                [sys.executable, *command, "--output", str(folder / kind / "result.json")],
                cwd=ROOT,
                env=environment(kind),
                stdout=printed,
                stderr=subprocess.STDOUT,
            )
    returncodes = {kind: finish(process) for kind, process in started.items()}
    for kind, returncode in returncodes.items():
        printed = (folder / kind / "output.txt").read_text()
        assert returncode == 0, f"python {' '.join(COMMANDS[kind])} failed:\n{printed[-5000:]}"
    return [json.loads((folder / kind / "result.json").read_text()) for kind in COMMANDS]


def finish(process, timeout=300):
    """The return code; a run still going after `timeout` is interrupted as Ctrl+C would,
    so that it stops its gunicorn and drops its database."""
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        return process.wait(timeout=60)


def load_runs(results):
    """(name, Locust result) for every load run of the bench, floors included."""
    for key in ("annotate_1", "annotate_8", "values_1", "values_8", "open"):
        yield f"{key} app", results[key]["app"]
        yield f"{key} floor", results[key]["floor"]
    yield "review", results["review"]["load"]


# One test, not one per scenario: the runs are the slow part and must happen once.
def test_every_scenario_and_the_soak_still_run(tmp_path):
    record, soak = run_side_by_side(tmp_path)
    results, scale = record["results"], record["scale"]

    # 1 ingest: every file stored; the COPY floor measured.
    assert results["ingest"]["articles"] == scale["ingest_articles"]
    assert results["ingest"]["sentences"] > 0
    assert results["ingest"]["floor"]["seconds"] > 0

    # 2-4: every load run, floors too, measured requests and got no error.
    for name, run in load_runs(results):
        assert run["errors_total"] == 0, (name, run["error_samples"])
        assert run["requests"], name
        for request_name, figures in run["requests"].items():
            assert figures["requests"] > 0, (name, request_name)
            assert figures["p50_ms"] is not None, (name, request_name)

    # 2 annotate, 1 and 8 clients: one span row per answer 200.
    assert (results["annotate_1"]["clients"], results["annotate_8"]["clients"]) == (1, 8)
    for key in ("annotate_1", "annotate_8"):
        assert results[key]["spans_written"] > 0, key
        assert results[key]["rows_match_requests"], key
    # 2 values, 1 and 8 clients: one value change (event) per answer 200.
    assert (results["values_1"]["clients"], results["values_8"]["clients"]) == (1, 8)
    for key in ("values_1", "values_8"):
        assert results[key]["events_written"] > 0, key
        assert results[key]["rows_match_requests"], key

    # 3 open and 4 review, on the data loaded for them.
    assert results["open"]["spans"] == scale["long_article_spans"]
    assert results["open"]["queries"] > 0
    assert results["review"]["waiting_items"] == scale["queue_items"]
    assert results["review"]["claims_total"] > 0
    assert results["review"]["duplicates"] == 0

    # 5 export: the download gives COPY's bytes.
    assert results["export"]["rows"] == results["setup"]["export_spans"] > 0
    assert results["export"]["bytes"] > 0
    assert results["export"]["same_bytes_as_copy"]

    # 7 agreement: every article of the scenario, its three analysts, every figure timed.
    agreement = results["agreement"]
    assert agreement["articles"] == scale["agreement_articles"]
    assert agreement["analysts"] == 3 and agreement["spans"] > 0
    assert 0 < agreement["f1_exact"] < agreement["f1_overlap"] <= 1
    assert agreement["seconds"] > 0 and agreement["floor_seconds"] > 0

    # 6 adversarial: every file made to stall a parser was stored or refused, and measured;
    # the inflated .docx and the 10,000-member zip are refused.
    adversarial = results["adversarial"]["cases"]
    assert set(adversarial) == {case for case, kind in CASES if kind != "floor"}
    floor = results["adversarial"]["floor"]
    assert floor["outcomes"] == {"created": 1} and floor["s_per_mb"] > 0
    for case, figures in adversarial.items():
        assert sum(figures["outcomes"].values()) > 0, case
        assert figures["seconds"] >= 0 and figures["rss_growth_mb"] >= 0, case
    assert adversarial["docx-inflated"]["outcomes"] == {"rejected": 1}
    assert "10 MB" in adversarial["docx-inflated"]["reason"]
    assert adversarial["zip-many-members"]["outcomes"] == {"rejected": 1}

    # Every row of the table has a figure (its verdict is not judged here).
    assert {row["scenario"][0] for row in record["verdicts"]} == set("1234567")
    assert [row for row in record["verdicts"] if row["value"] is None] == []

    # The soak: writes were acknowledged (so the checks are not vacuous), and kept.
    assert soak["faults"] == []
    assert soak["acknowledged_spans"] > 0
    assert soak["acknowledged_submits"] > 0
    assert soak["acknowledged_approvals"] > 0
    assert soak["import_files"] > 0
    # Two web servers on one database, and the load went to both.
    assert len(soak["requests_per_node"]) == 2
    assert all(count > 0 for count in soak["requests_per_node"])
    assert soak["checks"] == {
        "every acknowledged span present exactly once": True,
        "every acknowledged submission and approval kept": True,
        "no import half-done": True,
        "0 duplicate claims across nodes (no item held or approved by two reviewers)": True,
        "integrity invariants hold": True,
        "0 responses >= 500 outside fault windows": True,
        "0 actions failed as the person saw them (after the page's retries)": True,
    }
