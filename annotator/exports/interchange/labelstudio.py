"""Label Studio's JSON: a list of tasks, each with its data and its annotations.

    [{"data": {"text": "..."},
      "annotations": [{"result": [{"id": "...", "from_name": "label", "to_name": "text",
                                   "type": "labels",
                                   "value": {"start": 0, "end": 5, "text": "Paris",
                                             "labels": ["Place"]}}]}]}]

That is Label Studio's own export ("JSON") and what its import accepts, with annotations
(docs: guide/task_format, guide/predictions). `from_name`/`to_name` match the stock
named-entity template (`<Labels name="label" toName="text">`, `<Text name="text"
value="$text">`).

A task's "predictions" (a model's, as ML backends and pre-annotated imports send them)
are read too: each has a `model_version`, a `score` and a `result` shaped like an
annotation's, whose regions may carry their own `score`. They become suggestions for the
article, never spans; a task with predictions only imports its article and them.

A span's values go with it as per-region results bound to its region (labelstudio_values),
and are read back from them; the labeling config that shows them in Label Studio comes
from the labels (templates/exports/labelstudio_config.xml).

Offsets: Label Studio's text regions count code points, as we do (its editor's tests
check it: web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts in HumanSignal/label-studio).
Versions from 2021 counted UTF-16 units instead (HumanSignal/label-studio issue #1347);
since every result states its text, a region whose code-point offsets do not cover that
text but whose UTF-16 offsets do is read as UTF-16. Predictions' regions are read the same
way: a model written in JavaScript, or Java, counts UTF-16 units.
"""

import json
import unicodedata
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _

from annotator.annotations.models import Suggestion
from annotator.articles import jsondata

from ..value_fields import value_fields
from .candidates import (
    Candidate,
    PredictionIn,
    Problem,
    SpanIn,
    ValueIn,
    is_offset,
    metadata_from,
)
from .labelstudio_values import TO_NAME, read_value, region_id, value_results
from .offsets import from_utf16, utf16_table

if TYPE_CHECKING:
    from .records import Record, SpanOut

FROM_NAME = "label"
UNNAMED_SOURCE = "Label Studio"  # the source of a prediction without a model_version
MAX_SOURCE_CHARS = 100  # Suggestion.source and model_version
# A model re-run keeps its earlier predictions on the task, one per version; a hundred is
# far beyond real use. A thousand regions is more than an analyst can decide on one
# article: past that the model is scoring every token, and the task's single transaction
# would grow without bound.
MAX_PREDICTIONS = 100
MAX_PREDICTED_REGIONS = 1_000


def export_chunks(
    records: Iterable["Record"], *, counter: dict[str, int] | None = None
) -> Iterator[bytes]:
    """Yield the JSON array of tasks, one task per chunk (bytes)."""
    written = 0
    yield b"["
    fields = {(field.label.pk, field.attribute.key): field for field in value_fields()}
    for record in records:
        result = []
        for span in record.spans:
            result.append(_result(record.text, span))
            result.extend(value_results(record.text, span, fields))
        task = {
            "data": {"text": record.text, **record.metadata()},
            "annotations": [{"result": result}],
        }
        prefix = b"\n" if written == 0 else b",\n"
        written += 1
        yield prefix + json.dumps(task, ensure_ascii=False).encode()
    yield b"\n]\n"
    if counter is not None:
        counter["rows"] = written


def _result(text: str, span: "SpanOut") -> dict[str, Any]:
    start, end = span.start, span.end
    return {
        "id": region_id(span),
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [span.label]},
    }


def read(data: bytes) -> Iterator[Candidate | Problem]:
    """Yield a Candidate or a Problem per task, named "task 3 (id 41)": Label Studio writes
    its export on one line, so a line number would name nothing."""
    try:
        tasks = list(jsondata.decode_records(data, max_bytes=settings.UPLOAD_MAX_FILE_BYTES))
    except jsondata.BadJSON as error:
        yield Problem(None, "", _(error.message) % error.params)
        return
    for number, task, problem in tasks:
        where = _task_name(number, task)
        if problem is not None:
            yield Problem(None, where, _(problem.message) % problem.params)
        else:
            candidate = _read_task(task)
            if isinstance(candidate, Candidate):
                candidate.where = where
                yield candidate
            else:
                yield Problem(None, where, candidate)


def _task_name(number: int, task: object) -> str:
    task_id = task.get("id") if isinstance(task, dict) else None
    # Not an id holding a lone surrogate (not printable): it could not even be shown.
    if is_offset(task_id) or (
        isinstance(task_id, str) and 0 < len(task_id) <= 40 and task_id.isprintable()
    ):
        return _("task %(n)d (id %(id)s)") % {"n": number, "id": task_id}
    return _("task %(n)d") % {"n": number}


