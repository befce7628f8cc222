"""The attribute panel and the compact values of a span, as the annotation and review pages
show them.

`shown_values` writes a span's values compactly
(`tués · 213 · exact`); `panel` builds the panel's fields for one span, prefilled for a
casualty figure from `annotator.french.numbers.read_casualty` as a proposal, stored only once the
analyst saves it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from django.utils.translation import gettext as _

from annotator.articles.models import Article, Bounds, sentence_bounds
from annotator.french.numbers import read_casualty

from .attributes import Attribute, AttributeChoice, AttributeType

if TYPE_CHECKING:
    from .models import Label


class ShownValue(NamedTuple):
    name: str  # the attribute's name (a tooltip: the compact form has none)
    text: str


UNKNOWN = "?"
# Longest text shown in a list row; the panel shows it whole.
SHOWN_TEXT = 60


def shown_values(attributes: Sequence[Attribute], values: Mapping[str, Any]) -> list[ShownValue]:
    """`values` compactly, in the attributes' order: choices by name, numbers as digits, a
    min and the max "not below" it as one range (`200–999`, `≥ 12` when the max is empty),
    words in quotes, unknown (null) as `?`.

    >>> shown_values(casualty, {"kind": "killed", "min": 213, "max": 213, "precision": "exact"})
    [ShownValue('Nature', 'tués'), ShownValue('Min–Max', '213'), ShownValue('Précision', 'exact')]
    """
    by_id = {a.pk: a for a in attributes}
    # An integer whose max is bounded below by another: shown with it, as a range.
    high_of = {
        a.not_below_id: a
        for a in attributes
        if a.not_below_id and by_id.get(a.not_below_id) and a.type == AttributeType.INTEGER
    }
    shown = []
    for attribute in attributes:
        if attribute.pk in high_of:
            text = _range(attribute, high_of[attribute.pk], values)
            if text:
                name = f"{attribute.display_name}–{high_of[attribute.pk].display_name}"
                shown.append(ShownValue(name, text))
        elif attribute.not_below_id in by_id and attribute.type == AttributeType.INTEGER:
            continue  # shown with its low end
        elif attribute.key in values:
            text = _one(attribute, values[attribute.key])
            shown.append(ShownValue(attribute.display_name, text))
    return shown


def _range(low: Attribute, high: Attribute, values: Mapping[str, Any]) -> str:
    has_low, has_high = low.key in values, high.key in values
    lo, hi = values.get(low.key), values.get(high.key)
    if not has_low and not has_high:
        return ""
    if not has_high:
        return UNKNOWN if lo is None else f"≥ {lo}"
    if not has_low:
        return UNKNOWN if hi is None else f"≤ {hi}"
    if lo is not None and lo == hi:
        return str(lo)
    return f"{UNKNOWN if lo is None else lo}–{UNKNOWN if hi is None else hi}"


def _one(attribute: Attribute, value: Any) -> str:
    if value is None:
        return UNKNOWN
    match attribute.type:
        case AttributeType.CHOICE:
            names = {c.key: c.display_name for c in attribute.choices.all()}
            return names.get(value, str(value))
        case AttributeType.BOOLEAN:
            return _("yes") if value else _("no")
        case AttributeType.TEXT_REFERENCE:
            text = value.get("text", "") if isinstance(value, dict) else str(value)
            return f"« {_short(text)} »"
    return _short(str(value))


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"


# --- The panel --------------------------------------------------------------------------


@dataclass
class PanelField:
    """One attribute in the panel: what its inputs hold, and what is wrong with it."""

    attribute: Attribute
    value: Any = ""  # a str as typed, a choice key, a bool
    start: str = ""  # a text reference's offsets, when the words were pointed at
    end: str = ""
    unknown: bool = False
    proposed: bool = False
    error: str = ""
    choices: list[AttributeChoice] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.attribute.key


@dataclass
class Panel:
    """The panel of one span: its fields, and whether they hold a proposal."""

    span_id: int
    span_text: str
    label_name: str
    fields: list[PanelField]
    url: str  # where the form posts
    close_url: str  # the page without the panel (Close, without JavaScript)
    editable: bool
    language: str = "fr"  # the article's
    proposed: bool = False
    can_pick: bool = True  # the page shows the article, where words can be pointed at

    @property
    def errors(self) -> bool:
        return any(f.error for f in self.fields)


class Submitted(NamedTuple):
    """One field as the panel's form sent it (annotations.forms.read_values)."""

    value: Any
    unknown: bool = False
    start: str = ""
    end: str = ""


