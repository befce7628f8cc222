"""`make bench`: build a bench database, run the scenarios of issues 7 and 15, report.

    python -m bench [--scale smoke|small|full]
                    [--only annotate,open,review,export,agreement,adversarial]
                    [--keep-db] [--profile] [--py-spy] [--workers N --threads N]
                    [--output PATH]

BENCH_SCALE (small by default) sets the sizes: `small` takes about a minute and a half,
`full` (the issue's sizes) six to nine minutes; `smoke` is tiny, for the test that proves
every scenario still runs (tests/bench/), and its figures mean nothing. Everything the
bench starts (the database annotator_bench or BENCH_DATABASE_NAME, gunicorn, the load
generator) it stops again, also on failure or Ctrl+C. The table goes to stdout, the full
record to bench/results/latest.json (or --output), gunicorn's log next to it.

Where the time goes: --profile (pyinstrument on import_articles), --py-spy (flame graphs
of the workers under load).
"""

import argparse
import math
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

from . import db, log, report
from .server import Server, login, new_deployment, set_up_django

SCENARIOS = ("ingest", "annotate", "open", "review", "export", "agreement", "adversarial")


@dataclass(frozen=True)
class Scale:
    name: str
    ingest_articles: int
    queue_items: int
    export_spans: int
    warmup_s: float
    duration_s: float
    # The adversarial uploads' size (issue 15); a few fixed sizes (100,000 nested tags,
    # 10,000 zip members, 25 MB of .docx XML) do not scale.
    adversarial_mb: float = 1.0
    long_article_words: int = 5000
    long_article_spans: int = 300
    export_spans_per_assignment: int = 50
    # Sizing the annotate plan: no run will create spans faster than this (requests/s, all
    # clients together); the plan holds twice that, for a repeated run (bench.loadrun).
    annotate_max_rps: int = 500
    # A load run disturbed by other processes is repeated once (bench.loadrun.locust).
    repeat_disturbed: bool = True
    # The agreement scenario: articles, each annotated by 3 analysts with 20 spans.
    agreement_articles: int = 10_000

    @property
    def queue_analysts(self):
        return math.ceil(self.queue_items / self.ingest_articles)

    @property
    def export_analysts(self):
        per_analyst = self.ingest_articles * self.export_spans_per_assignment
        return math.ceil(self.export_spans / per_analyst)


