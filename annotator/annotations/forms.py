import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from annotator.articles.models import Article

from .assignments import WorkStatus, analysts, analysts_with_work
from .attributes import (
    Attribute,
    AttributeType,
)
from .models import Label
from .panel import Submitted

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MAX_OFFSET = 2**31 - 1  # the columns are PostgreSQL integers
MAX_ID = 2**63 - 1  # primary keys are bigint
ASCII_INTEGER = re.compile(r"-?[0-9]+")


class OffsetField(forms.IntegerField):
    """An integer written with ASCII digits only: int() would accept "١٢" or "１２".

    For offsets and ids alike.
    """

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip() and not ASCII_INTEGER.fullmatch(value.strip()):
            raise forms.ValidationError(
                _("Offsets are whole numbers written with the digits 0 to 9."), code="invalid"
            )
        return super().to_python(value)


class ActionForm(forms.Form):
    """A client-generated id per key press or click: a retried request is applied once.

    Every edit of spans, the analyst's and the reviewer's, carries one (SpanEvent.action_id).
    """

    action_id = forms.UUIDField(
        required=False, error_messages={"invalid": _("The page sent a broken request id.")}
    )


class BoundsForm(ActionForm):
    """An action that draws a span: its `start` and `end` (subclasses declare them) in order.

    Whether they fit the article and match its text is checked by the service that makes
    the span, on the article row it locks.
    """

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start >= end:
            raise forms.ValidationError(_("A span must cover at least one character."))
        return data


class SpanForm(BoundsForm):
    label = forms.ModelChoiceField(
        queryset=Label.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("That label does not exist or is switched off.")},
    )
    start = OffsetField(min_value=0, max_value=MAX_OFFSET)
    end = OffsetField(min_value=1, max_value=MAX_OFFSET)
    text = forms.CharField(strip=False, max_length=1_000_000)


class SpanActionForm(ActionForm):
    """An edit of one span; which span travels with the form, so the page reverses its URL
    once, not once per row (the list of a long article has hundreds)."""

    span = OffsetField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={"required": _("Choose the span to change (focus it in the list).")},
    )


class SuggestionForm(ActionForm):
    """Accept or reject one suggestion (which one travels with the form, as for spans)."""

    suggestion = OffsetField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={"required": _("Choose the suggestion (focus it in the list: ] and [).")},
    )


class SuggestionLabelForm(ActionForm):
    """Accept every waiting suggestion of one label."""

    label = forms.ModelChoiceField(
        queryset=Label.objects.filter(is_active=True),
        error_messages={
            "required": _("Choose the label whose suggestions to accept."),
            "invalid_choice": _("That label does not exist or is switched off."),
        },
    )


class AttributesForm(SpanActionForm):
    """The attribute panel's save: which span, and whether the page shows the list of spans
    lacking values (the answer then brings it up to date). The values themselves are read
    by read_values, for the fields of the span's label."""

    show_missing = forms.BooleanField(required=False)


class SentValues(NamedTuple):
    values: dict[str, Any]  # for set_attributes: as typed ("213"), None for unknown
    clear: list[str]  # left empty: not filled in
    submitted: dict[str, Submitted]  # each field as sent, to show it again beside its error


def read_values(attributes: Sequence[Attribute], data: Mapping[str, Any]) -> SentValues:
    """What the panel's form says of each active attribute: `value-<key>`, `unknown-<key>`,
    and for words of the article `start-<key>` and `end-<key>`.

    Marked unknown: null. A checkbox (yes or no) is always an answer: unticked is "no". An
    empty field is cleared (not filled in). Words typed rather than pointed at in the text
    have no offsets. What the values mean is checked by set_attributes (InvalidValues).
    """
    values: dict[str, Any] = {}
    clear: list[str] = []
    submitted: dict[str, Submitted] = {}
    for attribute in attributes:
        key = attribute.key
        raw = data.get(f"value-{key}", "")
        unknown = bool(data.get(f"unknown-{key}"))
        start, end = data.get(f"start-{key}", ""), data.get(f"end-{key}", "")
        if attribute.type == AttributeType.BOOLEAN:
            sent = Submitted(bool(raw), unknown)
            values[key] = None if unknown else bool(raw)
        elif attribute.type == AttributeType.TEXT_REFERENCE:
            sent = Submitted(raw, unknown, start, end)
            if unknown:
                values[key] = None
            elif raw.strip():
                # Offsets as sent: clean_values checks them against the article.
                values[key] = {"text": raw, "start": start or None, "end": end or None}
            else:
                clear.append(key)
        else:
            sent = Submitted(raw, unknown)
            if unknown:
                values[key] = None
            elif raw.strip():
                values[key] = raw
            else:
                clear.append(key)
        submitted[key] = sent
    return SentValues(values, clear, submitted)