def panel_fields(
    attributes: Sequence[Attribute],
    stored: Mapping[str, Any],
    *,
    submitted: Mapping[str, Submitted] | None = None,
    errors: Mapping[str, str] | None = None,
    proposal: Mapping[str, Any] | None = None,
) -> list[PanelField]:
    """The fields of the active `attributes`: as submitted (shown again with `errors`),
    else as stored, else as proposed."""
    fields = []
    for attribute in attributes:
        # Switched-off answers are not offered, but a stored one stays shown (and kept).
        choices = [
            c for c in attribute.choices.all() if c.is_active or stored.get(attribute.key) == c.key
        ]
        one = PanelField(attribute, choices=choices, error=(errors or {}).get(attribute.key, ""))
        if submitted is not None:
            sent = submitted.get(attribute.key, Submitted(""))
            one.value, one.unknown, one.start, one.end = sent
        elif attribute.key in stored:
            _fill(one, stored[attribute.key])
        elif proposal and attribute.key in proposal:
            one.value, one.proposed = proposal[attribute.key], True
        fields.append(one)
    return fields


def _fill(one: PanelField, value: Any) -> None:
    if value is None:
        one.unknown = True
    elif isinstance(value, dict):  # a text reference
        one.value = value.get("text", "")
        one.start = "" if value.get("start") is None else str(value["start"])
        one.end = "" if value.get("end") is None else str(value["end"])
    elif isinstance(value, bool):
        one.value = value
    else:
        one.value = str(value)


# The casualty figure's attributes, found by their keys and types (not the label's name).
CASUALTY = {
    "kind": AttributeType.CHOICE,
    "min": AttributeType.INTEGER,
    "max": AttributeType.INTEGER,
    "precision": AttributeType.CHOICE,
}


def proposal_for(
    attributes: Sequence[Attribute],
    stored: Mapping[str, Any],
    span_text: str,
    span_start: int,
    article_text: str,
    sentences: Sequence[Bounds],
) -> dict[str, str]:
    """What `read_casualty` reads in the span, in the sentence holding it, as panel values;
    empty unless the label has the casualty attributes (by keys and types, not the label's
    name) and none of them is filled in yet, or when the words hold no figure."""
    by_key = {a.key: a for a in attributes}
    if any(by_key.get(k) is None or by_key[k].type != t for k, t in CASUALTY.items()):
        return {}
    if any(key in stored for key in CASUALTY):
        return {}
    sentence = next((s for s in sentences if s.start <= span_start < s.end), None)
    if sentence is None:
        reading = read_casualty(span_text)
    else:
        text = article_text[sentence.start : sentence.end]
        reading = read_casualty(span_text, text, span_start - sentence.start)
    if reading is None:
        return {}
    proposal: dict[str, str] = {}
    for key, value in [("kind", reading.kind), ("precision", reading.precision)]:
        answers = {c.key for c in by_key[key].choices.all() if c.is_active}
        if value in answers:
            proposal[key] = value
    for key, number in [("min", reading.min), ("max", reading.max)]:
        if number is not None:
            proposal[key] = str(number)
    return proposal


class Valued(Protocol):
    """What a panel shows of a span: an analyst's, or a gold span (agreement)."""

    @property
    def pk(self) -> Any: ...
    @property
    def text(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def attributes(self) -> Any: ...
    @property
    def label(self) -> "Label": ...


def span_panel(
    span: Valued,
    article: Article,
    attributes: Sequence[Attribute],
    *,
    url: str,
    close_url: str,
    editable: bool,
    submitted: Mapping[str, Submitted] | None = None,
    errors: Mapping[str, str] | None = None,
    can_pick: bool = True,
) -> Panel:
    """The panel of `span` (of `article`) for its label's active `attributes` (choices
    prefetched): as stored, else proposed; as `submitted` with `errors` after a refusal."""
    proposal = (
        {}
        if submitted is not None
        else proposal_for(
            attributes, span.attributes, span.text, span.start, article.text,
            sentence_bounds(article),
        )
    )  # fmt: skip
    fields = panel_fields(
        attributes, span.attributes, submitted=submitted, errors=errors, proposal=proposal
    )
    return Panel(
        span.pk,
        span.text,
        span.label.name,
        fields,
        url=url,
        close_url=close_url,
        editable=editable,
        language=article.language or "fr",
        proposed=bool(proposal),
        can_pick=can_pick,
    )
