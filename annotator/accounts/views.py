"""The accounts' pages: login (Django's, plus the stored language), the language switch, and
the administration pages for people (users, their roles, deactivating and reactivating).

Admins (the role, no Django staff rights needed) manage users here; the rules live in
`people`, which raises Refused (annotator.refusal answers it) when one is broken.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.refusal import valid_data

from . import history, people, tokens
from .authenticated import AuthenticatedHttpRequest
from .forms import ActiveForm, ApiTokenForm, EditUserForm, LanguageForm, LoginForm, NewUserForm
from .language import set_language_cookie, store_language, stored_language
from .models import ApiToken
from .roles import Role, has_role, role_required


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # The choice made on another browser applies here too, from this login on.
        language = stored_language(form.get_user())
        if language:
            set_language_cookie(response, language)
        return response


@login_not_required  # the login page has the switch too
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, remember it on the user, and go back to the page."""
    data = valid_data(LanguageForm(request.POST))
    back = data["next"]
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = resolve_url(settings.LOGIN_REDIRECT_URL)
    response = HttpResponseRedirect(back)
    set_language_cookie(response, data["language"])
    if request.user.is_authenticated:
        store_language(request.user, data["language"])
    return response


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (`request.POST or None` would treat an
    empty POST, a form of unticked boxes, as no submission at all)."""
    return request.POST if request.method == "POST" else None


@require_GET
@role_required(Role.ADMIN)
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = Prefetch(
        "groups", queryset=Group.objects.filter(name__in=Role.values), to_attr="role_groups"
    )
    users = get_user_model().objects.prefetch_related(roles).order_by("username")
    context = {
        "users": [(user, sorted(Role(g.name).label for g in user.role_groups)) for user in users],
        "changes": history.recent(get_user_model()),
    }
    return render(request, "accounts/users.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewUserForm(posted(request))
    if request.method == "GET":
        return render(request, "accounts/user_form.html", {"form": form})
    if not form.is_valid():
        return render(request, "accounts/user_form.html", {"form": form}, status=422)
    user = people.create(form.save(commit=False), form.cleaned_data["roles"], by=request.user)
    messages.success(request, _("Created %(name)s.") % {"name": user.get_username()})
    return redirect("users")


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def user_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    form = EditUserForm(posted(request), instance=user)
    context = {"form": form, "person": user}
    if request.method == "GET":
        return render(request, "accounts/user_form.html", context)
    if not form.is_valid():
        return render(request, "accounts/user_form.html", context, status=422)
    fields = history.changed_fields(form, exclude=["roles"])  # logged role by role
    people.update(form.save(commit=False), fields, form.cleaned_data["roles"], by=request.user)
    messages.success(request, _("Saved %(name)s.") % {"name": user.get_username()})
    return redirect("users")


@require_POST
@role_required(Role.ADMIN)
def user_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    active = valid_data(ActiveForm(request.POST))["active"]
    people.set_active(user, active, by=request.user)
    if active:
        messages.success(request, _("%(name)s can log in again.") % {"name": user.get_username()})
    else:
        message = _("%(name)s is deactivated: they can no longer log in.")
        messages.success(request, message % {"name": user.get_username()})
    return redirect("users")


@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Your API tokens: make one (its secret is shown on this answer only), revoke one.
    Admins also see everyone's tokens still in use, to revoke them."""
    form = ApiTokenForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            expires = timezone.now() + timedelta(days=data["days"]) if data["days"] else None
            _token, secret = tokens.create(request.user, data["name"], data["scope"], expires)
            form = ApiTokenForm()
        else:
            status = 422
    now = timezone.now()
    own = ApiToken.objects.filter(user=request.user).select_related("revoked_by")
    others = (
        ApiToken.objects.usable(now).exclude(user=request.user).select_related("user")
        if has_role(request.user, Role.ADMIN)
        else ApiToken.objects.none()
    )
    context = {"form": form, "secret": secret, "own": own, "others": others, "now": now}
    return render(request, "accounts/api_tokens.html", context, status=status)


@require_POST
def api_token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = tokens.revoke(pk, request.user)
    messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    return redirect("api_tokens")