SCALES = {
    # Every code path in seconds: the smoke test runs it next to the rest of the suite, so
    # a disturbed run is not repeated (nobody reads these figures).
    "smoke": Scale(
        "smoke",
        ingest_articles=10,
        queue_items=20,
        export_spans=300,
        # No warm-up: on a machine busy with the test suite the first request may take a
        # second, and a smoke run must still count it.
        warmup_s=0,
        duration_s=1.5,
        adversarial_mb=0.05,
        long_article_words=300,
        long_article_spans=30,
        export_spans_per_assignment=30,
        annotate_max_rps=200,
        repeat_disturbed=False,
        agreement_articles=30,
    ),
    "small": Scale(
        "small",
        ingest_articles=200,
        queue_items=10_000,
        export_spans=50_000,
        warmup_s=2,
        duration_s=6,
        agreement_articles=2_000,
    ),
    "full": Scale(
        "full",
        ingest_articles=1000,
        queue_items=100_000,
        export_spans=1_000_000,
        warmup_s=3,
        duration_s=20,
        adversarial_mb=5.0,
    ),
}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale", default=os.environ.get("BENCH_SCALE", "small"), choices=sorted(SCALES)
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios to run (ingest always runs: it loads "
        "the articles the others use)",
    )
    parser.add_argument(
        "--keep-db", action="store_true", help="keep the annotator_bench database afterwards"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile import_articles with pyinstrument (bench/results/ingest-profile.html)",
    )
    parser.add_argument(
        "--output", help="where to write the JSON (default bench/results/latest.json)"
    )
    parser.add_argument(
        "--py-spy",
        action="store_true",
        help="record flame graphs of the gunicorn workers during each load run "
        "(bench/results/py-spy-*.svg; sampling costs CPU: not for the record)",
    )
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--workers", help="override GUNICORN_WORKERS (default: docker-compose.yml)")
    parser.add_argument("--threads", help="override GUNICORN_THREADS (default: docker-compose.yml)")
    args = parser.parse_args(argv)
    args.only = set(filter(None, args.only.split(","))) or set(SCENARIOS)
    unknown = args.only - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    args.only.add("ingest")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.py_spy:
        os.environ["BENCH_PY_SPY"] = "1"
    scale = SCALES[args.scale]
    started = time.perf_counter()
    log(f"scale {scale.name}")
    app_url, env, port, static_root = new_deployment("bench")
    if args.workers:
        env["GUNICORN_WORKERS"] = args.workers
    if args.threads:
        env["GUNICORN_THREADS"] = args.threads
    output = report.output_path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if args.profile or args.py_spy:
        report.RESULTS.mkdir(parents=True, exist_ok=True)  # where the profiles go
    server_log = output.with_name("gunicorn.log")
    server_log.write_bytes(b"")
    server = Server(env, port, server_log)
    results = {}
    record = {
        "scale": asdict(scale),
        "machine": report.machine(db.server_version(app_url), db.server_settings(app_url)),
        "server": {
            "workers": env["GUNICORN_WORKERS"],
            "threads": env["GUNICORN_THREADS"],
            "worker_class": "gthread (gunicorn.conf.py)",
            "debug": False,
        },
        "results": results,
    }
    try:
        run(args, scale, env, server, results)
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)
        from django.db import connections

        connections.close_all()
        if args.keep_db:
            log(f"kept database {db.name()}")
        else:
            db.drop(app_url)
    record["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    record["total_seconds"] = round(time.perf_counter() - started, 1)
    rows = report.verdicts(results)
    record["verdicts"] = rows
    noisy = report.interference(results)
    record["foreign_cpu"] = noisy
    path = report.write(record, output)
    print(report.table(rows))
    if any(r["disturbed"] for r in rows):
        worst, share = noisy[0]
        repeated = "; load runs are repeated once when that happens" * scale.repeat_disturbed
        print(
            f"\n* measured while other processes took over {report.NOISY_PCT} % of the CPU "
            f"(up to {share:.0f} %, in {worst}{repeated}): pessimistic figures."
        )
    verdicts = [r["verdict"].rstrip("*") for r in rows if r["verdict"]]
    print(
        f"\n{verdicts.count('PASS')} PASS, {verdicts.count('FAIL')} FAIL; scale {scale.name}, "
        f"{record['total_seconds']} s; JSON: {path}"
    )
    return 0


def run(args, scale, env, server, results):
    set_up_django(env)
    # Only now that Django is set up on the bench database.
    from . import fixtures, scenario_annotate, scenario_export, scenario_ingest, scenario_review

    staff = fixtures.people(scale)
    admin = staff["admin"]

    log(f"1 ingest: import_articles on {scale.ingest_articles} files")
    profile = report.RESULTS / "ingest-profile.html" if args.profile else None
    results["ingest"] = scenario_ingest.run(
        env, scale.ingest_articles, args.seed, admin.username, profile=profile
    )
    log(
        f"   {results['ingest']['articles_per_s']} articles/s "
        f"(COPY floor {results['ingest']['floor_articles_per_s']})"
    )

    log("loading the other scenarios' data")
    articles = fixtures.all_articles()
    analysts, reviewers = staff["analysts"], staff["reviewers"]
    setup = {}
    t0 = time.perf_counter()
    if "open" in args.only:
        big_article = fixtures.long_article(admin, scale.long_article_words, args.seed)
        big = fixtures.tagged_assignment(
            big_article, analysts[0], scale.long_article_spans, args.seed
        )
        small = fixtures.tagged_assignment(articles[-1], analysts[0], 5, args.seed)
    queues = {}
    if "annotate" in args.only:
        seconds = scale.warmup_s + scale.duration_s
        per_solo = 2 * math.ceil(scale.annotate_max_rps * seconds / 100)
        per_client = 2 * math.ceil(scale.annotate_max_rps * seconds / 8 / 100)
        pool = articles[:-2]  # the last: the "open" scenario's; the one before: values
        if per_solo + per_client > len(pool):
            raise RuntimeError("too few articles for the annotate plan")
        queues["solo"] = [fixtures.assignments_for(analysts[0], pool[:per_solo])]
        queues["eight"] = [
            fixtures.assignments_for(
                a, pool[per_solo : per_solo + per_client] if i == 0 else pool[:per_client]
            )
            for i, a in enumerate(analysts)
        ]
        queues["values"] = scenario_annotate.values_work(analysts, articles[-2], args.seed)
    if "review" in args.only:
        setup["queue_items"] = fixtures.review_queue(
            [a.pk for a in articles], staff["queue_analysts"], scale.queue_items
        )
        fixtures.install_claim_audit()
    if "export" in args.only:
        setup["export_spans"] = fixtures.export_spans(
            articles,
            staff["export_analysts"],
            reviewers[0],
            scale.export_spans_per_assignment,
            args.seed,
        )
    fixtures.vacuum_analyze()
    setup["seconds"] = round(time.perf_counter() - t0, 1)
    results["setup"] = setup
    log(f"   loaded in {setup['seconds']} s: {setup}")

    if not args.only & {"annotate", "open", "review", "export"}:
        run_agreement(args, scale, admin, results)
        run_adversarial(args, scale, env, admin, results)
        return
    log(
        f"starting gunicorn on 127.0.0.1:{server.port} "
        f"({env['GUNICORN_WORKERS']} workers x {env['GUNICORN_THREADS']} threads)"
    )
    server.start()
    log("logging in 8 analysts and 8 reviewers through /login/")
    with ThreadPoolExecutor(4) as pool_:
        analyst_sessions = list(
            pool_.map(lambda u: login(server, u.username, fixtures.PASSWORD), analysts)
        )
        reviewer_sessions = list(
            pool_.map(lambda u: login(server, u.username, fixtures.PASSWORD), reviewers)
        )
    workers_at_start = server.worker_pids()
    timing = {
        "warmup": scale.warmup_s,
        "duration": scale.duration_s,
        "repeat_disturbed": scale.repeat_disturbed,
    }

    if "annotate" in args.only:
        for key, sessions, qs in (
            ("annotate_1", analyst_sessions[:1], queues["solo"]),
            ("annotate_8", analyst_sessions, queues["eight"]),
        ):
            log(
                f"2 annotate: {len(sessions)} client(s), bare view then span_create, "
                f"{scale.warmup_s}+{scale.duration_s} s each"
            )
            results[key] = scenario_annotate.run_annotate(
                server, sessions, qs, seed=args.seed, **timing
            )
            app = results[key]["app"]["requests"].get("span_create", {})
            log(f"   {app.get('rps')} req/s, p99 {app.get('p99_ms')} ms")
        for key, sessions in (("values_1", analyst_sessions[:1]), ("values_8", analyst_sessions)):
            log(f"2 annotate: {len(sessions)} client(s), bare view then values_save")
            results[key] = scenario_annotate.run_values(
                server,
                sessions,
                queues["values"][: len(sessions)],
                per_client=2 * math.ceil(scale.annotate_max_rps * seconds / len(sessions)),
                **timing,
            )
            app = results[key]["app"]["requests"].get("values_save", {})
            log(f"   {app.get('rps')} req/s, p99 {app.get('p99_ms')} ms")
    if "open" in args.only:
        log(
            f"3 open: the {scale.long_article_words:,}-word article with "
            f"{scale.long_article_spans} spans, 1 client"
        )
        results["open"] = scenario_annotate.run_open(
            server, analyst_sessions[0], analysts[0], big, small, **timing
        )
    if "review" in args.only:
        log(f"4 review: 8 reviewers claim and release, {setup['queue_items']:,} waiting")
        results["review"] = scenario_review.run(server, reviewer_sessions, **timing)
    if "export" in args.only:
        log(f"5 export: {setup['export_spans']:,} spans as CSV, COPY floor then download")
        results["export"] = scenario_export.run(server, reviewer_sessions[0])
    results["gunicorn_workers"] = {"at_start": workers_at_start, "at_end": server.worker_pids()}
    run_agreement(args, scale, admin, results)
    run_adversarial(args, scale, env, admin, results)


def run_agreement(args, scale, admin, results):
    """After the load runs: its handed-in work must not join the review queue or the
    export they measure."""
    if "agreement" not in args.only:
        return
    from . import fixtures, scenario_agreement

    log(f"7 agreement: loading {scale.agreement_articles:,} articles x 3 analysts x 20 spans")
    started = time.perf_counter()
    analysts = scenario_agreement.load(scale.agreement_articles, admin, args.seed)
    fixtures.vacuum_analyze()
    log(f"   loaded in {time.perf_counter() - started:.1f} s; timing the figures")
    results["agreement"] = scenario_agreement.run(analysts)
    log(f"   {results['agreement']['seconds']:.2f} s")


def run_adversarial(args, scale, env, admin, results):
    """Last: the articles it stores must not join the other scenarios' data."""
    if "adversarial" not in args.only:
        return
    from . import scenario_adversarial

    log(f"6 adversarial: {len(scenario_adversarial.CASES)} files made to stall a parser")
    repeats = 1 if scale.name == "smoke" else scenario_adversarial.REPEATS
    results["adversarial"] = scenario_adversarial.run(
        env, scale.adversarial_mb, admin.username, repeats
    )


if __name__ == "__main__":
    sys.exit(main())
