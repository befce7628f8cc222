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

Offsets: Label Studio's text regions count code points, as we do (its editor's tests
check it: web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts in HumanSignal/label-studio).
Versions from 2021 counted UTF-16 units instead (HumanSignal/label-studio issue #1347);
since every result states its text, a region whose code-point offsets do not cover that
text but whose UTF-16 offsets do is read as UTF-16.
"""

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .candidates import Candidate, Problem, SpanIn, is_offset, metadata_from
from .offsets import from_utf16, utf16_table

if TYPE_CHECKING:
    from .records import Record

FROM_NAME, TO_NAME = "label", "text"


def export_chunks(
    records: Iterable["Record"], *, counter: dict[str, int] | None = None
) -> Iterator[bytes]:
    """Yield the JSON array of tasks, one task per chunk (bytes)."""
    written = 0
    yield b"["
    for record in records:
        task = {
            "data": {"text": record.text, **record.metadata()},
            "annotations": [{"result": [_result(record.text, span) for span in record.spans]}],
        }
        prefix = b"\n" if written == 0 else b",\n"
        written += 1
        yield prefix + json.dumps(task, ensure_ascii=False).encode()
    yield b"\n]\n"
    if counter is not None:
        counter["rows"] = written


def _result(text: str, span: tuple[int, int, int, str]) -> dict[str, Any]:
    span_id, start, end, label = span
    return {
        "id": f"span{span_id}",
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


def read(data: bytes) -> Iterator[Candidate | Problem]:
    """Yield a Candidate or a Problem per task; `line` is where the task starts."""
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield Problem(1, _("The file is not UTF-8 text."))
        return
    try:
        tasks = list(_tasks_with_lines(content))
    except ValueError as error:
        yield Problem(1, _("The file is not valid JSON (%(error)s).") % {"error": error})
        return
    for line, task in tasks:
        yield _read_task(line, task)


def _tasks_with_lines(content: str) -> Iterator[tuple[int, Any]]:
    """(line, task) for a JSON array of tasks (or a single task), keeping each start line."""
    decoder = json.JSONDecoder()
    position = _skip_space(content, 0)
    if content.startswith("{", position):
        yield _line_at(content, position), decoder.raw_decode(content, position)[0]
        return
    if not content.startswith("[", position):
        raise ValueError(_("expected a list of tasks"))
    position = _skip_space(content, position + 1)
    if content.startswith("]", position):
        return
    while True:
        task, end = decoder.raw_decode(content, position)
        yield _line_at(content, position), task
        position = _skip_space(content, end)
        if content.startswith("]", position):
            return
        if not content.startswith(",", position):
            raise ValueError(
                _("expected ',' or ']' at line %(line)d") % {"line": _line_at(content, position)}
            )
        position = _skip_space(content, position + 1)


def _skip_space(content: str, position: int) -> int:
    while position < len(content) and content[position] in " \t\r\n":
        position += 1
    return position


def _line_at(content: str, position: int) -> int:
    return content.count("\n", 0, position) + 1


def _read_task(line: int, task: Any) -> Candidate | Problem:
    if not isinstance(task, dict):
        return Problem(line, _("A task must be a JSON object."))
    data = task.get("data")
    if not isinstance(data, dict) or (text := _task_text(data)) is None:
        return Problem(line, _('This task has no "data.text".'))
    # "completions" is what Label Studio 0.x called annotations.
    annotations = task.get("annotations", task.get("completions")) or []
    annotations = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if not annotations:
        return Problem(line, _("This task has no annotation (predictions are not imported)."))
    if len(annotations) > 1:
        return Problem(
            line,
            _(
                "This task has %(n)d annotations; all spans go to one analyst, so import "
                "one annotator's work at a time."
            )
            % {"n": len(annotations)},
        )
    result = annotations[0].get("result") or []
    if not isinstance(result, list):
        return Problem(line, _('"result" must be a list.'))
    table = None
    spans: list[SpanIn] = []
    for item in result:
        # Other result types (choices, relations, text areas) have no span to import.
        if not isinstance(item, dict) or item.get("type") != "labels":
            continue
        value = item.get("value")
        if not isinstance(value, dict):
            return Problem(line, _('A "labels" result has no "value".'))
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        covered = value.get("text")
        if not (is_offset(start) and is_offset(end)):
            return Problem(line, _("value.start and value.end must be whole numbers."))
        if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
            return Problem(line, _("value.labels must be a list of label names."))
        if not isinstance(covered, str):
            covered = None
        if covered is not None and text[start:end] != covered:
            table = table or utf16_table(text)
            start16, end16 = from_utf16(text, start, table), from_utf16(text, end, table)
            if start16 is not None and end16 is not None and text[start16:end16] == covered:
                start, end = start16, end16
        spans.extend(SpanIn(start, end, label, covered) for label in labels)
    return Candidate(line, text, spans, metadata_from(data))


def _task_text(data: dict[str, Any]) -> str | None:
    if isinstance(text := data.get("text"), str):
        return text
    strings = [value for value in data.values() if isinstance(value, str)]
    # A project whose text field has another name ("$content"): use it if it is the only one.
    return strings[0] if len(strings) == 1 else None
