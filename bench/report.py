"""The bench's verdicts: one row per metric, a plain-text table, the JSON report."""

import json
import os
import platform
from pathlib import Path

import psutil

RESULTS = Path(__file__).resolve().parent / "results"


def machine(db_version, db_settings):
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "postgresql": db_version,
        "postgresql_settings": db_settings,
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


NOISY_PCT = 10  # other processes' share of the CPU above which a load run is repeated


def _noisy(*runs):
    """True if other processes took over NOISY_PCT % of the CPU during any of these runs."""
    return any(
        isinstance(run, dict) and run.get("cpu", {}).get("foreign_pct", 0) > NOISY_PCT
        for run in runs
    )


# The agreement figures, against reading their span rows: Python's pass over every pair of
# analysts of every article (F1 twice, αu per label) costs more than the read itself.
AGREEMENT_RATIO = 20


def row(scenario, metric, value, unit="", *, floor=None, target="", passed=None):
    ratio = None
    if floor not in (None, 0) and value is not None:
        ratio = round(value / floor, 2)
    return {
        "scenario": scenario,
        "metric": metric,
        "value": value,
        "unit": unit,
        "floor": floor,
        "ratio": ratio,
        "target": target,
        "verdict": None if passed is None else ("PASS" if passed else "FAIL"),
        "disturbed": False,
    }


def _latency(result, name):
    return result["requests"].get(name, {})


def verdicts(results):
    """Rows for every scenario that ran; targets from issue 7."""
    rows = []
    ingest = results.get("ingest")
    if ingest:
        rows.append(
            row(
                "1 ingest",
                "articles/s",
                ingest["articles_per_s"],
                floor=ingest["floor_articles_per_s"],
                target=">= 1000/s",
                passed=ingest["articles_per_s"] >= 1000,
            )
        )
        rows.append(
            row(
                "1 ingest",
                "sentences/s",
                ingest["sentences_per_s"],
                floor=ingest["floor_sentences_per_s"],
            )
        )
    for key, clients, request, what in (
        ("annotate_1", 1, "span_create", "annotate"),
        ("annotate_8", 8, "span_create", "annotate"),
        ("values_1", 1, "values_save", "values"),
        ("values_8", 8, "values_save", "values"),
    ):
        scenario = results.get(key)
        if not scenario:
            continue
        app, floor = (
            _latency(scenario["app"], request),
            _latency(scenario["floor"], "bare POST"),
        )
        name = f"2 {what}, {clients} client{'s' if clients > 1 else ''}"
        target_8 = clients == 8
        rows.append(
            row(
                name,
                "requests/s",
                app.get("rps"),
                floor=floor.get("rps"),
                target=">= 0.5 x floor" if target_8 else "",
                passed=(app.get("rps") or 0) >= 0.5 * (floor.get("rps") or 0) if target_8 else None,
            )
        )
        for q in ("p50", "p95", "p99"):
            value = app.get(f"{q}_ms")
            rows.append(
                row(
                    name,
                    f"{q} ms",
                    value,
                    floor=floor.get(f"{q}_ms"),
                    target="< 100 ms" if target_8 and q == "p99" else "",
                    passed=(value is not None and value < 100) if target_8 and q == "p99" else None,
                )
            )
        errors = scenario["app"]["errors_total"] + scenario["floor"]["errors_total"]
        rows.append(
            row(
                name,
                "errors; rows = 200 answers",
                errors,
                target="0; yes" if scenario["rows_match_requests"] else "0; NO",
                passed=errors == 0 and scenario["rows_match_requests"],
            )
        )
    opened = results.get("open")
    if opened:
        app, floor = _latency(opened["app"], "annotate page"), _latency(opened["floor"], "bare GET")
        name = "3 open article"
        rows.append(
            row(
                name,
                f"SQL queries ({opened['queries_few_spans']} with few spans)",
                opened["queries"],
                target="<= 10, constant",
                passed=opened["queries"] <= 10 and opened["queries"] == opened["queries_few_spans"],
            )
        )
        rows.append(
            row(
                name,
                "p50 ms",
                app.get("p50_ms"),
                floor=floor.get("p50_ms"),
                target="<= 3 x floor",
                passed=app.get("p50_ms") is not None and app["p50_ms"] <= 3 * floor["p50_ms"],
            )
        )
        for q in ("p95", "p99"):
            rows.append(row(name, f"{q} ms", app.get(f"{q}_ms"), floor=floor.get(f"{q}_ms")))
    review = results.get("review")
    if review:
        claim = _latency(review["load"], "claim")
        name = f"4 review claim ({review['waiting_items']:,} waiting)"
        rows.append(row(name, "claims/s", claim.get("rps")))
        rows.append(row(name, "p50 ms", claim.get("p50_ms")))
        rows.append(
            row(
                name,
                "p99 ms",
                claim.get("p99_ms"),
                target="< 50 ms",
                passed=claim.get("p99_ms") is not None and claim["p99_ms"] < 50,
            )
        )
        rows.append(
            row(
                name,
                "duplicate claims",
                review["duplicates"],
                target="0",
                passed=review["duplicates"] == 0 and review["claims_total"] > 0,
            )
        )
    export = results.get("export")
    if export:
        name = f"5 export ({export['rows']:,} rows)"
        rows.append(
            row(
                name,
                "rows/s",
                export["rows_per_s"],
                floor=export["floor_rows_per_s"],
                target=">= 0.5 x floor",
                passed=export["rows_per_s"] >= 0.5 * export["floor_rows_per_s"]
                and export["same_bytes_as_copy"],
            )
        )
        rows.append(
            row(
                name,
                "server RSS growth MB",
                export["rss_growth_mb"],
                target="< 100",
                passed=export["rss_growth_mb"] < 100,
            )
        )
    adversarial = results.get("adversarial")
    for kind, worst in sorted((adversarial or {}).get("worst", {}).items()):
        name = f"6 adversarial .{kind} ({len(worst['cases'])} files)"
        # The floor: an ordinary article of the same size, through the same path.
        floor = adversarial["floor"]["s_per_mb"]
        rows.append(
            row(
                name,
                f"worst s per MB ({worst['slowest']})",
                worst["s_per_mb"],
                floor=floor,
                target="<= 2 x floor",
                passed=worst["s_per_mb"] <= 2 * floor,
            )
        )
        rows.append(
            row(
                name,
                "the same, against issue 15's fixed figure",
                worst["s_per_mb"],
                target="<= 0.5",
                passed=worst["s_per_mb"] <= 0.5,
            )
        )
        rows.append(
            row(
                name,
                "worst RSS growth MB",
                worst["rss_growth_mb"],
                target="< 100",
                passed=worst["rss_growth_mb"] < 100,
            )
        )
    agreement = results.get("agreement")
    if agreement:
        name = f"7 agreement, {agreement['articles']:,} articles x 3 analysts"
        rows.append(row(name, "spans", agreement["spans"]))
        rows.append(
            row(
                name,
                "seconds, every figure",
                round(agreement["seconds"], 2),
                floor=round(agreement["floor_seconds"], 3),
                target=f"<= {AGREEMENT_RATIO} x floor",
                passed=agreement["seconds"] <= AGREEMENT_RATIO * agreement["floor_seconds"],
            )
        )
    _mark_disturbed(rows, results)
    return rows


