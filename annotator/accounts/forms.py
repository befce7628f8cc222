from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose English or French.")},
    )
    next = forms.CharField(required=False)
