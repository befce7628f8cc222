"""The soak's figures and checks: latencies, errors inside and outside the fault windows,
durability, and the printed summary."""

import json
from collections import defaultdict

from .faults import in_window

# Printed after the run, in this order; everything else is in the JSON only.
SHOWN = (
    "requests",
    "requests_per_node",
    "statuses",
    "acknowledged_spans",
    "acknowledged_submits",
    "acknowledged_approvals",
    "claimed_items",
    "duplicate_claims",
    "errors_in_fault_windows",
    "user_visible_failures",
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
)


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 1)


def figures(recorder, *, started, minutes, faults, import_seconds, cpu_seconds, outcome):
    """Everything the JSON records; `started` is the load's start (time.monotonic())."""
    fault_times = [started + f["at_s"] for f in faults]
    in_windows = [e for e in recorder.server_errors if in_window(e[0], fault_times)]

    def calm(kind):
        """Latencies of requests that ended outside the fault windows (for the record)."""
        return [ms for at, ms in recorder.latency[kind] if not in_window(at, fault_times)]

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
    return {
        "minutes": minutes,
        "requests": sum(recorder.statuses.values()),
        "statuses": dict(sorted(recorder.statuses.items())),
        "errors_outside_fault_windows": len(recorder.server_errors) - len(in_windows),
        "errors_in_fault_windows": len(in_windows),
        # Actions that still failed after the page's retries (any fault window included).
        "user_visible_failures": len(recorder.failures),
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


def checks(figures, targets):
    """[(what is promised, kept?)]: durability always, latency `targets` unless None."""
    found = [
        (
            "every acknowledged span present exactly once",
            figures["missing_spans"] == 0 and figures["doubled_spans"] == 0,
        ),
        (
            "every acknowledged submission and approval kept",
            figures["lost_submits"] == 0 and figures["lost_approvals"] == 0,
        ),
        ("no import half-done", figures["import_articles_stored"] == figures["import_files"]),
        (
            "0 duplicate claims across nodes (no item held or approved by two reviewers)",
            figures["duplicate_claims"] == 0 and figures["claimed_items"] > 0,
        ),
        ("integrity invariants hold", not figures["invariants_broken"]),
        (
            "0 responses >= 500 outside fault windows",
            figures["errors_outside_fault_windows"] == 0,
        ),
        (
            "0 actions failed as the person saw them (after the page's retries)",
            figures["user_visible_failures"] == 0,
        ),
    ]
    if targets:
        found += [
            (
                f"span save p95 <= {targets['span_p95_ms']} ms",
                (figures["span_p95_ms"] or 0) <= targets["span_p95_ms"],
            ),
            (
                f"span save p99 <= {targets['span_p99_ms']} ms",
                (figures["span_p99_ms"] or 0) <= targets["span_p99_ms"],
            ),
            (
                f"claim p99 <= {targets['claim_p99_ms']} ms",
                (figures["claim_p99_ms"] or 0) <= targets["claim_p99_ms"],
            ),
        ]
    return found


def write(figures, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


def show(figures, found, path):
    for key in SHOWN:
        print(f"{key:<28} {figures[key]}")
    for fault in figures["faults"]:
        print(f"fault at {fault['at_s']:>6} s: {fault['what']}")
    for name, ok in found:
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    print(f"JSON: {path}")
