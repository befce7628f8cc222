from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from annotator.annotations.assignments import analysts_with_work
from annotator.annotations.forms import ActionForm
from annotator.annotations.models import Label
from annotator.articles.models import Article

from .decisions import Decision


class QueueFilterForm(forms.Form):
    analyst = forms.ModelChoiceField(
        label=_("Analyst"),
        queryset=analysts_with_work(),
        to_field_name="username",
        required=False,
        empty_label=_("Any analyst"),
        error_messages={"invalid_choice": _("There is no analyst with that name.")},
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        error_messages={"invalid_choice": _("No article comes from that source.")},
    )
    label = forms.ModelChoiceField(
        label=_("Label"),
        queryset=Label.objects.all(),
        required=False,
        empty_label=_("Any label"),
        error_messages={"invalid_choice": _("That label does not exist.")},
    )
    page = forms.IntegerField(
        label=_("Page"),
        min_value=1,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The page must be a number.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = Article.objects.sources()
        # self.fields holds a copy of each field declared above, typed as a plain Field.
        source = cast(forms.ChoiceField, self.fields["source"])
        source.choices = [("", _("Any source"))] + [(s, s) for s in sources]


class DecisionForm(ActionForm):
    decision = forms.ChoiceField(
        choices=Decision.choices,
        error_messages={
            "required": _("Say whether to approve, reject or relabel the span."),
            "invalid_choice": _("Say whether to approve, reject or relabel the span."),
        },
    )
    label = forms.ModelChoiceField(
        label=_("Label"),
        queryset=Label.objects.filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": _("That label does not exist or is switched off.")},
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == Decision.RELABEL and not data.get("label"):
            self.add_error("label", _("Choose the label the span should have."))
        return data


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the analyst"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Write a comment so the analyst knows what to change."),
        },
    )
