"""The review pages: dashboard, queue, and one submission with its decisions.

A refused decision raises Refused (annotator.refusal answers it); a decision made under
htmx answers with the changed rows, sentences and progress only.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import Role, role_required
from annotator.annotations import suggestions
from annotator.annotations.attributes import InvalidValues, Schema
from annotator.annotations.forms import ActionForm, read_values
from annotator.annotations.models import Assignment, Label, Span, SpanEvent
from annotator.annotations.panel import Panel, ShownValue, shown_values, span_panel
from annotator.articles.layout import layout, units_touching
from annotator.articles.models import sentence_bounds
from annotator.refusal import valid_data

from . import decisions, progress, queue, stats
from .forms import DecisionForm, QueueFilterForm, ReturnForm, ReviewSpanForm
from .marks import ReviewedMark, reviewed_mark
from .models import ReviewEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PAGE_SIZE = 25
FILTERS = ["analyst", "source", "label"]


# --- Dashboard and queue ----------------------------------------------------------------


@require_GET
@role_required(Role.REVIEWER)
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    context = {
        **stats.overview(now),
        "now": now,
        "held": Assignment.objects.held_by(request.user, now).select_related("article").first(),
        "progress": progress.progress(now),
        "suggestions": suggestions.quality(),
    }
    return render(request, "review/dashboard.html", context)


@require_GET
@role_required(Role.REVIEWER)
def queue_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    form = QueueFilterForm(request.GET)
    status = 200
    items = Assignment.objects.waiting(now).oldest_first().select_related("article", "analyst")
    if form.is_valid():
        data = form.cleaned_data
        items = queue.filtered(
            items, analyst=data["analyst"], source=data["source"], label=data["label"]
        )
        page_number = data["page"] or 1
    else:  # the form's errors are shown above the (empty) results
        items, page_number, status = items.none(), 1, 400
    page = Paginator(items, PAGE_SIZE).get_page(page_number)
    queue.attach_label_counts(page.object_list)
    context = {
        "form": form,
        "page": page,
        "waiting": Assignment.objects.waiting(now).count(),
        "filtered": form.is_valid() and any(form.cleaned_data[f] for f in FILTERS),
        "held": Assignment.objects.held_by(request.user, now).first(),
    }
    template = "review/queue.html#results" if request.htmx else "review/queue.html"
    return render(request, template, context, status=status)


@require_POST
@role_required(Role.REVIEWER)
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    item, resumed = queue.claim_next(request.user)
    if item is None:
        messages.info(request, _("Nothing is waiting for review. Well done."))
        return redirect("review:queue")
    if resumed:
        messages.info(request, _("You were already reviewing this article: carry on."))
    return redirect("review:item", assignment_id=item.pk)


@require_POST
@role_required(Role.REVIEWER)
def release(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    if queue.release(assignment_id, request.user):
        messages.info(request, _("The article is back in the queue for someone else."))
    else:
        messages.info(request, _("You were not reviewing that article."))
    return redirect("review:queue")


# --- The review page ----------------------------------------------------------------------


def _reviewable(user: "User", assignment_id: int) -> Assignment:
    """A submission (current or past) for any reviewer but its own analyst."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("article", "analyst", "claimed_by", "reviewed_by"),
        pk=assignment_id,
        submitted_at__isnull=False,
    )
    decisions.refuse_own_work(assignment, user)
    return assignment


def _spans(assignment: Assignment) -> list[Span]:
    """The analyst's live spans with label, reviewer and timeline (four queries)."""
    events = SpanEvent.objects.select_related("actor", "label_before", "label_after")
    return list(
        Span.objects.live()
        .filter(assignment=assignment)
        # correction: the reviewer's span replacing this one, if any (a reverse one-to-one).
        .select_related("label", "reviewed_by", "correction")
        .prefetch_related(Prefetch("events", queryset=events.order_by("at", "id")))
    )


@dataclass(frozen=True)
class ShownMark(ReviewedMark):
    """A reviewed mark with its span's values, compactly (annotations.panel.shown_values)."""

    values: tuple[ShownValue, ...] = ()
    has_fields: bool = False  # its label has fields the reviewer may correct


