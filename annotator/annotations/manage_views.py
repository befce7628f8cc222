"""The administration pages for labels, their attributes and the workflow, and their
overview (/manage/).

Admins (the role, no Django staff rights needed) manage the project here; every change is
written to the same history as the Django admin's (annotator.accounts.history).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotator.accounts import history
from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import Role, export_roles, role_required
from annotator.accounts.views import posted
from annotator.refusal import Refused, valid_data

from . import labels
from .attributes import Attribute, AttributeChoice
from .manage_forms import (
    ActiveForm,
    AttributeForm,
    ChoiceForm,
    ConfirmDeleteForm,
    LabelForm,
    SwitchForm,
    WorkflowForm,
)
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
    # The attributes are counted in a subquery: a second join would multiply the spans.
    n_attributes = (
        Attribute.objects.filter(label=OuterRef("pk"))
        .order_by()
        .values("label")
        .annotate(n=Count("*"))
        .values("n")
    )
    context = {
        "labels": Label.objects.annotate(
            n_spans=Count("spans"),
            n_attributes=Coalesce(Subquery(n_attributes, output_field=IntegerField()), 0),
        ).order_by("order", "name"),
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


# --- A label's attributes and their choices -------------------------------------------------
#
# Plain forms like the label's. A refusal found when saving (the database's, after a race)
# is shown in the form like its other errors, with 422: the person is filling it in.


@require_GET
@role_required(Role.ADMIN)
def attribute_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    label = get_object_or_404(Label, pk=pk)
    attributes = (
        labels.with_use(label.attributes.all())
        .select_related("not_below")
        .prefetch_related("choices")
    )
    context = {"label": label, "attributes": attributes, "changes": labels.label_history(label)}
    return render(request, "annotations/manage/attributes.html", context)


def _attribute_page(
    request: AuthenticatedHttpRequest,
    attribute: Attribute,
    form: AttributeForm,
    choice_form: ChoiceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The attribute's form, with its choices (for a choice attribute) and a form to add one."""
    choices = None
    if attribute.pk and attribute.type == Attribute.Type.CHOICE:
        choices = list(attribute.choices.annotate(in_use=labels.choice_use()))
        if choice_form is None:
            initial = {"order": max((c.order for c in choices), default=-1) + 1}
            choice_form = ChoiceForm(prefix="choice", attribute=attribute, initial=initial)
    context = {
        "label": attribute.label,
        "attribute": attribute if attribute.pk else None,
        "form": form,
        "choices": choices,
        "choice_form": choice_form,
        "changes": labels.label_history(attribute.label) if attribute.pk else [],
    }
    return render(request, "annotations/manage/attribute_form.html", context, status=status)


def _save_attribute(request: AuthenticatedHttpRequest, form: AttributeForm) -> HttpResponse | None:
    """The redirect after saving a valid form; None (the errors in the form) if refused."""
    if not form.is_valid():
        return None
    try:
        saved = labels.save_attribute(
            form.save(commit=False), history.changed_fields(form), by=request.user
        )
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return None
    messages.success(request, _("Saved the attribute “%(name)s”.") % {"name": saved.display_name})
    if saved.type == Attribute.Type.CHOICE and not saved.choices.exists():
        messages.info(request, _("Add its choices below."))
        return redirect("annotations:attribute_edit", saved.pk)
    return redirect("annotations:attributes", saved.label_id)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def attribute_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    label = get_object_or_404(Label, pk=pk)
    last = label.attributes.order_by("-order").values_list("order", flat=True).first()
    initial = {"order": 0 if last is None else last + 1}
    form = AttributeForm(posted(request), label=label, initial=initial)
    if request.method == "POST":
        if (done := _save_attribute(request, form)) is not None:
            return done
        return _attribute_page(request, form.instance, form, status=422)
    return _attribute_page(request, form.instance, form)


def _get_attribute(pk: int) -> Attribute:
    attributes = labels.with_use(Attribute.objects.select_related("label"))
    return get_object_or_404(attributes, pk=pk)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def attribute_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attribute = _get_attribute(pk)
    in_use = attribute.in_use  # type: ignore[attr-defined]  # annotated by with_use
    form = AttributeForm(posted(request), instance=attribute, label=attribute.label, in_use=in_use)
    if request.method == "POST":
        if (done := _save_attribute(request, form)) is not None:
            return done
        # The page shows the attribute as stored, the form what was sent.
        return _attribute_page(request, _get_attribute(pk), form, status=422)
    return _attribute_page(request, attribute, form)