def _read_task(task: Any) -> Candidate | str:
    """The task's text, spans and predictions, or what is wrong with it."""
    if not isinstance(task, dict):
        return _("A task must be a JSON object.")
    data = task.get("data")
    if not isinstance(data, dict) or (text := _task_text(data)) is None:
        return _('This task has no "data.text".')
    # "completions" is what Label Studio 0.x called annotations.
    annotations = task.get("annotations", task.get("completions"))
    if annotations is None:
        annotations = []
    if not isinstance(annotations, list):
        return _('"annotations" must be a list of annotations.')
    if not all(isinstance(a, dict) for a in annotations):
        return _('Each of the "annotations" must be a JSON object.')
    annotations = [a for a in annotations if not a.get("was_cancelled")]
    if len(annotations) > 1:
        return _(
            "This task has %(n)d annotations; all spans go to one analyst, so import "
            "one annotator's work at a time."
        ) % {"n": len(annotations)}
    tables: dict[int, int] = {}  # the text's UTF-16 table, made when first needed
    spans = _read_results(annotations[0].get("result"), text, tables) if annotations else []
    if isinstance(spans, str):
        return spans
    predictions = _read_predictions(task.get("predictions"), text, tables)
    if isinstance(predictions, str):
        return predictions
    if not annotations and not predictions:
        return _("This task has no annotation and no prediction.")
    return Candidate(
        None,
        text,
        spans,
        metadata_from(data),
        predictions=predictions,
        annotated=bool(annotations),
    )


def _read_results(
    result: Any, text: str, tables: dict[int, int], *, scored: bool = False
) -> list[SpanIn] | str:
    """The spans of an annotation's (or, `scored`, a prediction's) results, each with its
    values and, `scored`, its own score if it has one; or what is wrong with them."""
    if result is None:
        result = []
    if not isinstance(result, list):
        return _('"result" must be a list.')
    spans: list[SpanIn] = []
    regions: dict[str | int, list[SpanIn]] = {}  # a region's spans (one a label), by its id
    values: list[tuple[str | int | None, ValueIn]] = []
    for number, item in enumerate(result, start=1):
        found = _read_result(item, text, tables)
        value = read_value(item, _("Result %(n)d") % {"n": number}) if not found else None
        if isinstance(value, str):
            return _("Result %(n)d: %(problem)s") % {"n": number, "problem": value}
        if isinstance(found, str):
            return _("Result %(n)d: %(problem)s") % {"n": number, "problem": found}
        key = _region_key(item)
        if found and scored:
            # A prediction's values find their region by its id: two regions with one id
            # would leave it to chance which one a value belongs to.
            if key is not None and key in regions:
                return _(
                    "Result %(n)d: the region id “%(id)s” is already used by another region "
                    "of this prediction."
                ) % {"n": number, "id": str(key)[:40]}
            score = _score(item.get("score"))
            if isinstance(score, str):
                return _("Result %(n)d: %(problem)s") % {"n": number, "problem": score}
            for span in found:
                span.score = score
        spans.extend(found)
        if found and key is not None:
            regions.setdefault(key, []).extend(found)
        elif value is not None:
            values.append((key, value))
    # Per-region results may come before or after their region's: matched once all are read.
    for key, value in values:
        if key is None:
            return _('%(where)s: the value “%(field)s” has no "id" naming its region.') % {
                "where": value.where,
                "field": value.field[:80],
            }
        if key not in regions:
            return _(
                "%(where)s: “%(field)s” is a value of the region “%(id)s”, which this task "
                "does not label."
            ) % {"where": value.where, "field": value.field[:80], "id": str(key)[:40]}
        for span in regions[key]:
            span.values.append(value)
    for region in regions.values():
        for span in region:
            span.region_labels = tuple(s.label for s in region)
    return spans


