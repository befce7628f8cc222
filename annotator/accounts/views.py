"""The administration pages for people: users, their roles, deactivating and reactivating.

Admins (the role, no Django staff rights needed) manage users here; the rules live in
`people`, which raises Refused (annotator.refusal answers it) when one is broken.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.refusal import valid_data

from . import history, people
from .authenticated import AuthenticatedHttpRequest
from .forms import ActiveForm, EditUserForm, NewUserForm
from .roles import Role, role_required


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
