from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from annotator.annotations.assignments import analysts_with_work
from annotator.annotations.forms import MAX_ID, MAX_OFFSET, ActionForm, BoundsForm, OffsetField
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


class ReviewSpanForm(BoundsForm):
    """A span the reviewer adds, or draws again in place of one of the analyst's (corrects).

    Offsets are code points into the stored text; whether they fit it is checked by
    decisions.add_span on the row it locks. `text` is what the page showed there (empty
    when typed by hand without JavaScript).
    """

    label = forms.ModelChoiceField(
        label=_("Label"),
        queryset=Label.objects.filter(is_active=True),
        error_messages={
            "required": _("Choose the span's label."),
            "invalid_choice": _("That label does not exist or is switched off."),
        },
    )
    start = OffsetField(
        min_value=0,
        max_value=MAX_OFFSET,
        error_messages={
            "required": _("Say where the span starts: select text in the article."),
            "min_value": _("The span must start inside the article."),
        },
    )
    end = OffsetField(
        min_value=1,
        max_value=MAX_OFFSET,
        error_messages={
            "required": _("Say where the span ends: select text in the article."),
            "min_value": _("A span must cover at least one character."),
        },
    )
    text = forms.CharField(strip=False, max_length=1_000_000, required=False)
    corrects = OffsetField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        error_messages={"invalid": _("Choose the span to correct from the list.")},
    )
    reason = forms.CharField(required=False, max_length=2000)
