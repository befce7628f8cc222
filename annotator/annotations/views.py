from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotator.accounts.roles import Role, role_required
from annotator.articles.models import sentence_bounds

from . import assignments, spans
from .forms import ActionForm, AssignForm, RelabelForm, SpanForm, TakeForm
from .models import Assignment, Label, Span
from .rendering import ShownLabel, ShownSpan, layout, row_change, units_touching


def own_assignment(user, assignment_id):
    """The user's own assignment with its article; 404 for anyone else's."""
    return get_object_or_404(
        Assignment.objects.select_related("article"), pk=assignment_id, analyst=user
    )


def live_spans(assignment):
    """The live spans as the page shows them, in page order.

    Tuples of the shown fields: building 300 Span and Label objects was a sixth of the
    page's time.
    """
    rows = (
        Span.objects.filter(assignment=assignment, deleted_at__isnull=True)
        .order_by("start", "end", "id")
        .values_list("id", "start", "end", "text", "label__name", "label__color")
    )
    return [ShownSpan(*row[:4], ShownLabel(*row[4:])) for row in rows]


@require_GET
@role_required(Role.ANALYST)
def queue(request):
    mine = (
        Assignment.objects.filter(analyst=request.user)
        .select_related("article")
        .only(
            "id",
            "status",
            "return_comment",
            "created_at",
            "submitted_at",
            "article__id",
            "article__title",
            "article__source",
        )
        .annotate(n_spans=Count("spans", filter=Q(spans__deleted_at__isnull=True)))
        .order_by("created_at", "id")
    )
    mine = list(mine)
    done = sum(1 for a in mine if not a.is_editable)
    context = {"assignments": mine, "done": done, "total": len(mine)}
    return render(request, "annotations/queue.html", context)


@require_GET
@role_required(Role.ANALYST)
def next_article(request):
    assignment = assignments.next_assignment(request.user)
    if assignment is None:
        messages.info(request, _("Nothing left to annotate. Take an article from the list."))
        return redirect("annotations:queue")
    return redirect("annotations:annotate", assignment.pk)


@require_POST
@role_required(Role.ANALYST)
def take(request):
    form = TakeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That article does not exist."))
        return redirect("articles:list")
    try:
        assignment = assignments.take(form.cleaned_data["article"], request.user)
    except spans.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("articles:list")
    return redirect("annotations:annotate", assignment.pk)


@require_POST
@role_required(Role.ADMIN)
def assign(request):
    form = AssignForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("articles:list")
    article_ids = [a.pk for a in form.cleaned_data["articles"]]
    if form.cleaned_data.get("per_article"):
        count = assignments.assign_per_article(
            article_ids, form.cleaned_data["per_article"], request.user
        )
    else:
        analyst_ids = [u.pk for u in form.cleaned_data["analysts"]]
        count = assignments.assign(article_ids, analyst_ids, request.user)
    messages.success(request, _("%(n)d new assignments.") % {"n": count})
    return redirect("articles:list")


@require_GET
@role_required(Role.ANALYST)
def annotate(request, assignment_id):
    assignment = own_assignment(request.user, assignment_id)
    article = assignment.article
    span_list = live_spans(assignment)
    sentences = sentence_bounds(article)
    context = {
        "assignment": assignment,
        "article": article,
        "lines": layout(article.text, sentences, span_list),
        "spans": span_list,
        "span_count": len(span_list),
        "labels": list(Label.objects.filter(is_active=True)),
    }
    return render(request, "annotations/annotate.html", context)


