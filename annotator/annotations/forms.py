import re

from django import forms
from django.utils.translation import gettext_lazy as _

from annotator.articles.models import Article

from .assignments import analysts
from .models import Label

MAX_OFFSET = 2**31 - 1  # the columns are PostgreSQL integers
ASCII_INTEGER = re.compile(r"-?[0-9]+")


class OffsetField(forms.IntegerField):
    """An integer written with ASCII digits only: int() would accept "١٢" or "１２"."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not ASCII_INTEGER.fullmatch(value.strip()):
            raise forms.ValidationError(
                _("Offsets are whole numbers written with the digits 0 to 9."), code="invalid"
            )
        return super().to_python(value)


class ActionForm(forms.Form):
    """A client-generated id per key press or click: a retried request is applied once."""

    action_id = forms.UUIDField(required=False)


class SpanForm(ActionForm):
    label = forms.ModelChoiceField(
        queryset=Label.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("That label does not exist or is switched off.")},
    )
    start = OffsetField(min_value=0, max_value=MAX_OFFSET)
    end = OffsetField(min_value=1, max_value=MAX_OFFSET)
    text = forms.CharField(strip=False, max_length=1_000_000)

    def clean(self):
        # Whether the span fits the article and matches its text is checked by
        # spans.create_span, on the article row it locks.
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and start >= end:
            raise forms.ValidationError(_("A span must cover at least one character."))
        return data


class RelabelForm(ActionForm):
    label = forms.ModelChoiceField(
        queryset=Label.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("That label does not exist or is switched off.")},
    )


class AssignForm(forms.Form):
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.all(),
        error_messages={"required": _("Select at least one article.")},
    )
    analysts = forms.ModelMultipleChoiceField(queryset=None, required=False)
    per_article = forms.IntegerField(min_value=1, max_value=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["analysts"].queryset = analysts()

    def clean(self):
        data = super().clean()
        if not data.get("analysts") and not data.get("per_article"):
            raise forms.ValidationError(_("Choose analysts, or a number of analysts per article."))
        return data


class TakeForm(forms.Form):
    article = forms.ModelChoiceField(queryset=Article.objects.all())