@require_POST
@role_required(Role.ADMIN)
def attribute_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attribute = get_object_or_404(Attribute.objects.select_related("label"), pk=pk)
    active = valid_data(SwitchForm(request.POST))["active"]
    labels.set_attribute_active(attribute, active, by=request.user)
    if active:
        message = _("“%(name)s” is switched on: analysts fill it in again.")
    else:
        message = _(
            "“%(name)s” is switched off: analysts no longer see it; the values stored stay."
        )
    messages.success(request, message % {"name": attribute.display_name})
    return redirect("annotations:attributes", attribute.label_id)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def attribute_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attribute = _get_attribute(pk)
    if request.method == "POST":
        valid_data(ConfirmDeleteForm(request.POST))
        labels.delete_attribute(attribute, by=request.user)
        messages.success(
            request, _("Deleted the attribute “%(name)s”.") % {"name": attribute.display_name}
        )
        return redirect("annotations:attributes", attribute.label_id)
    context = {
        "label": attribute.label,
        "attribute": attribute,
        "target": attribute,
        "in_use": attribute.in_use,  # type: ignore[attr-defined]
        "delete_url": reverse("annotations:attribute_delete", args=[attribute.pk]),
        "switch_url": reverse("annotations:attribute_active", args=[attribute.pk]),
        "back_url": reverse("annotations:attributes", args=[attribute.label_id]),
    }
    return render(request, "annotations/manage/confirm_delete.html", context)


def _get_choice(pk: int) -> AttributeChoice:
    choices = AttributeChoice.objects.select_related("attribute__label").annotate(
        in_use=labels.choice_use()
    )
    return get_object_or_404(choices, pk=pk)


@require_POST
@role_required(Role.ADMIN)
def choice_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    attribute = _get_attribute(pk)
    if attribute.type != Attribute.Type.CHOICE:
        raise Refused(_("Only a choice attribute has choices."), status=409)
    form = ChoiceForm(request.POST, prefix="choice", attribute=attribute)
    if form.is_valid():
        try:
            choice = labels.save_choice(
                form.save(commit=False), history.changed_fields(form), by=request.user
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            message = _("Added the choice “%(name)s”.") % {"name": choice.display_name}
            messages.success(request, message)
            return redirect("annotations:attribute_edit", attribute.pk)
    in_use = attribute.in_use  # type: ignore[attr-defined]
    attribute_form = AttributeForm(instance=attribute, label=attribute.label, in_use=in_use)
    return _attribute_page(request, attribute, attribute_form, form, status=422)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def choice_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    choice = _get_choice(pk)
    attribute = choice.attribute
    in_use = choice.in_use  # type: ignore[attr-defined]
    form = ChoiceForm(posted(request), instance=choice, attribute=attribute, in_use=in_use)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = labels.save_choice(
                    form.save(commit=False), history.changed_fields(form), by=request.user
                )
            except Refused as refusal:
                form.add_error(None, refusal.message)
            else:
                message = _("Saved the choice “%(name)s”.") % {"name": saved.display_name}
                messages.success(request, message)
                return redirect("annotations:attribute_edit", attribute.pk)
        status = 422
        choice = _get_choice(pk)  # as stored, for the heading
    context = {"label": attribute.label, "attribute": attribute, "choice": choice, "form": form}
    return render(request, "annotations/manage/choice_form.html", context, status=status)


@require_POST
@role_required(Role.ADMIN)
def choice_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    choice = _get_choice(pk)
    active = valid_data(SwitchForm(request.POST))["active"]
    labels.set_choice_active(choice, active, by=request.user)
    if active:
        message = _("The choice “%(name)s” is switched on: analysts may pick it again.")
    else:
        message = _(
            "The choice “%(name)s” is switched off: analysts no longer see it; the values "
            "stored stay."
        )
    messages.success(request, message % {"name": choice.display_name})
    return redirect("annotations:attribute_edit", choice.attribute_id)


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def choice_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    choice = _get_choice(pk)
    back = reverse("annotations:attribute_edit", args=[choice.attribute_id])
    if request.method == "POST":
        valid_data(ConfirmDeleteForm(request.POST))
        labels.delete_choice(choice, by=request.user)
        messages.success(
            request, _("Deleted the choice “%(name)s”.") % {"name": choice.display_name}
        )
        return redirect(back)
    context = {
        "label": choice.attribute.label,
        "attribute": choice.attribute,
        "choice": choice,
        "target": choice,
        "in_use": choice.in_use,  # type: ignore[attr-defined]
        "delete_url": reverse("annotations:choice_delete", args=[choice.pk]),
        "switch_url": reverse("annotations:choice_active", args=[choice.pk]),
        "back_url": back,
    }
    return render(request, "annotations/manage/confirm_delete.html", context)
