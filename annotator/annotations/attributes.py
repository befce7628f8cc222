"""Typed attributes of a label (rows an admin edits), and the values a span holds for them.

A span's values are a JSON object in `Span.attributes`, keyed by attribute key:

- integer → a JSON number; choice → the choice's key; boolean → true/false; text → a string;
- text_reference → {"text": …, "start": …, "end": …}: words of the article (the speaker of a
  quote, say), with their offsets (code points, like a span's) when the analyst pointed at them;
- a key absent: not filled in yet; JSON null: the analyst marked it "unknown".

`clean_values` says in words what is wrong with values; migration 0007's trigger refuses the
same values, whatever writes them. Both check only what is written or changed: a value stored
before its attribute (or choice) was switched off, or its bounds tightened, stays.
"""

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from annotator.refusal import UNSTORABLE, Refused

if TYPE_CHECKING:
    from .models import Label

KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
# PostgreSQL's integer, the type of min_value and max_value; values stay within it too, so
# that a query may cast them.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
MAX_TEXT_LENGTH = 2000
# What a form sends for a number: ASCII digits only. str.isdigit() and int() also take "٣"
# and "２", which an analyst would not recognise in the stored data or an export.
ASCII_INTEGER = re.compile(r"-?[0-9]+")


def _in_french() -> bool:
    return (get_language() or "").startswith("fr")


class AttributeType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    CHOICE = "choice", _("Choice")
    BOOLEAN = "boolean", _("Yes or no")
    TEXT = "text", _("Text")
    TEXT_REFERENCE = "text_reference", _("Words of the article")


class AttributeQuerySet(models.QuerySet["Attribute"]):
    def active(self) -> "AttributeQuerySet":
        return self.filter(is_active=True)