def _marks(spans: list[Span]) -> list[ShownMark]:
    """Each span's decision and values; its labels' attributes come from what the process
    keeps (Schema), or are read once (two queries at most, whatever the number of spans)."""
    schema = Schema.of_labels(span.label for span in spans)
    marks = []
    for span in spans:
        mark = reviewed_mark(span)
        values = shown_values(schema.of(span.label_id), span.attributes)
        has_fields = bool(schema.active(span.label_id))
        marks.append(ShownMark(mark.span, mark.state, mark.original, tuple(values), has_fields))
    return marks


def _progress(spans: list[Span]) -> dict[str, int]:
    counts = dict.fromkeys(Span.Status.values, 0)
    for span in spans:
        counts[span.status] += 1
    approved, rejected = counts[Span.Status.APPROVED], counts[Span.Status.REJECTED]
    return {
        "total": len(spans),
        "decided": approved + rejected,
        "approved": approved,
        "rejected": rejected,
        "pending": counts[Span.Status.PENDING],
    }


def _context(
    request: AuthenticatedHttpRequest, assignment: Assignment, spans: list[Span], now: datetime
) -> dict[str, Any]:
    return {
        "assignment": assignment,
        "article": assignment.article,
        "spans": spans,
        "marks": _marks(spans),
        "progress": _progress(spans),
        "can_decide": assignment.is_held_by(request.user, now),
        "claim_live": assignment.claim_is_live(now),
        "labels": list(Label.objects.filter(is_active=True)),
        "return_form": ReturnForm(),
        "now": now,
    }