class SubmitForm(forms.Form):
    # Set by the page's "Submit without spans" confirmation (dialog or page).
    confirm_empty = forms.BooleanField(required=False)


class RelabelForm(SpanActionForm):
    label = forms.ModelChoiceField(
        queryset=Label.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("That label does not exist or is switched off.")},
    )


class AssignForm(forms.Form):
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.all(),
        error_messages={"required": _("Select at least one article.")},
    )
    analysts: "forms.ModelMultipleChoiceField[User]" = forms.ModelMultipleChoiceField(
        queryset=None, required=False
    )
    per_article = forms.IntegerField(min_value=1, max_value=20, required=False)
    # Shown unless the batch says otherwise: an agreement study runs unprimed.
    suggestions = forms.ChoiceField(
        choices=[("on", _("shown")), ("off", _("not shown (unprimed)"))],
        required=False,
        error_messages={"invalid_choice": _("Suggestions are either shown or not shown.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # self.fields holds a copy of each field declared above, typed as a plain Field.
        field = cast("forms.ModelMultipleChoiceField[User]", self.fields["analysts"])
        field.queryset = analysts()

    def clean_suggestions(self) -> bool:
        chosen: str = self.cleaned_data["suggestions"]
        return chosen != "off"  # left out: shown

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("analysts") and not data.get("per_article"):
            raise forms.ValidationError(_("Choose analysts, or a number of analysts per article."))
        return data


class TakeForm(forms.Form):
    article = forms.ModelChoiceField(
        queryset=Article.objects.all(),
        error_messages={"invalid_choice": _("That article does not exist.")},
    )


SORTS = {
    "new": ("-created_at", "-id"),
    "old": ("created_at", "id"),
    "title": ("title", "id"),
    "published": ("-published_at", "-id"),
}


class ArticleFilterForm(forms.Form):
    """The article list's GET parameters; bad values give a message, not a 500."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    published_from = forms.DateField(label=_("Published from"), required=False)
    published_to = forms.DateField(label=_("to"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *WorkStatus.choices], required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("new", _("Newest upload")),
            ("old", _("Oldest upload")),
            ("title", _("Title")),
            ("published", _("Publication date")),
        ],
    )
    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=100_000, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


MAX_CHOSEN = 200


# Generic only in django-stubs: ModelMultipleChoiceField[Label] would fail at run time.
class BoundedMultipleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A ModelMultipleChoiceField that refuses more than MAX_CHOSEN values before any query."""

    def clean(self, value: Any) -> "QuerySet[Any]":
        if value and len(value) > MAX_CHOSEN:
            raise forms.ValidationError(
                _("Choose at most %(n)d values here.") % {"n": MAX_CHOSEN}, code="too_many"
            )
        return super().clean(value)


class WorkFilterForm(forms.Form):
    """Filters on labelled work shared by the export and the agreement pages: labels,
    analysts, the articles' source and publication dates (from ≤ until)."""

    label = BoundedMultipleChoice(
        label=_("Labels (none chosen: all)"),
        queryset=Label.objects.order_by("order", "name"),
        to_field_name="name",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("There is no label named “%(value)s”.")},
    )
    analyst = BoundedMultipleChoice(
        label=_("Analysts (none chosen: all)"),
        queryset=analysts_with_work(),
        to_field_name="username",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        error_messages={"invalid_choice": _("There is no analyst named “%(value)s”.")},
    )
    source = forms.CharField(label=_("Article source"), max_length=200, required=False)
    published_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    published_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("published_from"), data.get("published_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The “published from” date is after the “published until” date."),
                code="dates",
            )
        return data
