"""The forms of the administration pages (/manage/): labels, their attributes and choices,
and the workflow."""

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .attributes import (
    INT_MAX,
    INT_MIN,
    KEY_PATTERN,
    MAX_TEXT_LENGTH,
    Attribute,
    AttributeChoice,
    AttributeType,
)
from .forms import ASCII_INTEGER
from .labels import NO_ACTIVE_CHOICE
from .models import Label, Workflow

# --- The administration pages: labels and the workflow --------------------------------------


class LabelForm(forms.ModelForm):  # type: ignore[type-arg]  # generic only in django-stubs
    class Meta:
        model = Label
        fields = ["name", "description", "color", "key", "order", "is_active", "suggest"]
        help_texts = {
            "description": _("Shown to analysts as the label's tooltip on the annotation page."),
            "key": _("A digit from 1 to 9: pressing it tags the selection with this label."),
            "order": _("Labels are listed by this number, then by name."),
            "is_active": _("Switched-off labels are no longer offered to analysts."),
            "suggest": _(
                "Analysts see the suggestions of this label (built-in rules, a model’s "
                "predictions) where their work shows suggestions."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "key": forms.TextInput(attrs={"inputmode": "numeric", "size": 2}),
        }
        error_messages = {"key": {"max_length": _("The key is a single digit from 1 to 9.")}}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        # Two labels differing only in capitals would look like one (label_name_ci_unique).
        if Label.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("A label named “%(name)s” already exists: choose another name, or edit it."),
                params={"name": name},
                code="unique",
            )
        return name

    def clean_key(self) -> str:
        key: str = self.cleaned_data["key"]
        if not re.fullmatch(r"[1-9]", key):
            raise forms.ValidationError(_("The key is a single digit from 1 to 9."), code="invalid")
        return key

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("is_active") and data.get("key"):
            taken = (
                Label.objects.filter(is_active=True, key=data["key"])
                .exclude(pk=self.instance.pk)
                .first()
            )
            if taken is not None:
                self.add_error(
                    "key",
                    _(
                        "The active label “%(name)s” already uses the key %(key)s: choose "
                        "another key, or switch that label off first."
                    )
                    % {"name": taken.name, "key": data["key"]},
                )
        return data


class WorkflowForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Workflow
        fields = ["self_assignment"]
        help_texts = {
            "self_assignment": _(
                "On: analysts take any article from the list themselves. Off: only admins "
                "assign articles."
            )
        }


