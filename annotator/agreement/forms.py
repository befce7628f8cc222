from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from annotator.annotations.assignments import analysts_with_work
from annotator.annotations.forms import BoundedMultipleChoice
from annotator.annotations.models import Assignment, Label

from .corpus import Selection


class AgreementForm(forms.Form):
    """The agreement page's filters, from the query string; none: all handed-in work."""

    status = forms.MultipleChoiceField(
        label=_("Work status (none chosen: submitted or approved)"),
        choices=Assignment.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
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

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(
            statuses=tuple(sorted(data["status"])) or tuple(Assignment.HANDED_IN),
            label_ids=tuple(sorted(label.pk for label in data["label"])),
            analyst_ids=tuple(sorted(user.pk for user in data["analyst"])),
            source=data["source"].strip(),
            published_from=data["published_from"],
            published_to=data["published_to"],
        )
