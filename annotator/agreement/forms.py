from django import forms
from django.utils.translation import gettext_lazy as _

from annotator.annotations.forms import WorkFilterForm
from annotator.annotations.models import Assignment

from .corpus import Selection


class AgreementForm(WorkFilterForm):
    """The agreement page's filters, from the query string; none: all handed-in work."""

    field_order = ["status", "label", "analyst", "source", "published_from", "published_to"]

    status = forms.MultipleChoiceField(
        label=_("Work status (none chosen: submitted or approved)"),
        choices=Assignment.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

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