class ActiveForm(forms.Form):
    """The switch-off / switch-on buttons: which of the two was pressed."""

    active = forms.TypedChoiceField(
        choices=[("1", _("Switch on")), ("0", _("Switch off"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Say whether to switch the label off or on.")},
    )


# --- The administration pages: a label's attributes and their choices ------------------------


class FocusFirstError:
    """Mixin for a form: its first field with an error (in the fields' order) gets
    `autofocus`, so that the page opens there, whichever check found the error."""

    fields: dict[str, forms.Field]

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        errors = self.errors  # type: ignore[attr-defined]
        first = next((name for name in self.fields if name in errors), None)
        for name, form_field in self.fields.items():
            if name == first:
                form_field.widget.attrs["autofocus"] = True
            else:
                form_field.widget.attrs.pop("autofocus", None)


class WholeNumberField(forms.IntegerField):
    """A PostgreSQL integer written with the ASCII digits (int() also takes "٣" and "３"),
    and its bounds said in words."""

    def __init__(
        self,
        *,
        min_value: int = INT_MIN,
        max_value: int = INT_MAX,
        outside: Any = None,
        **kwargs: Any,
    ) -> None:
        """`outside`: what to say of a number beyond the bounds (%(min)d, %(max)d)."""
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)
        outside = outside or _("Beyond the numbers that can be stored (%(min)d to %(max)d).")
        beyond = outside % {"min": min_value, "max": max_value}
        self.error_messages = {
            **self.error_messages,
            "invalid": _("Write a whole number with the digits 0 to 9, such as 12 or -3."),
            "min_value": beyond,
            "max_value": beyond,
        }

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str) and value.strip():
            text = value.strip()
            if not ASCII_INTEGER.fullmatch(text):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if len(text) > 20:  # longer than any bound: said as such, not int()'s own limit
                text = str(INT_MAX + 1) if not text.startswith("-") else str(INT_MIN - 1)
            return int(text)
        return super().to_python(value)


KEY_RULE = _(
    "The key starts with a lowercase letter, followed by up to 39 lowercase letters, digits "
    "or _ (such as casualty_kind): it names the value in the exports."
)


def _key(value: str) -> str:
    if not re.fullmatch(KEY_PATTERN, value):
        raise forms.ValidationError(KEY_RULE, code="invalid")
    return value


class AttributeForm(FocusFirstError, forms.ModelForm):  # type: ignore[type-arg]
    """An attribute of `label`. `in_use` (labels.with_use): its key and type stay."""

    order = WholeNumberField(
        label=_("Order"),
        min_value=0,
        max_value=32767,
        initial=0,
        outside=_("The order is a number from %(min)d to %(max)d."),
    )
    min_value = WholeNumberField(label=_("Smallest value"), required=False)
    max_value = WholeNumberField(label=_("Largest value"), required=False)
    max_length = WholeNumberField(
        label=_("Longest text"),
        min_value=1,
        max_value=MAX_TEXT_LENGTH,
        initial=200,
        outside=_("The longest text is from %(min)d to %(max)d characters."),
    )

    class Meta:
        model = Attribute
        fields = [
            "key",
            "type",
            "name",
            "name_fr",
            "help_text",
            "help_text_fr",
            "required",
            "order",
            "min_value",
            "max_value",
            "not_below",
            "max_length",
        ]
        help_texts = {
            "key": KEY_RULE,
            "type": _("Fixed once spans hold a value for the attribute."),
            "name": _("Shown to analysts on the annotation page."),
            "name_fr": _("Shown instead of the name when the interface is in French."),
            "help_text": _("A short explanation shown beside the field."),
            "required": _(
                "A span of this label cannot be submitted without a value (“unknown” counts)."
            ),
            "not_below": _(
                "Whole numbers only: this value may not be below that one's (max ≥ min)."
            ),
        }
        widgets = {
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "help_text_fr": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"not_below": _("Not below")}

    def __init__(self, *args: Any, label: Label, in_use: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label, self.in_use = label, in_use
        self.instance.label = label
        self.fields["max_length"].help_text = _(
            "Text and words of the article: at most this many characters (1 to %(max)d)."
        ) % {"max": MAX_TEXT_LENGTH}
        self.fields["min_value"].help_text = _("Whole numbers only; empty: no bound.")
        self.fields["max_value"].help_text = _("Whole numbers only; empty: no bound.")
        not_below = cast("forms.ModelChoiceField[Attribute]", self.fields["not_below"])
        not_below.queryset = label.attributes.filter(type=AttributeType.INTEGER).exclude(
            pk=self.instance.pk
        )
        not_below.error_messages["invalid_choice"] = _(
            "“Not below” names another whole-number attribute of this label."
        )
        not_below.label_from_instance = lambda a: f"{a.display_name} ({a.key})"  # type: ignore[method-assign,assignment]
        if in_use:
            why = _("Fixed: spans (or their history) hold values for this attribute.")
            self.fields["key"].help_text = self.fields["type"].help_text = why
            self.fields["key"].widget.attrs["readonly"] = True

    def clean_key(self) -> str:
        key = _key(self.cleaned_data["key"])
        if self.in_use and key != self.instance.key:
            raise forms.ValidationError(
                _(
                    "Spans (or their history) hold values for this attribute under the key "
                    "“%(key)s”: the key stays. Switch the attribute off and add another one."
                ),
                params={"key": self.instance.key},
                code="in_use",
            )
        taken = self.label.attributes.filter(key=key).exclude(pk=self.instance.pk).first()
        if taken is not None:
            if taken.is_active:
                message = _("The attribute “%(name)s” of this label already has the key “%(key)s”.")
            else:
                message = _(
                    "The switched-off attribute “%(name)s” of this label already has the key "
                    "“%(key)s”: switch it on again, or choose another key."
                )
            raise forms.ValidationError(
                message, params={"name": taken.display_name, "key": key}, code="unique"
            )
        return key

    def clean_type(self) -> str:
        kind: str = self.cleaned_data["type"]
        instance = self.instance
        if instance.pk is None or kind == instance.type:
            return kind
        if self.in_use:
            raise forms.ValidationError(
                _(
                    "Spans (or their history) hold values of this attribute: its type stays. "
                    "Switch it off and add another attribute."
                ),
                code="in_use",
            )
        if instance.type == AttributeType.CHOICE and instance.choices.exists():
            raise forms.ValidationError(
                _("It has choices: delete them first, then change its type."), code="choices"
            )
        above = Attribute.objects.filter(not_below=instance).first()
        if above is not None:
            raise forms.ValidationError(
                _("“%(name)s” may not be below this one, so it stays a whole number."),
                params={"name": above.display_name},
                code="not_below",
            )
        return kind

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("type")
        low, high, not_below = data.get("min_value"), data.get("max_value"), data.get("not_below")
        if kind and kind != AttributeType.INTEGER:
            only = _("Only a whole-number attribute has this setting: clear it.")
            for name in ("min_value", "max_value", "not_below"):
                if data.get(name) is not None:
                    self.add_error(name, only)
        elif low is not None and high is not None and low > high:
            self.add_error(
                "max_value",
                _("The largest value (%(max)d) is below the smallest (%(min)d).")
                % {"max": high, "min": low},
            )
        if not_below is not None and self.instance.pk is not None:
            seen = {self.instance.pk}
            step: Attribute | None = not_below
            while step is not None and step.pk not in seen:
                seen.add(step.pk)
                step = step.not_below
            if step is not None:  # back to this attribute: each would be below the other
                self.add_error(
                    "not_below",
                    _("“%(name)s” is already not below this one (directly or through others).")
                    % {"name": not_below.display_name},
                )
        if data.get("required") and kind == AttributeType.CHOICE:
            active = self.instance.pk and self.instance.choices.filter(is_active=True).exists()
            if not active:
                self.add_error(
                    "required", NO_ACTIVE_CHOICE % {"name": data.get("name") or data.get("key")}
                )
        return data


class ChoiceForm(FocusFirstError, forms.ModelForm):  # type: ignore[type-arg]
    """A choice of a choice attribute. `in_use` (labels.choice_use): its key stays."""

    order = WholeNumberField(
        label=_("Order"),
        min_value=0,
        max_value=32767,
        initial=0,
        outside=_("The order is a number from %(min)d to %(max)d."),
    )

    class Meta:
        model = AttributeChoice
        fields = ["key", "name", "name_fr", "order"]
        help_texts = {
            "key": KEY_RULE,
            "name_fr": _("Shown instead of the name when the interface is in French."),
        }

    def __init__(
        self, *args: Any, attribute: Attribute, in_use: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attribute, self.in_use = attribute, in_use
        self.instance.attribute = attribute
        if in_use:
            self.fields["key"].help_text = _("Fixed: spans (or their history) hold this choice.")
            self.fields["key"].widget.attrs["readonly"] = True

    def clean_key(self) -> str:
        key = _key(self.cleaned_data["key"])
        if self.in_use and key != self.instance.key:
            raise forms.ValidationError(
                _("Spans (or their history) hold this choice as “%(key)s”: the key stays."),
                params={"key": self.instance.key},
                code="in_use",
            )
        taken = self.attribute.choices.filter(key=key).exclude(pk=self.instance.pk).first()
        if taken is not None:
            if taken.is_active:
                message = _("The choice “%(name)s” already has the key “%(key)s”.")
            else:
                message = _(
                    "The switched-off choice “%(name)s” already has the key “%(key)s”: switch "
                    "it on again, or choose another key."
                )
            raise forms.ValidationError(
                message, params={"name": taken.display_name, "key": key}, code="unique"
            )
        return key


class SwitchForm(ActiveForm):
    """The switch-off / switch-on buttons of an attribute or a choice."""

    active = forms.TypedChoiceField(
        choices=[("1", _("Switch on")), ("0", _("Switch off"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Say whether to switch it off or on.")},
    )


class ConfirmDeleteForm(forms.Form):
    """The confirmation page's button: without it, nothing is deleted."""

    confirm = forms.BooleanField(
        error_messages={"required": _("Confirm the deletion on its page: nothing was deleted.")}
    )
