"""What the format readers hand to the importer: a record to import, or a problem with it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard


@dataclass
class ValueIn:
    """A value a file gives for a span (a Label Studio per-region result), as the file gives
    it; the importer checks it against the label's attributes."""

    field: str  # the control's name, "casualty_figure.min" (value_fields)
    kind: str  # the result's type: "choices", "number" or "textarea"
    value: Any  # its choices, its number or its texts, unchecked
    where: str  # "result 3"
    unknown: bool = False  # marked unknown (meta.unknown)
    offsets: tuple[Any, Any] | None = None  # words of the article: meta.start, meta.end


@dataclass
class SpanIn:
    start: int  # code points, as stored here
    end: int
    label: str
    text: str | None = None  # the covered text, when the file states it
    values: list[ValueIn] = field(default_factory=list)
    region_labels: tuple[str, ...] = ()  # every label of its region (the values' owners)
    score: float | None = None  # a prediction's region: the model's confidence, in [0, 1]


@dataclass
class PredictionIn:
    """A model's prediction for the record's text (a Label Studio task's "predictions"):
    its regions are suggestions for the article, never spans."""

    where: str  # "Prediction 2"
    source: str  # the model's name, Suggestion.source
    model_version: str
    spans: list[SpanIn] = field(default_factory=list)  # each with its score


@dataclass
class Candidate:
    line: int | None  # the file's line, when the format has one record per line
    text: str
    spans: list[SpanIn] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    where: str = ""  # the record as the report names it: "line 3", "task 3 (id 41)"
    predictions: list[PredictionIn] = field(default_factory=list)
    # False for a task with predictions only: no analyst's work to store, so none is made.
    annotated: bool = True


@dataclass
class Problem:
    line: int | None
    where: str  # as Candidate.where; empty for the whole file
    reason: str


def is_offset(value: object) -> TypeGuard[int]:
    """JSON integers only: 3.0, "3" and true are not offsets."""
    return isinstance(value, int) and not isinstance(value, bool)


def metadata_from(mapping: Mapping[str, Any]) -> dict[str, str]:
    """Article metadata a file may carry (our own exports do); other keys are ignored."""
    keys = ("title", "source", "url", "published_at")
    return {key: mapping[key] for key in keys if isinstance(mapping.get(key), str)}
