from hashlib import sha256
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .roles import Role


def roles_field() -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        coerce=Role,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A user may hold several roles, or none (then they can only log in)."),
    )


class LoginForm(AuthenticationForm):
    """Django's login form, whose username is bounded before anything stores or looks it up."""

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        longest = self.username_field.max_length or 150
        if len(username) <= longest:
            return username
        # No account has so long a name, and axes' table holds 255 characters (a longer one
        # answered 500). It still counts as a failed login, of a key that fits the table and
        # can be nobody's name: longer than any username, the rest of it hashed.
        return f"{username[:longest]}~{sha256(username.encode()).hexdigest()}"


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The Django admin's login (/admin/login/, open to anyone), bounded the same way."""


class NewUserForm(UserCreationForm):  # type: ignore[type-arg]  # generic only in django-stubs
    """Username, optional name and email, the first password (twice), and the roles.

    The admin chooses the password and tells the person: Django's password validators
    check it, as they check `create_user`'s.
    """

    roles = roles_field()

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "last_name", "email")


class EditUserForm(forms.ModelForm):  # type: ignore[type-arg]
    roles = roles_field()

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        held = self.instance.groups.filter(name__in=Role.values).values_list("name", flat=True)
        self.fields["roles"].initial = list(held)


class ActiveForm(forms.Form):
    """The deactivate / reactivate buttons: which of the two was pressed."""

    active = forms.TypedChoiceField(
        choices=[("1", _("Reactivate")), ("0", _("Deactivate"))],
        coerce=lambda value: value == "1",
        error_messages={"required": _("Say whether to deactivate or reactivate.")},
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose English or French.")},
    )
    next = forms.CharField(required=False)


class ApiTokenForm(forms.Form):
    """A new API token: a name to recognise it, its scope, and how long it lasts."""

    name = forms.CharField(label=_("Name"), max_length=100, strip=True)
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices)
    days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Empty: it lasts until you revoke it."),
    )
