"""The rule-based suggester against the suggestions gold standard, and its speed.

    python -m bench.suggestions [--data DIR]

DIR (default ../shared/data/suggestions beside the checkout) holds dev.jsonl, the shared
scorer score.py and its regex baselines baseline.py; both are imported from there, not
copied. Prints our figures beside the baselines' for issue 18's targets, PASS or FAIL for
each, then the speed on two 5 MB texts; exits 1 if a target fails.
"""

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from annotator.suggestions.rules import Suggestion, suggest

from . import corpus

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "suggestions"
BASELINES = ("predict", "predict_marks", "predict_marks_plus")
SPEED_MB = 5.0
SPEED_TARGET = 2.0  # MB of text per second, one core


class Target:
    def __init__(self, metric: str, minimum: float) -> None:
        self.metric, self.minimum = metric, minimum

    def passed(self, value: float | None) -> bool:
        return value is not None and value >= self.minimum


# Issue 18: quotes by relaxed match, casualty figures by overlap (and exact F1), their
# attributes on the overlap-matched pairs.
TARGETS = [
    Target("QUOTE relaxed P", 0.90),
    Target("QUOTE relaxed R", 0.85),
    Target("CASUALTY overlap P", 0.90),
    Target("CASUALTY overlap R", 0.85),
    Target("CASUALTY exact F1", 0.80),
    Target("CASUALTY kind accuracy", 0.95),
    Target("CASUALTY min and max exact", 0.90),
]


def load(data: Path, name: str) -> ModuleType:
    """score.py or baseline.py, imported from the shared folder under its own path."""
    spec = importlib.util.spec_from_file_location(f"shared_{name}", data / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {data / name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GUIDELINE_LABELS = {"Quote": "quote_direct", "Casualty figure": "casualty_figure"}


def as_span(suggestion: Suggestion) -> tuple[int, int, str, dict[str, Any]]:
    """A suggestion in the scorer's form (start, end, label, attrs): the guidelines' names
    and flat fields for what the app stores as the seeded labels' values."""
    values = suggestion.attributes
    if suggestion.label == "Quote":
        attrs: dict[str, Any] = {"incise": suggestion.incise, "partial": suggestion.partial}
        for key in ("speaker", "cue"):
            words = values.get(key) or {}
            attrs |= {
                key: words.get("text"),
                f"{key}_start": words.get("start"),
                f"{key}_end": words.get("end"),
            }
    else:
        attrs = {key: values.get(key) for key in ("kind", "min", "max", "precision")}
    return suggestion.start, suggestion.end, GUIDELINE_LABELS[suggestion.label], attrs


def ours(text: str) -> list[tuple[int, int, str, dict[str, Any]]]:
    return [as_span(s) for s in suggest(text)]


def evaluate(
    score: ModuleType, gold: list[dict[str, Any]], predict: Callable[[str], Iterable[Any]]
) -> dict[str, float | None]:
    """The issue's metrics for `predict`, counted by the shared scorer's own functions."""
    per, pairs = {}, {"QUOTE": [], "CASUALTY_FIGURE": []}
    for row in gold:
        spans = [score.coerce(s) for s in predict(row["text"]) or []]
        counts, matched, _other, _bad = score.per_sentence(row, spans)
        per[row["id"]] = counts
        for category, found in matched.items():
            pairs[category] += found
    totals = score.aggregate(per, [row["id"] for row in gold])

    def prf(category: str, mode: str) -> tuple[float, float, float]:
        t = totals[category][mode]
        return score.prf(t["tp"], t["fp"], t["fn"])

    quote_p, quote_r, _ = prf("QUOTE", "relaxed")
    casualty_p, casualty_r, _ = prf("CASUALTY_FIGURE", "overlap")
    attributes = score.attr_scores(pairs["CASUALTY_FIGURE"])
    casualty_pairs = pairs["CASUALTY_FIGURE"]
    both = [
        g.get("min") == p[3].get("min") and g.get("max") == p[3].get("max")
        for g, p in casualty_pairs
        if "min" in p[3] and "max" in p[3]
    ]
    quote_attributes = score.attr_scores(pairs["QUOTE"])
    return {
        "QUOTE relaxed P": quote_p,
        "QUOTE relaxed R": quote_r,
        "CASUALTY overlap P": casualty_p,
        "CASUALTY overlap R": casualty_r,
        "CASUALTY exact F1": prf("CASUALTY_FIGURE", "exact")[2],
        "CASUALTY kind accuracy": attributes.get("kind", {}).get("accuracy"),
        "CASUALTY min and max exact": sum(both) / len(both) if both else None,
        "QUOTE speaker (strict)": quote_attributes.get("speaker_strict", {}).get("accuracy"),
        "QUOTE cue": quote_attributes.get("cue", {}).get("accuracy"),
    }


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table(headers: list[str], lines: list[list[str]]) -> str:
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([fmt(headers), fmt(["-" * w for w in widths]), *(fmt(line) for line in lines)])


def speed(texts: Iterable[str]) -> float:
    """MB per second over `texts`, the fastest of three runs (the work is deterministic:
    other processes on the machine only ever add to it)."""
    texts = list(texts)
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            suggest(text)
        best = min(best, time.perf_counter() - started)
    return size / best


def repeated_to(text: str, megabytes: float) -> str:
    """`text` repeated to about `megabytes` of UTF-8, one text (a paragraph per line)."""
    size = len(text.encode("utf-8")) + 1
    return "\n".join([text] * max(1, round(megabytes * 1e6 / size)))


def synthetic_article(megabytes: float) -> str:
    """bench.corpus's French news articles, end to end, as one text of about `megabytes`."""
    parts, size, seed = [], 0, 0
    while size < megabytes * 1e6:
        for _name, text in corpus.articles(50, seed=seed):
            parts.append(text)
            size += len(text.encode("utf-8")) + 2
        seed += 1
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"default: {DATA}")
    args = parser.parse_args(argv)
    score, baseline = load(args.data, "score"), load(args.data, "baseline")
    gold = score.load_gold(str(args.data / "dev.jsonl"))

    figures = {"rules": evaluate(score, gold, ours)}
    for name in BASELINES:
        figures[name] = evaluate(score, gold, getattr(baseline, name))
    targets = {t.metric: t for t in TARGETS}
    lines, failed = [], False
    for metric in figures["rules"]:
        value = figures["rules"][metric]
        target = targets.get(metric)
        verdict = ""
        if target:
            verdict = "PASS" if target.passed(value) else "FAIL"
            failed |= verdict == "FAIL"
        lines.append(
            [
                metric,
                _fmt(value),
                *(_fmt(figures[b][metric]) for b in BASELINES),
                f">= {target.minimum:.2f}" if target else "-",
                verdict,
            ]
        )
    print(f"dev: {args.data / 'dev.jsonl'} ({len(gold)} sentences)")
    print(table(["metric", "rules", *BASELINES, "target", "result"], lines))

    dev_text = repeated_to("\n".join(row["text"] for row in gold), SPEED_MB)
    article = synthetic_article(SPEED_MB)
    print()
    rows = []
    for name, text in (("dev texts repeated", dev_text), ("synthetic article", article)):
        mb_s = speed([text])
        ok = mb_s >= SPEED_TARGET
        failed |= not ok
        size = len(text.encode("utf-8")) / 1e6
        rows.append(
            [
                f"speed, {name} ({size:.1f} MB)",
                f"{mb_s:.2f} MB/s",
                f">= {SPEED_TARGET:.1f}",
                "PASS" if ok else "FAIL",
            ]
        )
    print(table(["speed", "value", "target", "result"], rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
