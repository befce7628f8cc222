"""A file's values for a span (Label Studio per-region results), as our encoding: what
Label.validate_attributes then checks, with the same rules as the annotation page.

Here only the shape is read: which attribute a result names, and whether its type is that
attribute's (a `number` for a whole number, `choices` for a choice or yes-or-no, `textarea`
for texts and words). Bounds, answers, lengths and characters are validate_attributes'.
"""

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from annotator.annotations.attributes import AttributeType

from ..value_fields import SEPARATOR
from .candidates import is_offset
from .labelstudio_values import CONTROLS

if TYPE_CHECKING:
    from annotator.annotations.models import Label

    from .candidates import SpanIn, ValueIn

BOOLEANS = {"true": True, "false": False}


def converted(
    span: "SpanIn", label: "Label", slugs: dict[int, str], owners: set[str]
) -> tuple[dict[str, Any], list[str]]:
    """(values by key, problems) for `span` of `label`. `slugs`: every label's (by id);
    `owners`: the slugs of the span's region's labels, whose values are theirs, not errors."""
    attributes = {attribute.key: attribute for attribute in label.attributes.all()}
    values: dict[str, Any] = {}
    problems: list[str] = []
    for value in span.values:
        slug, _sep, key = value.field.partition(SEPARATOR)
        if slug != slugs[label.pk]:
            if slug not in owners:
                problems.append(
                    _("%(where)s: “%(field)s” is not a field of the label “%(label)s”.")
                    % {"where": value.where, "field": value.field[:80], "label": label.name}
                )
            continue  # another label of the same region: its own span takes it
        attribute = attributes.get(key)
        if attribute is None or value.unknown:
            # An unknown key: validate_attributes names it. Unknown: JSON null.
            values[key] = None if value.unknown else value.value
            continue
        kind = CONTROLS[AttributeType(attribute.type)][0]
        if value.kind != kind:
            problems.append(
                _(
                    "%(where)s: “%(attribute)s” is a field of type “%(type)s”, written as a "
                    "“%(expected)s” result; the file gives a “%(kind)s” result."
                )
                % {
                    "where": value.where,
                    "attribute": attribute.display_name,
                    "type": attribute.get_type_display(),
                    "expected": kind,
                    "kind": value.kind,
                }
            )
            continue
        found = _one(value, attribute.display_name)
        if isinstance(found, _Problem):
            problems.append(found.message)
            continue
        values[key] = _ours(attribute.type, found, value)
    return values, problems


class _Problem:
    def __init__(self, message: str) -> None:
        self.message = message


def _one(value: "ValueIn", name: str) -> Any:
    """The one choice, number or text of `value`, or a _Problem."""
    if value.kind == "number":
        return value.value
    if len(value.value) != 1:
        message = (
            _("%(where)s: “%(attribute)s” takes one answer; the file gives %(n)d.")
            if value.kind == "choices"
            else _("%(where)s: “%(attribute)s” takes one text; the file gives %(n)d.")
        )
        return _Problem(message % {"where": value.where, "attribute": name, "n": len(value.value)})
    return value.value[0]


def _ours(attribute_type: str, found: Any, value: "ValueIn") -> Any:
    """`found` in our encoding (annotations.attributes)."""
    if attribute_type == AttributeType.BOOLEAN:
        return BOOLEANS.get(found, found)  # anything else: "is yes or no"
    if attribute_type == AttributeType.TEXT_REFERENCE and value.offsets is not None:
        start, end = value.offsets
        return {"text": found, "start": start, "end": end}
    return found


def misplaced_words(values: dict[str, Any], text: str) -> list[str]:
    """Words of the article whose offsets (meta.start, meta.end) cover other words of
    `text`, said as the file's problem (validate_attributes would say "reload the page")."""
    problems = []
    for value in values.values():
        if not isinstance(value, dict):
            continue
        start, end = value["start"], value["end"]
        inside = is_offset(start) and is_offset(end) and 0 <= start < end <= len(text)
        if inside and text[start:end] != value["text"]:
            problems.append(
                _(
                    "meta.start and meta.end [%(start)d, %(end)d] cover « %(found)s », "
                    "not these words."
                )
                % {"start": start, "end": end, "found": text[start:end][:60]}
            )
    return problems
