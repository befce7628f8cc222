"""The annotation page and the edits made on it.

Edits answer an htmx request with only what changed (changes.html); a plain form post is
redirected back to the page. A refused edit raises Refused (annotator.refusal answers it).
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import Role, has_role, role_required
from annotator.articles.layout import layout, units_touching
from annotator.articles.models import Article, ArticleQuerySet, sentence_bounds
from annotator.refusal import Notice, Refused, respond, valid_data

from . import assignments, spans, suggestions
from .attributes import InvalidValues, Schema
from .forms import (
    SORTS,
    ActionForm,
    ArticleFilterForm,
    AssignForm,
    AttributesForm,
    RelabelForm,
    SpanActionForm,
    SpanForm,
    SubmitForm,
    SuggestionForm,
    SuggestionLabelForm,
    TakeForm,
    read_values,
)
from .models import Assignment, Label, Span
from .panel import Panel, span_panel
from .span_list import (
    How,
    ShownSpan,
    lacking_values,
    page_rows,
    row_change,
    row_versions,
    shown_spans,
    spans_from_rows,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def own_assignment(user: "User", assignment_id: int) -> Assignment:
    """The user's own assignment with its article; 404 for anyone else's."""
    return get_object_or_404(
        Assignment.objects.select_related("article"), pk=assignment_id, analyst=user
    )


@require_GET
@role_required(Role.ANALYST)
def annotate(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    assignment = own_assignment(request.user, assignment_id)
    return render(request, "annotations/annotate.html", page_context(assignment))


def page_context(assignment: Assignment, **extra: Any) -> dict[str, Any]:
    """The annotation page; `extra`: an open panel, the spans lacking values.

    The attributes of the labels (active ones, and those of the spans) come from what the
    process keeps (Schema), or are read once with their choices: two queries at most,
    whatever the number of spans and values.
    """
    article = assignment.article
    rows = page_rows(assignment)
    labels = list(Label.objects.filter(is_active=True))
    schema = Schema.at(
        {**row_versions(rows), **{label.pk: label.attributes_version for label in labels}}
    )
    span_list = spans_from_rows(rows, schema)
    waiting = suggestions.shown(assignment, labels)
    return {
        "assignment": assignment,
        "article": article,
        "lines": layout(article.text, sentence_bounds(article), span_list, waiting),
        "spans": span_list,
        "suggestions": waiting,
        "span_count": len(span_list),
        "labels": labels,
        # Tagging with these opens the new span's panel.
        "with_fields": {label.pk for label in labels if schema.active(label.pk)},
        **extra,
    }


def changes(
    request: AuthenticatedHttpRequest,
    assignment: Assignment,
    span: Span | None,
    *,
    message: str = "",
    row: How | None = None,
    focus: bool = False,
    close_panel: bool = False,
    show_missing: bool = False,
    decided: tuple[int, int] | None = None,
) -> HttpResponse:
    """The fragments an edit of `span` changes: its sentences, the span list, the status
    badge, the message.

    `assignment` comes from the service that made the change (locked, article loaded).
    With `row` ("added", "removed", "replaced") only that row of the span list is sent, not
    the whole list (300 rows on a long article, re-rendered on every key press). With
    `focus`, the page is told which row to focus afterwards: the span, or if it is gone
    the row now in its place (annotate.js, event "annotator:focus-span"). With
    `close_panel`, the answer's own content is the closed attribute panel (the panel's form
    targets it); with `show_missing`, the list of spans lacking values comes up to date.
    The sentences sent keep the suggestions over them; after a suggestion was decided
    (`decided`: its offsets), its sentences and the list of suggestions come up to date too.
    """
    if not request.htmx:
        if message:
            messages.info(request, message)
        return redirect("annotations:annotate", assignment.pk)
    context = {
        "assignment": assignment,
        "messages": [Notice(message)] if message else [],
        "swap_oob": True,
    }
    target = None
    ranges = [r for r in ((span.start, span.end) if span else None, decided) if r is not None]
    if ranges:
        text = assignment.article.text
        marks = shown_spans(assignment, only=span.pk if span and row is not None else None)
        sentences = sentence_bounds(assignment.article)
        # The lines holding the ranges hold every sentence unit sent back.
        line_start = text.rfind("\n", 0, min(start for start, _end in ranges)) + 1
        line_end = text.find("\n", max(end for _start, end in ranges))
        over = suggestions.undecided_over(
            assignment, line_start, len(text) if line_end == -1 else line_end
        )
        drawn = {(m.label_id, m.start, m.end) for m in marks}
        waiting = [s for s in over if (s.label_id, s.start, s.end) not in drawn]
        if decided is not None or len(waiting) < len(over):
            # A decision, or a span drawn where a suggestion was: the list changes too.
            context.update(suggestions=suggestions.shown(assignment), show_suggestions=True)
        context["units"] = units_touching(text, sentences, marks, ranges, waiting)
    if span is not None:
        span_list = marks
        context["span_count"] = len(span_list)
        context["badge"] = True  # the locked row: its status is the current one
        if row is None:
            context.update(spans=span_list, show_list=True)
        else:
            context["row"] = row_change(row, span.pk, span_list)
        if focus:
            target = row_in_place(span, span_list)
        if close_panel:
            context["closed_panel"] = span.pk
    if show_missing:
        context["missing"] = lacking_values(assignment)
    response = render(request, "annotations/changes.html", context)
    if target is not None:
        trigger_client_event(response, "annotator:focus-span", {"span": target}, after="settle")
    return response


def row_in_place(span: Span, span_list: list[ShownSpan]) -> int | None:
    """The span's row if it is still listed, else the row that now follows its place in
    the text (or the last row)."""
    key = (span.start, span.end, span.pk)
    following = [s.pk for s in span_list if (s.start, s.end, s.pk) >= key]
    if following:
        return following[0]
    return span_list[-1].pk if span_list else None


def shows_status(
    view: Callable[[AuthenticatedHttpRequest, int], HttpResponse],
) -> Callable[[AuthenticatedHttpRequest, int], HttpResponse]:
    """A refused edit under htmx also brings the status badge up to date.

    The refusal itself is answered as everywhere (annotator.refusal.respond); the badge is
    added out of band because the likeliest refusal here is a stale tab whose article was
    submitted, approved or returned elsewhere. One query, on refusals only.
    """

    @wraps(view)
    def wrapper(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
        try:
            return view(request, assignment_id)
        except Refused as refusal:
            if not request.htmx:
                raise
            response = respond(request, refusal.message, refusal.status)
            assignment = Assignment.objects.filter(pk=assignment_id, analyst=request.user).first()
            if assignment is not None:
                context = {"assignment": assignment, "swap_oob": True}
                badge = render_to_string("annotations/annotate.html#status", context, request)
                response.content += badge.encode()
            return response

    return wrapper


def valid(
    form: forms.Form, request: AuthenticatedHttpRequest, assignment_id: int
) -> dict[str, Any]:
    """valid_data, after the 404 for someone else's work whatever the form says."""
    if not form.is_valid():
        own_assignment(request.user, assignment_id)
    return valid_data(form)


