"""Run `manage.py import_articles` in this process and time the command itself.

    python -m bench.import_timed PATH --user NAME [--profile OUT.html]

Prints one JSON line: the command's own seconds (Django already set up, as it is before any
command's handle() runs), and its report line. With --profile, pyinstrument records where
the time goes and writes an HTML and a text report next to OUT.
"""

import argparse
import io
import json
import time

import django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", required=True)
    parser.add_argument("--profile")
    args = parser.parse_args()
    django.setup()
    from django.core.management import call_command

    out = io.StringIO()
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
    started = time.perf_counter()
    call_command("import_articles", args.path, user=args.user, verbosity=0, stdout=out)
    seconds = time.perf_counter() - started
    if profiler:
        profiler.stop()
        with open(args.profile, "w", encoding="utf-8") as html:
            html.write(profiler.output_html())
        with open(args.profile.removesuffix(".html") + ".txt", "w", encoding="utf-8") as text:
            text.write(profiler.output_text(unicode=True, color=False, show_all=False))
    print(json.dumps({"seconds": seconds, "report": out.getvalue().strip().splitlines()[-1]}))


if __name__ == "__main__":
    main()