@require_GET
@role_required(Role.REVIEWER)
def item(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _reviewable(request.user, assignment_id)
    return _item_page(request, assignment)


def _item_page(
    request: AuthenticatedHttpRequest,
    assignment: Assignment,
    *,
    return_form: ReturnForm | None = None,
    panel: Panel | None = None,
    status: int = 200,
) -> HttpResponse:
    spans = _spans(assignment)
    sentences = sentence_bounds(assignment.article)
    context = _context(request, assignment, spans, timezone.now())
    context["lines"] = layout(assignment.article.text, sentences, context["marks"])
    context["history"] = ReviewEvent.objects.filter(assignment=assignment).select_related("actor")
    if return_form is not None:
        context["return_form"] = return_form
    context["panel"] = panel
    return render(request, "review/item.html", context, status=status)


def _decided(
    request: AuthenticatedHttpRequest,
    assignment_id: int,
    changed_ids: list[int],
    *,
    new: int | None = None,
    closed_panel: int | None = None,
) -> HttpResponse:
    """Fragments after a span decision: rows, their sentences (out of band), progress.

    After a new span (`new`, its id), the whole list instead, since a row appears. After a
    correction of values, the answer's own content is the closed panel (`closed_panel`, the
    span's id: the panel's form targets it).
    """
    if not request.htmx:
        return redirect("review:item", assignment_id=assignment_id)
    now = timezone.now()
    assignment = _reviewable(request.user, assignment_id)
    spans = _spans(assignment)
    sentences = sentence_bounds(assignment.article)
    context = _context(request, assignment, spans, now)
    changed = [mark for mark in context["marks"] if mark.pk in set(changed_ids)]
    context["changed"] = changed
    context["new"] = new
    context["closed_panel"] = closed_panel
    context["units"] = units_touching(
        assignment.article.text, sentences, context["marks"], [(m.start, m.end) for m in changed]
    )
    return render(request, "review/item.html#decided", context)


@require_POST
@role_required(Role.REVIEWER)
def decide(request: AuthenticatedHttpRequest, assignment_id: int, span_id: int) -> HttpResponse:
    data = valid_data(DecisionForm(request.POST))
    decisions.decide(
        assignment_id,
        request.user,
        span_id,
        data["decision"],
        label=data["label"],
        reason=data["reason"],
        action_id=data["action_id"],
    )
    return _decided(request, assignment_id, [span_id])


@require_http_methods(["GET", "POST"])
@role_required(Role.REVIEWER)
def span_attributes(
    request: AuthenticatedHttpRequest, assignment_id: int, span_id: int
) -> HttpResponse:
    """GET: the span's attribute panel, the one of the annotation page (read-only unless
    the reviewer holds the item). POST: correct its values (decisions.set_attributes,
    recorded as the reviewer's); what cannot be stored comes back beside each field (422)."""
    assignment = _reviewable(request.user, assignment_id)
    span = get_object_or_404(
        Span.objects.live().select_related("label"), pk=span_id, assignment=assignment
    )
    attributes = Schema.of_labels([span.label]).active(span.label_id)
    urls = {
        "url": reverse("review:span_attributes", args=[assignment.pk, span.pk]),
        "close_url": reverse("review:item", args=[assignment.pk]),
    }
    if request.method == "GET":
        editable = assignment.is_held_by(request.user, timezone.now())
        panel = span_panel(
            span,
            assignment.article,
            attributes,
            editable=editable,
            url=urls["url"],
            close_url=urls["close_url"],
        )
        return _show_panel(request, assignment, panel)
    data = valid_data(ActionForm(request.POST))
    sent = read_values(attributes, request.POST)
    try:
        decisions.set_attributes(
            assignment_id,
            request.user,
            span_id,
            values=sent.values,
            clear=sent.clear,
            action_id=data["action_id"],
        )
    except InvalidValues as invalid:
        panel = span_panel(
            span,
            assignment.article,
            attributes,
            editable=True,
            submitted=sent.submitted,
            errors=invalid.errors,
            url=urls["url"],
            close_url=urls["close_url"],
        )
        return _show_panel(request, assignment, panel, status=422)
    return _decided(request, assignment_id, [span_id], closed_panel=span_id)


def _show_panel(
    request: AuthenticatedHttpRequest, assignment: Assignment, panel: Panel, status: int = 200
) -> HttpResponse:
    if request.htmx:
        return render(request, "annotations/attribute_panel.html", {"panel": panel}, status=status)
    return _item_page(request, assignment, panel=panel, status=status)


@require_POST
@role_required(Role.REVIEWER)
def approve_all(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid_data(ActionForm(request.POST))
    approved = decisions.approve_all(assignment_id, request.user, action_id=data["action_id"])
    return _decided(request, assignment_id, approved)


@require_POST
@role_required(Role.REVIEWER)
def add_span(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid_data(ReviewSpanForm(request.POST))
    span, corrected = decisions.add_span(
        assignment_id,
        request.user,
        label=data["label"],
        start=data["start"],
        end=data["end"],
        text=data["text"] or None,
        corrects=data["corrects"],
        reason=data["reason"],
        action_id=data["action_id"],
    )
    changed = [span.pk] if corrected is None else [span.pk, corrected.pk]
    return _decided(request, assignment_id, changed, new=span.pk)


def _finished(request: AuthenticatedHttpRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(reverse("review:queue"))
    return redirect("review:queue")


@require_POST
@role_required(Role.REVIEWER)
def approve(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = decisions.approve(assignment_id, request.user)
    return _finished(
        request,
        _("Approved « %(title)s ». Its spans are now trusted data.")
        % {"title": assignment.article.title},
    )


@require_POST
@role_required(Role.REVIEWER)
def return_item(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():  # shown beside the comment box, like any form the reviewer fills
        assignment = _reviewable(request.user, assignment_id)
        if not request.htmx:
            return _item_page(request, assignment, return_form=form, status=422)
        context = _context(request, assignment, _spans(assignment), timezone.now())
        context["return_form"] = form
        return render(request, "review/item.html#finish", context, status=422)
    assignment = decisions.return_to_analyst(
        assignment_id, request.user, comment=form.cleaned_data["comment"]
    )
    return _finished(
        request,
        _("Returned « %(title)s » to %(analyst)s with your comment.")
        % {"title": assignment.article.title, "analyst": assignment.analyst.get_username()},
    )