# The span views do not load the assignment themselves: the service locks it (404 for
# someone else's) and hands it back on the span it returns, so each request reads it once.


@require_POST
@role_required(Role.ANALYST)
@shows_status
def span_create(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid(SpanForm(request.POST), request, assignment_id)
    span, created = spans.create_span(
        assignment_id,
        request.user,
        label=data["label"],
        start=data["start"],
        end=data["end"],
        text=data["text"],
        action_id=data["action_id"],
    )
    if not created:  # a repeat, or a retry whose answer was lost: send the whole list
        return changes(request, span.assignment, span, message=_("That span was already tagged."))
    return changes(request, span.assignment, span, row="added")


@require_POST
@role_required(Role.ANALYST)
@shows_status
def suggestion_accept(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid(SuggestionForm(request.POST), request, assignment_id)
    span = suggestions.accept(
        assignment_id, request.user, data["suggestion"], action_id=data["action_id"]
    )
    return changes(
        request, span.assignment, span, message=_("Suggestion accepted: it is your span now."),
        row="added", decided=(span.start, span.end),
    )  # fmt: skip


@require_POST
@role_required(Role.ANALYST)
@shows_status
def suggestion_reject(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid(SuggestionForm(request.POST), request, assignment_id)
    decided, assignment = suggestions.reject(
        assignment_id, request.user, data["suggestion"], action_id=data["action_id"]
    )
    return changes(
        request, assignment, None, message=_("Suggestion rejected."),
        decided=(decided.start, decided.end),
    )  # fmt: skip


@require_POST
@role_required(Role.ANALYST)
@shows_status
def suggestion_accept_label(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    """Every waiting suggestion of a label at once: the page comes back whole."""
    data = valid(SuggestionLabelForm(request.POST), request, assignment_id)
    made = suggestions.accept_label(
        assignment_id, request.user, data["label"], action_id=data["action_id"]
    )
    messages.info(
        request,
        ngettext(
            "%(n)d suggestion of “%(label)s” accepted.",
            "%(n)d suggestions of “%(label)s” accepted.",
            len(made),
        )
        % {"n": len(made), "label": data["label"].name},
    )
    url = reverse("annotations:annotate", args=[assignment_id])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@role_required(Role.ANALYST)
@shows_status
def span_delete(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid(SpanActionForm(request.POST), request, assignment_id)
    span = spans.delete_span(assignment_id, request.user, data["span"], action_id=data["action_id"])
    return changes(request, span.assignment, span, message=_("Span removed."), row="removed")


@require_POST
@role_required(Role.ANALYST)
@shows_status
def span_relabel(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid(RelabelForm(request.POST), request, assignment_id)
    span = spans.relabel_span(
        assignment_id, request.user, data["span"], label=data["label"], action_id=data["action_id"]
    )
    return changes(request, span.assignment, span, row="replaced")


@require_http_methods(["GET", "POST"])
@role_required(Role.ANALYST)
@shows_status
def span_attributes(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    """GET: the span's attribute panel (under htmx the panel alone, else the page with it
    open). POST: save its values (spans.set_attributes); what cannot be stored comes back
    in the panel, beside each field (422), and nothing is written."""
    post = request.method == "POST"
    form = AttributesForm(request.POST) if post else SpanActionForm(request.GET)
    data = valid(form, request, assignment_id)
    span = get_object_or_404(
        Span.objects.live().select_related("label"),
        pk=data["span"],
        assignment_id=assignment_id,
        assignment__analyst=request.user,
    )
    attributes = Schema.of_labels([span.label]).active(span.label_id)
    urls = {
        "url": reverse("annotations:span_attributes", args=[assignment_id]),
        "close_url": reverse("annotations:annotate", args=[assignment_id]),
    }
    if not post:
        assignment = own_assignment(request.user, assignment_id)
        panel = span_panel(
            span,
            assignment.article,
            attributes,
            editable=assignment.is_editable,
            url=urls["url"],
            close_url=urls["close_url"],
        )
        return show_panel(request, assignment, panel)
    sent = read_values(attributes, request.POST)
    try:
        span = spans.set_attributes(
            assignment_id,
            request.user,
            span.pk,
            values=sent.values,
            clear=sent.clear,
            action_id=data["action_id"],
        )
    except InvalidValues as invalid:
        assignment = own_assignment(request.user, assignment_id)  # nothing was written
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
        return show_panel(request, assignment, panel, status=422)
    return changes(
        request,
        span.assignment,
        span,
        row="replaced",
        close_panel=True,
        show_missing=data["show_missing"],
    )


def show_panel(
    request: AuthenticatedHttpRequest, assignment: Assignment, panel: Panel, status: int = 200
) -> HttpResponse:
    if request.htmx:
        return render(request, "annotations/attribute_panel.html", {"panel": panel}, status=status)
    return render(
        request, "annotations/annotate.html", page_context(assignment, panel=panel), status=status
    )


@require_POST
@role_required(Role.ANALYST)
@shows_status
def undo(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid(ActionForm(request.POST), request, assignment_id)
    event = spans.undo_last(assignment_id, request.user, action_id=data["action_id"])
    if event is None:
        return changes(request, Assignment(pk=assignment_id), None, message=_("Nothing to undo."))
    return changes(request, event.span.assignment, event.span, message=_("Undone."), focus=True)


@require_POST
@role_required(Role.ANALYST)
@shows_status
def submit(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    data = valid(SubmitForm(request.POST), request, assignment_id)
    try:
        assignment = spans.submit(assignment_id, request.user, empty_ok=data["confirm_empty"])
    except spans.MissingValues as refusal:
        # Said in place: the list of those spans, each opening its panel.
        assignment = own_assignment(request.user, assignment_id)
        missing = lacking_values(assignment)
        if request.htmx:
            context = {
                "assignment": assignment,
                "missing": missing,
                "messages": [Notice(refusal.message, "error")],
                "swap_oob": True,
            }
            return render(request, "annotations/changes.html", context, status=refusal.status)
        messages.error(request, refusal.message)
        context = page_context(assignment, missing=missing)
        return render(request, "annotations/annotate.html", context, status=refusal.status)
    except spans.EmptySubmission:
        if request.htmx:  # the page asks first; its list was out of date: say why
            raise
        # Without JavaScript the confirmation is a page of its own.
        assignment = own_assignment(request.user, assignment_id)
        context = {"assignment": assignment, "article": assignment.article}
        return render(request, "annotations/submit_empty.html", context)
    messages.success(
        request, _("Submitted « %(title)s » for review.") % {"title": assignment.article.title}
    )
    target = reverse("annotations:next")
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


# --- The work: the article list, the analyst's queue, assigning and taking ---------------

PAGE_SIZE = 25
LIST_FIELDS = ["id", "title", "source", "published_at", "sentence_count", "created_at"]


def filtered_articles(data: dict[str, Any]) -> ArticleQuerySet:
    """The article list for the filter form's cleaned data."""
    articles = assignments.with_work_counts(Article.objects.only(*LIST_FIELDS))
    if data.get("q"):
        articles = articles.search(data["q"])
    if data.get("source"):
        articles = articles.filter(source__iexact=data["source"])
    if data.get("published_from"):
        articles = articles.filter(published_at__gte=data["published_from"])
    if data.get("published_to"):
        articles = articles.filter(published_at__lte=data["published_to"])
    if data.get("status"):
        articles = assignments.in_work_status(articles, data["status"])
    if data.get("q") and not data.get("sort"):
        # search() annotates `rank`; the plugin checks names against the model's fields.
        return articles.order_by("-rank", "-id")  # type: ignore[misc]
    return articles.order_by(*SORTS[data.get("sort") or "new"])


@require_GET
@role_required(Role.ANALYST, Role.REVIEWER, Role.ADMIN)
def article_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ArticleFilterForm(request.GET)
    status = 200
    if form.is_valid():
        articles = filtered_articles(form.cleaned_data)
        page_number = form.cleaned_data.get("page") or 1
    else:  # the form's errors are shown above the (empty) results
        articles, page_number, status = Article.objects.none(), 1, 400
    context = {
        "form": form,
        "page": Paginator(articles, PAGE_SIZE).get_page(page_number),
        "sources": Article.objects.sources(),
    }
    if has_role(request.user, Role.ADMIN):
        context["analysts"] = assignments.analysts()  # for the bulk-assign form
    template = "annotations/articles.html#results" if request.htmx else "annotations/articles.html"
    return render(request, template, context, status=status)


@require_GET
@role_required(Role.ANALYST)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = list(
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
        .with_span_count()
        .order_by("created_at", "id")
    )
    done = sum(1 for a in mine if not a.is_editable)
    context = {"assignments": mine, "done": done, "total": len(mine)}
    return render(request, "annotations/queue.html", context)


@require_GET
@role_required(Role.ANALYST)
def next_article(request: AuthenticatedHttpRequest) -> HttpResponse:
    assignment = assignments.next_assignment(request.user)
    if assignment is None:
        messages.info(request, _("Nothing left to annotate. Take an article from the list."))
        return redirect("annotations:queue")
    return redirect("annotations:annotate", assignment.pk)


@require_POST
@role_required(Role.ANALYST)
def take(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = valid_data(TakeForm(request.POST))
    assignment = assignments.take(data["article"], request.user)
    return redirect("annotations:annotate", assignment.pk)


@require_POST
@role_required(Role.ADMIN)
def assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = valid_data(AssignForm(request.POST))
    article_ids = [a.pk for a in data["articles"]]
    shown = data["suggestions"]
    if data.get("per_article"):
        count = assignments.assign_per_article(
            article_ids, data["per_article"], request.user, suggestions=shown
        )
    else:
        analyst_ids = [u.pk for u in data["analysts"]]
        count = assignments.assign(article_ids, analyst_ids, request.user, suggestions=shown)
    messages.success(request, _("%(n)d new assignments.") % {"n": count})
    return redirect("annotations:articles")