def _read_predictions(
    predictions: Any, text: str, tables: dict[int, int]
) -> list[PredictionIn] | str:
    """The task's predictions, each named "Prediction 2", or what is wrong with them."""
    if predictions is None:
        return []
    if not isinstance(predictions, list):
        return _('"predictions" must be a list of predictions.')
    if not all(isinstance(p, dict) for p in predictions):
        return _('Each of the "predictions" must be a JSON object.')
    if len(predictions) > MAX_PREDICTIONS:
        return _("This task has %(found)d predictions; at most %(n)d are imported per task.") % {
            "found": len(predictions),
            "n": MAX_PREDICTIONS,
        }
    regions = sum(
        1
        for prediction in predictions
        if isinstance(result := prediction.get("result"), list)
        for item in result
        if isinstance(item, dict) and item.get("type") == "labels"
    )
    if regions > MAX_PREDICTED_REGIONS:
        return _(
            "The predictions of this task propose %(found)d regions; at most %(n)d are "
            "imported per task."
        ) % {"found": regions, "n": MAX_PREDICTED_REGIONS}
    read: list[PredictionIn] = []
    ids: set[str | int] = set()
    for number, prediction in enumerate(predictions, start=1):
        where = _("Prediction %(n)d") % {"n": number}
        key = _region_key(prediction)
        if key is not None and key in ids:
            return _("%(where)s has the id “%(id)s” of another prediction of this task.") % {
                "where": where,
                "id": str(key)[:40],
            }
        if key is not None:
            ids.add(key)
        found = _read_prediction(prediction, where, text, tables)
        if isinstance(found, str):
            return _("%(where)s: %(problem)s") % {"where": where, "problem": found}
        read.append(found)
    return read


def _read_prediction(
    prediction: dict[str, Any], where: str, text: str, tables: dict[int, int]
) -> PredictionIn | str:
    source, version = _source(prediction.get("model_version"))
    if source is None:
        return version  # what is wrong with it
    score = _score(prediction.get("score"))
    if isinstance(score, str):
        return score
    spans = _read_results(prediction.get("result"), text, tables, scored=True)
    if isinstance(spans, str):
        return spans
    for span in spans:
        if span.score is None:  # a region's own score, else its prediction's
            span.score = score
    return PredictionIn(where, source, version, spans)


def _source(version: Any) -> tuple[str | None, str]:
    """(Suggestion.source, model_version) for a prediction's model_version, or (None, what
    is wrong with it). Label Studio names a prediction's model by its version only, so
    that string is both; without one the model is "Label Studio"."""
    if version is None or (isinstance(version, str) and not version.strip()):
        return UNNAMED_SOURCE, ""
    if not isinstance(version, str):
        return None, _("model_version must be a text.")
    # NFC as our texts: the same model named in two forms is one source.
    version = unicodedata.normalize("NFC", version.strip())
    if len(version) > MAX_SOURCE_CHARS or not version.isprintable():
        return None, _("model_version must be a printable text of at most %(n)d characters.") % {
            "n": MAX_SOURCE_CHARS
        }
    if version.casefold() == Suggestion.RULES:
        # The built-in rules' own source: an import must not pass for them.
        return None, _("model_version “%(name)s” is the name of the built-in rules.") % {
            "name": version
        }
    return version, version


def _score(score: Any) -> float | str | None:
    """A prediction's or a region's score, or what is wrong with it (JSON numbers only:
    not true, not "0.9"; NaN never gets here, the decoder refuses it)."""
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float):
        return _("a score must be a number from 0 to 1.")
    if not 0 <= score <= 1:  # false for inf too (1e999 decodes as inf)
        return _("the score %(score)s is not between 0 and 1.") % {"score": str(score)[:20]}
    return float(score)


def _region_key(item: dict[str, Any]) -> str | int | None:
    """A result's region id, if it has one."""
    region = item.get("id")
    return region if isinstance(region, str | int) and not isinstance(region, bool) else None


def _read_result(item: Any, text: str, table: dict[int, int]) -> list[SpanIn] | str:
    """The spans of one result (none for choices, relations, text areas: values, read by
    read_value), or the problem."""
    if not isinstance(item, dict):
        return _("a result must be a JSON object.")
    if item.get("type") != "labels":
        return []
    value = item.get("value")
    if not isinstance(value, dict):
        return _('a "labels" result needs a "value" object.')
    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    covered = value.get("text")
    if not (is_offset(start) and is_offset(end)):
        return _("value.start and value.end must be whole numbers.")
    if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
        return _("value.labels must be a non-empty list of label names.")
    if covered is not None and not isinstance(covered, str):
        return _("value.text must be the text the span covers.")
    if covered is not None and text[start:end] != covered:
        if not table:
            table.update(utf16_table(text))
        start16, end16 = from_utf16(text, start, table), from_utf16(text, end, table)
        if start16 is not None and end16 is not None and text[start16:end16] == covered:
            start, end = start16, end16
    return [SpanIn(start, end, label, covered) for label in labels]


def _task_text(data: dict[str, Any]) -> str | None:
    if isinstance(text := data.get("text"), str):
        return text
    strings = [value for value in data.values() if isinstance(value, str)]
    # A project whose text field has another name ("$content"): use it if it is the only one.
    return strings[0] if len(strings) == 1 else None