class Attribute(models.Model):
    """One field an analyst fills in on a span of its label. In use, it is deactivated,
    never deleted, nor its key or type changed (a trigger refuses those)."""

    Type = AttributeType

    label = models.ForeignKey(
        "annotations.Label", on_delete=models.PROTECT, related_name="attributes"
    )
    key = models.CharField(_("key"), max_length=40, help_text=_("Lowercase letters, digits, _."))
    name = models.CharField(_("name"), max_length=100)
    name_fr = models.CharField(_("French name"), max_length=100, blank=True)
    help_text = models.TextField(_("help"), blank=True)
    help_text_fr = models.TextField(_("French help"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type)
    min_value = models.IntegerField(_("smallest value"), null=True, blank=True)
    max_value = models.IntegerField(_("largest value"), null=True, blank=True)
    # "max ≥ min": this value may not be below that attribute's (both integers of the label).
    not_below = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("not below"),
    )
    max_length = models.PositiveSmallIntegerField(_("longest text"), default=200)
    required = models.BooleanField(_("required before submitting"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AttributeQuerySet.as_manager()

    class Meta:
        ordering = ["label", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["label", "key"], name="attribute_key_unique"),
            # Target of not_below's composite key: the same label (migration 0007).
            models.UniqueConstraint(fields=["id", "label"], name="attribute_id_label"),
            models.CheckConstraint(condition=Q(key__regex=KEY_PATTERN), name="attribute_key_slug"),
            models.CheckConstraint(condition=~Q(name=""), name="attribute_name_not_empty"),
            models.CheckConstraint(
                condition=Q(type__in=AttributeType.values), name="attribute_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(type=AttributeType.INTEGER)
                | Q(min_value__isnull=True, max_value__isnull=True, not_below__isnull=True),
                name="attribute_bounds_only_integer",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="attribute_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(not_below__isnull=True) | ~Q(not_below=F("id")),
                name="attribute_not_below_other",
            ),
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=MAX_TEXT_LENGTH),
                name="attribute_max_length_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label_id}.{self.key}"

    @property
    def display_name(self) -> str:
        return self.name_fr if self.name_fr and _in_french() else self.name

    @property
    def display_help_text(self) -> str:
        return self.help_text_fr if self.help_text_fr and _in_french() else self.help_text


class AttributeChoice(models.Model):
    """One answer of a choice attribute; in use, deactivated, never deleted."""

    attribute = models.ForeignKey(Attribute, on_delete=models.CASCADE, related_name="choices")
    key = models.CharField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_fr = models.CharField(_("French name"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["attribute", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["attribute", "key"], name="attributechoice_key_unique"),
            models.CheckConstraint(
                condition=Q(key__regex=KEY_PATTERN), name="attributechoice_key_slug"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="attributechoice_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.attribute_id}.{self.key}"

    @property
    def display_name(self) -> str:
        return self.name_fr if self.name_fr and _in_french() else self.name


# What each process keeps of labels' attributes: label id → (the label's attributes_version
# they were read at, the attributes with their choices). Reading them took two queries on
# every span edit; a label's version changes with any change of its attributes or choices
# (migration 0009), and the label row a request reads anyway carries it.
_kept: dict[int, tuple[int, tuple[Attribute, ...]]] = {}


class Schema:
    """The attributes of some labels (active or not, in order), with their choices.

    Shared between requests: read, never change, what it holds.
    """

    def __init__(self, by_label: Mapping[int, tuple[Attribute, ...]]) -> None:
        self._by_label = by_label

    @classmethod
    def at(cls, versions: Mapping[int, int]) -> "Schema":
        """The attributes of the labels `versions` names (label id → attributes_version, as
        just read): two queries for the labels not kept at that version, none otherwise."""
        by_label = {}
        stale = []
        for label_id, version in versions.items():
            kept = _kept.get(label_id)
            if kept is not None and kept[0] == version:
                by_label[label_id] = kept[1]
            else:
                stale.append(label_id)
        if stale:
            read: dict[int, list[Attribute]] = {label_id: [] for label_id in stale}
            rows = Attribute.objects.filter(label_id__in=stale).prefetch_related("choices")
            for attribute in rows.order_by("label_id", "order", "id"):
                read[attribute.label_id].append(attribute)
            for label_id, attributes in read.items():
                by_label[label_id] = tuple(attributes)
                _kept[label_id] = (versions[label_id], by_label[label_id])
        return cls(by_label)

    @classmethod
    def of_labels(cls, labels: Iterable["Label"]) -> "Schema":
        return cls.at({label.pk: label.attributes_version for label in labels})

    @staticmethod
    def forget() -> None:
        """Forget what is kept (tests: a fresh start)."""
        _kept.clear()

    def of(self, label_id: int) -> tuple[Attribute, ...]:
        return self._by_label.get(label_id, ())

    def active(self, label_id: int) -> list[Attribute]:
        """The fields an analyst fills in on a span of this label."""
        return [a for a in self.of(label_id) if a.is_active]

    def missing(self, label_id: int, values: Mapping[str, Any]) -> list[str]:
        """Names of the required, active attributes `values` lacks (null counts as a value:
        the rule of SpanQuerySet.missing_required)."""
        return [a.display_name for a in self.active(label_id) if a.required and a.key not in values]


class InvalidValues(Refused):
    """Values that cannot be stored; `errors` maps each attribute key to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()), status=422)
        self.errors = errors


def clean_values(
    label: "Label",
    values: Mapping[str, Any],
    article_text: str,
    *,
    stored: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """`values` as stored for a span of `label`, or InvalidValues saying what is wrong.

    `stored` are the span's values that stay as they are: not checked again, except that
    a changed min may not pass a stored max ("max ≥ min" holds for the result). A value of
    `values` sent again as stored (a form sends every field) is not a change either: it is
    left out of the result, and kept even if its attribute or choice was switched off since.

    >>> clean_values(casualty, {"min": "213", "kind": "killed", "max": None}, text)
    {'min': 213, 'kind': 'killed', 'max': None}
    """
    if not values:  # nothing written, nothing to check (and no query)
        return {}
    attributes = {a.key: a for a in Schema.of_labels([label]).of(label.pk)}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        attribute = attributes.get(key)
        if stored and key in stored and _same(value, stored[key]):
            continue
        try:
            if attribute is None:
                raise Refused(
                    gettext("“%(key)s” is not a field of the label “%(label)s”.")
                    % {"key": key, "label": label.name}
                )
            if not attribute.is_active:
                raise Refused(
                    gettext("“%(attribute)s” is switched off: it cannot be changed any more.")
                    % {"attribute": attribute.display_name}
                )
            cleaned[key] = None if value is None else _clean(attribute, value, article_text)
        except Refused as refusal:
            errors[key] = refusal.message
    result = {**(stored or {}), **cleaned}
    by_id = {a.pk: a for a in attributes.values()}
    for attribute in attributes.values():
        low = by_id.get(attribute.not_below_id) if attribute.not_below_id else None
        if low is None or attribute.key in errors or low.key in errors:
            continue
        high_value, low_value = result.get(attribute.key), result.get(low.key)
        written = attribute.key in cleaned or low.key in cleaned
        # Only when both are numbers (null is "unknown"), as the database's trigger does.
        if (
            written
            and isinstance(high_value, int)
            and isinstance(low_value, int)
            and high_value < low_value
        ):
            errors[attribute.key] = gettext("“%(high)s” cannot be less than “%(low)s”.") % {
                "high": attribute.display_name,
                "low": low.display_name,
            }
    if errors:
        raise InvalidValues(errors)
    return cleaned


def _same(value: Any, stored: Any) -> bool:
    """`value` (as sent) is `stored`: equal and of the same type (True is not 1), or the
    digits of a stored number."""
    if type(value) is type(stored):
        return bool(value == stored)
    return (
        isinstance(value, str)
        and type(stored) is int
        and ASCII_INTEGER.fullmatch(value.strip()) is not None
        and len(value.strip()) <= 20
        and int(value.strip()) == stored
    )


def _clean(attribute: Attribute, value: Any, article_text: str) -> Any:
    name = attribute.display_name
    match attribute.type:
        case AttributeType.INTEGER:
            number = _integer(value, name)
            if attribute.min_value is not None and number < attribute.min_value:
                raise Refused(
                    gettext("“%(attribute)s” cannot be less than %(min)d.")
                    % {"attribute": name, "min": attribute.min_value}
                )
            if attribute.max_value is not None and number > attribute.max_value:
                raise Refused(
                    gettext("“%(attribute)s” cannot be more than %(max)d.")
                    % {"attribute": name, "max": attribute.max_value}
                )
            return number
        case AttributeType.CHOICE:
            choices = {choice.key: choice for choice in attribute.choices.all()}
            choice = choices.get(value) if isinstance(value, str) else None
            if choice is None:
                raise Refused(
                    gettext("“%(value)s” is not one of the answers to “%(attribute)s”.")
                    % {"value": value, "attribute": name}
                )
            if not choice.is_active:
                raise Refused(
                    gettext("The answer “%(choice)s” to “%(attribute)s” is switched off.")
                    % {"choice": choice.display_name, "attribute": name}
                )
            return value
        case AttributeType.BOOLEAN:
            if not isinstance(value, bool):
                raise Refused(gettext("“%(attribute)s” is yes or no.") % {"attribute": name})
            return value
        case AttributeType.TEXT:
            return _text(value, attribute)
        case AttributeType.TEXT_REFERENCE:
            return _reference(value, attribute, article_text)
    raise ValueError(attribute.type)


def _integer(value: Any, name: str) -> int:
    if isinstance(value, str) and ASCII_INTEGER.fullmatch(value.strip()):
        # Longer than any integer PostgreSQL stores: said below, not int()'s own limit.
        value = int(value.strip()) if len(value.strip()) <= 20 else INT_MAX + 1
    elif isinstance(value, str) and value.strip():
        raise Refused(
            gettext("“%(attribute)s” must be a whole number written with the digits 0 to 9.")
            % {"attribute": name}
        )
    # bool is an int in Python; True is not a number an analyst typed.
    if not isinstance(value, int) or isinstance(value, bool):
        raise Refused(gettext("“%(attribute)s” must be a whole number.") % {"attribute": name})
    if not INT_MIN <= value <= INT_MAX:
        raise Refused(
            gettext(
                "“%(attribute)s” is beyond the numbers that can be stored (%(min)d to %(max)d)."
            )
            % {"attribute": name, "min": INT_MIN, "max": INT_MAX}
        )
    return value


def _text(value: Any, attribute: Attribute) -> str:
    name = attribute.display_name
    if not isinstance(value, str):
        raise Refused(gettext("“%(attribute)s” must be text.") % {"attribute": name})
    if UNSTORABLE.search(value):
        raise Refused(
            gettext("“%(attribute)s” holds characters that are not valid text.")
            % {"attribute": name}
        )
    text = value.strip()
    if not text:
        raise Refused(
            gettext("“%(attribute)s” is empty: clear it, or mark it unknown.") % {"attribute": name}
        )
    if len(text) > attribute.max_length:
        raise Refused(
            gettext("“%(attribute)s” is too long: at most %(max)d characters.")
            % {"attribute": name, "max": attribute.max_length}
        )
    return text


def _reference(value: Any, attribute: Attribute, article_text: str) -> dict[str, Any]:
    """{"text", "start", "end"}; a bare string is words without offsets."""
    name = attribute.display_name
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, dict) or not set(value) <= {"text", "start", "end"}:
        raise Refused(
            gettext("“%(attribute)s” must be words of the article.") % {"attribute": name}
        )
    text = _text(value.get("text"), attribute)
    start, end = value.get("start"), value.get("end")
    if start is None and end is None:
        return {"text": text, "start": None, "end": None}
    outside = Refused(
        gettext("The words of “%(attribute)s” are not within the article.") % {"attribute": name}
    )
    if start is None or end is None:
        raise outside
    start, end = _integer(start, name), _integer(end, name)
    if not 0 <= start < end <= len(article_text):
        raise outside
    # Offsets must point at the words themselves (not stripped: they are the article's).
    if article_text[start:end] != value["text"]:
        raise Refused(
            gettext(
                "The words of “%(attribute)s” are not those of the article at that place: "
                "reload the page and try again."
            )
            % {"attribute": name}
        )
    return {"text": value["text"], "start": start, "end": end}
