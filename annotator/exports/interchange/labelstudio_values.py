"""A span's values in Label Studio: one per-region result per value, bound to its region.

Label Studio keeps what a per-region control (`perRegion="true"`) says about a region as a
result of its own with the region's `id`; its editor writes the region's value into it
(start, end, text) and then the control's (web/libs/editor/src/regions/Result.js,
`serialize`, in HumanSignal/label-studio). We write the same:

    {"id": "span12", "from_name": "casualty_figure.min", "to_name": "text", "type": "number",
     "value": {"start": 40, "end": 50, "text": "-213 morts", "number": 213}}

- a whole number: a `number` result, `{"number": 213}`;
- a choice: a `choices` result, `{"choices": ["killed"]}` (the choice's key);
- yes or no: a `choices` result, `{"choices": ["true"]}` or `["false"]` (Label Studio has
  no yes-or-no control; the labeling config offers those two choices);
- a text, or words of the article: a `textarea` result, `{"text": ["la ministre"]}` (a
  text area's own value replaces the region's text, as in Label Studio's); the words'
  offsets, when the analyst pointed at them, go in the result's `meta`, `{"start": 52,
  "end": 63}` (code points, as the region's), which Label Studio keeps as it is;
- marked unknown: the control's empty value and `"meta": {"unknown": true}`: Label Studio
  has no "unknown", so that is for coming back here.

`from_name` is the field's name (value_fields), which the labeling config gives the control.
"""

from typing import Any

from django.utils.translation import gettext as _

from annotator.annotations.attributes import AttributeType
from annotator.annotations.models import Label

from ..value_fields import SEPARATOR, ValueField, ordered_labels, value_fields
from .candidates import ValueIn, is_offset
from .records import SpanOut

TO_NAME = "text"
# Our type → (Label Studio's result type, its value's key).
CONTROLS = {
    AttributeType.INTEGER: ("number", "number"),
    AttributeType.CHOICE: ("choices", "choices"),
    AttributeType.BOOLEAN: ("choices", "choices"),
    AttributeType.TEXT: ("textarea", "text"),
    AttributeType.TEXT_REFERENCE: ("textarea", "text"),
}
RESULT_TYPES = {result_type for result_type, _key in CONTROLS.values()}


def region_id(span: SpanOut) -> str:
    return f"span{span.id}"


def value_results(
    text: str, span: SpanOut, fields: dict[tuple[int, str], ValueField]
) -> list[dict[str, Any]]:
    """The span's per-region results, in attribute order. `fields`: by (label id, key)."""
    results = []
    own = [field for (label_id, _key), field in fields.items() if label_id == span.label_id]
    for field in own:
        key = field.attribute.key
        if key not in span.values:
            continue  # not filled in
        result_type, value_key = CONTROLS[AttributeType(field.attribute.type)]
        region: dict[str, Any] = {"start": span.start, "end": span.end}
        if result_type != "textarea":  # a text area's own value takes "text"
            region["text"] = text[span.start : span.end]
        result: dict[str, Any] = {
            "id": region_id(span),
            "from_name": field.name,
            "to_name": TO_NAME,
            "type": result_type,
            "value": region,
        }
        value = span.values[key]
        if value is None:
            if result_type != "number":
                region[value_key] = []
            result["meta"] = {"unknown": True}
        elif field.attribute.type == AttributeType.BOOLEAN:
            region[value_key] = ["true" if value else "false"]
        elif field.attribute.type == AttributeType.TEXT_REFERENCE:
            words = value if isinstance(value, str) else value["text"]
            region[value_key] = [words]
            if isinstance(value, dict) and value.get("start") is not None:
                result["meta"] = {"start": value["start"], "end": value["end"]}
        elif result_type == "number":
            region[value_key] = value
        else:
            region[value_key] = [value]
        results.append(result)
    return results


def read_value(item: dict[str, Any], where: str) -> ValueIn | str | None:
    """The value a per-region result gives, or what is wrong with it; None for results that
    are not values of ours (another type, or a control not named "<label>.<key>")."""
    if item.get("type") not in RESULT_TYPES:
        return None
    name = item.get("from_name")
    if not isinstance(name, str) or SEPARATOR not in name:
        return None  # another project's control ("sentiment"): not ours, ignored as before
    shown = name[:80]
    value = item.get("value")
    if not isinstance(value, dict):
        return _('a value for “%(field)s” needs a "value" object.') % {"field": shown}
    meta = item.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    kind = item["type"]
    found = ValueIn(name, kind, None, where, unknown=meta.get("unknown") is True)
    if found.unknown:
        return found
    if kind == "number":
        found.value = value.get("number")
        return found
    listed = value.get("choices" if kind == "choices" else "text")
    if kind == "textarea" and isinstance(listed, str):
        listed = [listed]
    if not (isinstance(listed, list) and all(isinstance(x, str) for x in listed)):
        return _("value.%(key)s of “%(field)s” must be a list of texts.") % {
            "key": "choices" if kind == "choices" else "text",
            "field": shown,
        }
    found.value = listed
    start, end = meta.get("start"), meta.get("end")
    if kind == "textarea" and (start is not None or end is not None):
        if not (is_offset(start) and is_offset(end)):
            return _("meta.start and meta.end of “%(field)s” must be whole numbers.") % {
                "field": shown
            }
        found.offsets = (start, end)
    return found


def config_labels() -> list[tuple[Label, list[ValueField]]]:
    """Every label with the fields its labeling config shows, in label order: for
    templates/exports/labelstudio_config.xml, shown on the export page. All labels,
    switched-off ones too, so that any export imports into one project; a choice with no
    answers has no control (Label Studio refuses an empty <Choices>, and no value can be
    stored for it)."""
    labels = ordered_labels()
    by_label: dict[int, list[ValueField]] = {}
    for field in value_fields(labels=labels):
        if field.attribute.type != AttributeType.CHOICE or field.attribute.choices.all():
            by_label.setdefault(field.label.pk, []).append(field)
    return [(label, by_label.get(label.pk, [])) for label in labels]