def _mark_disturbed(rows, results):
    """PASS* / FAIL*: other processes took over NOISY_PCT % of the CPU during the run."""
    get = results.get
    flags = {
        "1 ingest": _noisy(get("ingest")),
        "2 annotate, 1 client": _noisy(*(get("annotate_1") or {}).values()),
        "2 annotate, 8 clients": _noisy(*(get("annotate_8") or {}).values()),
        "2 values, 1 client": _noisy(*(get("values_1") or {}).values()),
        "2 values, 8 clients": _noisy(*(get("values_8") or {}).values()),
        "3 open": _noisy((get("open") or {}).get("app"), (get("open") or {}).get("floor")),
        "4 review": _noisy((get("review") or {}).get("load")),
        "5 export": _noisy(get("export")),
    }
    for r in rows:
        if any(r["scenario"].startswith(prefix) and flag for prefix, flag in flags.items()):
            r["disturbed"] = True
            if r["verdict"]:
                r["verdict"] += "*"


def _fmt(value):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows):
    headers = ["scenario", "metric", "value", "floor", "ratio", "target", "result"]
    lines = [
        [
            r["scenario"],
            r["metric"],
            _fmt(r["value"]),
            _fmt(r["floor"]),
            "-" if r["ratio"] is None else f"{r['ratio']:.2f}",
            r["target"] or "-",
            r["verdict"] or "",
        ]
        for r in rows
    ]
    widths = [
        max(len(h), *(len(line[i]) for line in lines)) if lines else len(h)
        for i, h in enumerate(headers)
    ]
    right = {2, 3, 4}

    def fmt(cells):
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [fmt(headers), fmt(["-" * w for w in widths])]
    out += [fmt(line) for line in lines]
    return "\n".join(out)


def output_path(path=None):
    return Path(path) if path else RESULTS / "latest.json"


def write(report, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    return path


def interference(results):
    """(scenario, foreign CPU %) for every measured run, worst first."""
    found = []

    def walk(prefix, value):
        if isinstance(value, dict):
            if "foreign_pct" in value:
                found.append((prefix, value["foreign_pct"]))
            for key, inner in value.items():
                if key != "cpu":
                    walk(f"{prefix}/{key}" if prefix else key, inner)
                else:
                    walk(prefix, inner)

    walk("", results)
    return sorted(found, key=lambda item: -item[1])
