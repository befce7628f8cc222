"""Measure proposed app changes: the bench on this tree, then on a patched copy of it.

    python -m bench.compare [--scale small] [--only annotate,open] [--rounds 1] PATCH...

The copy (in a temporary folder; the working tree is never touched) gets the patches with
`git apply`; the bench runs in each tree in turn (this one first, then the copy, `rounds`
times) and a table shows every verdict row before and after. Proposals are saved as
bench/proposals/*.diff while they are weighed; the closing notes of issue 7 cite figures.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {
    ".git",
    ".venv",
    "var",
    "results",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
}


def copy_tree(target):
    shutil.copytree(
        ROOT, target, ignore=lambda _dir, names: [n for n in names if n in SKIP], dirs_exist_ok=True
    )


def bench(tree, scale, only, output):
    command = [sys.executable, "-m", "bench", "--scale", scale, "--output", str(output)]
    if only:
        command += ["--only", only]
    subprocess.run(command, cwd=tree, check=True, stdout=subprocess.DEVNULL)
    return json.loads(output.read_text(encoding="utf-8"))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.compare")
    parser.add_argument("patches", nargs="+", type=Path)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--only", default="")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="annotator-proposal-") as tmp:
        tree = Path(tmp) / "tree"
        copy_tree(tree)
        for patch in args.patches:
            subprocess.run(["git", "apply", str(patch.resolve())], cwd=tree, check=True)
        runs = {"before": [], "after": []}
        for i in range(args.rounds):
            for label, where in (("before", ROOT), ("after", tree)):
                print(f"round {i + 1}: {label}", file=sys.stderr, flush=True)
                out = Path(tmp) / f"{label}-{i}.json"
                runs[label].append(bench(where, args.scale, args.only, out))
    rows = {}
    for label, records in runs.items():
        for record in records:
            for row in record["verdicts"]:
                key = (row["scenario"], row["metric"])
                rows.setdefault(key, {"before": [], "after": []})[label].append(
                    (row["value"], row["floor"], row["verdict"])
                )
    print(f"{'scenario':<34} {'metric':<42} {'before':>22} {'after':>22}")
    for (scenario, metric), sides in rows.items():
        cells = []
        for label in ("before", "after"):
            values = sides[label]
            cells.append(
                " / ".join(
                    f"{v}{'' if f is None else f' (floor {f})'} {verdict or ''}".strip()
                    for v, f, verdict in values
                )
                or "-"
            )
        print(f"{scenario:<34} {metric:<42} {cells[0]:>22} {cells[1]:>22}")
    result = {"patches": [str(p) for p in args.patches], "runs": runs}
    out = ROOT / "bench" / "results" / "compare.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(f"\nJSON: {out}")


if __name__ == "__main__":
    main()