def changes(request, assignment, ranges, *, message="", status=200, row=None):
    """The fragments an action changes: touched sentences, the span list, the message.

    `assignment` comes from the service that made the change (locked, article loaded); with
    no ranges (a refusal) only its pk is used. `row` = (how, span id) when exactly one row
    of the span list changed ("added", "removed", "replaced"): only that row is sent, not
    the whole list (300 rows on a long article, re-rendered on every key press).
    """
    if not request.htmx:
        if message:
            (messages.error if status >= 400 else messages.info)(request, message)
        return redirect("annotations:annotate", assignment.pk)
    context = {
        "assignment": assignment,
        "message": message,
        "is_error": status >= 400,
        "swap_oob": True,
    }
    if ranges:
        span_list = live_spans(assignment)
        sentences = sentence_bounds(assignment.article)
        context["units"] = units_touching(assignment.article.text, sentences, span_list, ranges)
        context["span_count"] = len(span_list)
        if row is None:
            context.update(spans=span_list, show_list=True)
        else:
            context["row"] = row_change(*row, span_list)
    return render(request, "annotations/changes.html", context, status=status)


def refusal(request, assignment_id, error):
    assignment = Assignment(pk=assignment_id)
    return changes(request, assignment, [], message=str(error), status=error.status)


def form_error(request, assignment_id, form):
    # Someone else's assignment is a 404 whatever the form says.
    own_assignment(request.user, assignment_id)
    errors = [e for errors in form.errors.values() for e in errors]
    return changes(request, Assignment(pk=assignment_id), [], message=" ".join(errors), status=422)


# The span views below do not load the assignment themselves: the service locks it (404 for
# someone else's) and hands it back on the span it returns, so each request reads it once.


@require_POST
@role_required(Role.ANALYST)
def span_create(request, assignment_id):
    form = SpanForm(request.POST)
    if not form.is_valid():
        return form_error(request, assignment_id, form)
    data = form.cleaned_data
    try:
        span, created = spans.create_span(
            assignment_id,
            request.user,
            label=data["label"],
            start=data["start"],
            end=data["end"],
            text=data["text"],
            action_id=data["action_id"],
        )
    except spans.Refused as error:
        return refusal(request, assignment_id, error)
    ranges = [(span.start, span.end)]
    if not created:  # a repeat, or a retry whose answer was lost: send the whole list
        return changes(request, span.assignment, ranges, message=_("That span was already tagged."))
    return changes(request, span.assignment, ranges, row=("added", span.pk))


@require_POST
@role_required(Role.ANALYST)
def span_delete(request, assignment_id, span_id):
    form = ActionForm(request.POST)
    if not form.is_valid():
        return form_error(request, assignment_id, form)
    try:
        span = spans.delete_span(
            assignment_id, request.user, span_id, action_id=form.cleaned_data["action_id"]
        )
    except spans.Refused as error:
        return refusal(request, assignment_id, error)
    return changes(
        request,
        span.assignment,
        [(span.start, span.end)],
        message=_("Span removed."),
        row=("removed", span.pk),
    )


@require_POST
@role_required(Role.ANALYST)
def span_relabel(request, assignment_id, span_id):
    form = RelabelForm(request.POST)
    if not form.is_valid():
        return form_error(request, assignment_id, form)
    try:
        span = spans.relabel_span(
            assignment_id,
            request.user,
            span_id,
            label=form.cleaned_data["label"],
            action_id=form.cleaned_data["action_id"],
        )
    except spans.Refused as error:
        return refusal(request, assignment_id, error)
    return changes(request, span.assignment, [(span.start, span.end)], row=("replaced", span.pk))


@require_POST
@role_required(Role.ANALYST)
def undo(request, assignment_id):
    form = ActionForm(request.POST)
    if not form.is_valid():
        return form_error(request, assignment_id, form)
    try:
        event = spans.undo_last(
            assignment_id, request.user, action_id=form.cleaned_data["action_id"]
        )
    except spans.Refused as error:
        return refusal(request, assignment_id, error)
    if event is None:
        return changes(request, Assignment(pk=assignment_id), [], message=_("Nothing to undo."))
    span = event.span
    return changes(request, span.assignment, [(span.start, span.end)], message=_("Undone."))


@require_POST
@role_required(Role.ANALYST)
def submit(request, assignment_id):
    try:
        assignment = spans.submit(assignment_id, request.user)
    except spans.Refused as error:
        return refusal(request, assignment_id, error)
    messages.success(
        request, _("Submitted “%(title)s” for review.") % {"title": assignment.article.title}
    )
    target = reverse("annotations:next")
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)
