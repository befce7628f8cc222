"""The administration pages for labels and the workflow, and their overview (/manage/).

Admins (the role, no Django staff rights needed) manage the project here; every change is
written to the same history as the Django admin's (annotator.accounts.history).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.accounts import history
from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import Role, export_roles, role_required
from annotator.accounts.views import posted
from annotator.refusal import valid_data

from . import labels
from .forms import ActiveForm, LabelForm, WorkflowForm
from .models import Label, Workflow


@require_GET
@role_required(Role.ADMIN)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    changes = history.recent(Label, Workflow, get_user_model())
    return render(request, "manage/overview.html", {"changes": changes})


@require_GET
@role_required(Role.ADMIN)
def label_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Every span row counts, deleted ones too: they still point at the label. The order is
    # explicit: a query that groups rows ignores Meta.ordering.
    context = {
        "labels": Label.objects.annotate(n_spans=Count("spans")).order_by("order", "name"),
        "changes": history.recent(Label),
    }
    return render(request, "annotations/manage/labels.html", context)


def _label_form(
    request: AuthenticatedHttpRequest, form: LabelForm, label: Label | None
) -> HttpResponse:
    if request.method == "POST":
        if form.is_valid():
            fields = history.changed_fields(form)
            saved = labels.save_label(form.save(commit=False), fields, by=request.user)
            messages.success(request, _("Saved the label “%(name)s”.") % {"name": saved.name})
            return redirect("annotations:labels")
        status = 422
    else:
        status = 200
    context = {"form": form, "label": label}
    return render(request, "annotations/manage/label_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def label_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    next_order = (Label.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = LabelForm(posted(request), initial={"order": next_order})
    return _label_form(request, form, None)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def label_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    label = get_object_or_404(Label, pk=pk)
    return _label_form(request, LabelForm(posted(request), instance=label), label)


@require_POST
@role_required(Role.ADMIN)
def label_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    label = get_object_or_404(Label, pk=pk)
    active = valid_data(ActiveForm(request.POST))["active"]
    labels.set_label_active(label, active, by=request.user)
    if active:
        message = _("“%(name)s” is switched on: analysts can use it again.")
    else:
        message = _("“%(name)s” is switched off: analysts no longer see it; its spans stay.")
    messages.success(request, message % {"name": label.name})
    return redirect("annotations:labels")


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def workflow(request: AuthenticatedHttpRequest) -> HttpResponse:
    # Not Workflow.current(): looking at the page must not write the row.
    current = Workflow.objects.filter(pk=1).first() or Workflow(pk=1)
    form = WorkflowForm(posted(request), instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = history.changed_fields(form)
            labels.save_workflow(form.save(commit=False), fields, by=request.user)
            messages.success(request, _("Saved the workflow settings."))
            return redirect("annotations:workflow")
        status = 422
    context = {
        "form": form,
        "changes": history.recent(Workflow),
        # Set in the server's environment, shown so that admins know them.
        "lease_minutes": settings.REVIEW_LEASE_MINUTES,
        "export_roles": [role.label for role in export_roles()],
    }
    return render(request, "annotations/manage/workflow.html", context, status=status)
