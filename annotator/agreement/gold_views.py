"""The curator's pages: articles waiting for their gold version, and an article's
adjudication (its analysts' spans side by side, with the gold version beside them).

Each action is a form: under htmx the page is reloaded on the row it acted on (a refusal
comes back in the message region, as everywhere); without script, the same form posts and
is redirected back.
"""

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import curator_required
from annotator.annotations.attributes import InvalidValues, Schema
from annotator.annotations.forms import MAX_ID, MAX_OFFSET, ActionForm, OffsetField, read_values
from annotator.annotations.models import Assignment, Label
from annotator.annotations.panel import Panel, shown_values, span_panel
from annotator.articles.models import Article
from annotator.refusal import Refused, valid_data

from . import compare, gold
from .models import Curation, GoldSpan

MAX_IDS = 100


class IdsField(forms.CharField):
    """Span ids, separated by commas or spaces (a row of the side-by-side view)."""

    def clean(self, value: Any) -> list[int]:
        raw = super().clean(value) or ""
        parts = raw.replace(",", " ").split()
        if len(parts) > MAX_IDS or not all(p.isascii() and p.isdigit() for p in parts):
            raise forms.ValidationError(_("Name the spans by their numbers."))
        return [int(p) for p in parts if int(p) <= MAX_ID]


class GoldActionForm(ActionForm):
    span = OffsetField(min_value=1, max_value=MAX_ID, required=False)
    spans = IdsField(required=False, max_length=2000)
    gold = OffsetField(min_value=1, max_value=MAX_ID, required=False)
    label = forms.ModelChoiceField(
        queryset=Label.objects.filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("That label does not exist or is off.")},
    )
    start = OffsetField(min_value=0, max_value=MAX_OFFSET, required=False)
    end = OffsetField(min_value=1, max_value=MAX_OFFSET, required=False)
    row = OffsetField(min_value=0, max_value=MAX_OFFSET, required=False)


@require_GET
@curator_required
def gold_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    waiting = list(gold.needing_gold().only("pk", "title")[:200])
    curations = {
        c.article_id: c
        for c in Curation.objects.filter(article__in=waiting).select_related("claimed_by")
    }
    rows = [
        {
            "article": article,
            "curation": curations.get(article.pk),
            "held": (c := curations.get(article.pk)) is not None
            and c.claimed_by_id is not None
            and c.claim_expires_at is not None
            and c.claim_expires_at > now,
        }
        for article in waiting
    ]
    finished = Curation.objects.filter(status=Curation.Status.FINISHED).count()
    return render(request, "agreement/gold_queue.html", {"rows": rows, "finished": finished})


@require_POST
@curator_required
def gold_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    curation = gold.claim_next(request.user)
    if curation is None:
        messages.info(request, _("No article is waiting for its gold version."))
        return redirect("agreement:gold_queue")
    return redirect("agreement:gold", curation.article_id)


@require_GET
@curator_required
def gold_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.only("pk", "title", "text"), pk=pk)
    return _gold_page(request, article)


def _holding(curation: Curation | None, user: Any) -> bool:
    return (
        curation is not None
        and curation.claimed_by_id == user.pk
        and curation.claim_expires_at is not None
        and curation.claim_expires_at > timezone.now()
    )


def _gold_page(
    request: AuthenticatedHttpRequest,
    article: Article,
    panel: Panel | None = None,
    status: int = 200,
) -> HttpResponse:
    curation = Curation.objects.filter(article=article).select_related("claimed_by").first()
    holding = _holding(curation, request.user)
    work = Assignment.objects.handed_in().filter(article=article)
    analysts = list(
        get_user_model().objects.filter(pk__in=work.values("analyst_id")).order_by("username")
    )
    found = list(gold.handed_in_spans(article.pk).select_related("label").order_by("start", "id"))
    golden = list(
        GoldSpan.objects.live().filter(article=article).select_related("label") if curation else []
    )
    labels = {span.label_id: span.label for span in found} | {g.label_id: g.label for g in golden}
    schema = Schema.of_labels(labels.values())
    drawn: dict[int, list[compare.Drawn]] = {user.pk: [] for user in analysts}
    for span in found:
        drawn[span.annotator_id].append(_drawn(span, schema))
    # The gold version is one more column, keyed 0 (no user has that id).
    drawn[0] = [_drawn(g, schema) for g in golden]
    rows = compare.align(drawn)
    decided = _rejected(curation)
    context = {
        "article": article,
        "curation": curation,
        "holding": holding,
        "analysts": analysts,
        "labels": Label.objects.filter(is_active=True),
        "rows": [
            {
                "index": i,
                "row": row,
                "cells": [row.cells[user.pk] for user in analysts],
                "gold": row.cells[0],
                "span_ids": " ".join(str(s.pk) for user in analysts for s in row.cells[user.pk]),
                "rejected": bool(
                    row.cells[0] == []
                    and decided & {s.pk for user in analysts for s in row.cells[user.pk]}
                ),
            }
            for i, row in enumerate(rows)
        ],
        "panel": panel,
        "with_fields": {g.pk for g in golden if schema.active(g.label_id)},
    }
    return render(request, "agreement/gold.html", context, status=status)


@require_http_methods(["GET", "POST"])
@curator_required
def gold_values(request: AuthenticatedHttpRequest, pk: int, gold_id: int) -> HttpResponse:
    """GET: a gold span's values in the attribute panel of the annotation and review pages
    (read-only unless the curator holds the article). POST: set them (gold.change); what
    cannot be stored comes back beside each field (422), nothing written."""
    article = get_object_or_404(Article.objects.only("pk", "title", "text", "language"), pk=pk)
    span = get_object_or_404(
        GoldSpan.objects.live().select_related("label"), pk=gold_id, article=article
    )
    attributes = Schema.of_labels([span.label]).active(span.label_id)
    row = valid_data(RowForm(request.GET))["row"]
    back = reverse("agreement:gold", args=[pk]) + ("" if row is None else f"?row={row}")
    here = reverse("agreement:gold_values", args=[pk, span.pk])
    panel_of = partial(
        span_panel,
        span,
        article,
        attributes,
        url=here if row is None else f"{here}?row={row}",
        close_url=back,
        can_pick=False,  # the gold page lists spans; it does not show the article's text
    )
    if request.method == "GET":
        curation = Curation.objects.filter(article=article).first()
        return _show_panel(request, article, panel_of(editable=_holding(curation, request.user)))
    data = valid_data(ActionForm(request.POST))
    sent = read_values(attributes, request.POST)
    try:
        gold.change(
            pk, request.user, span.pk, attributes=sent.values, clear=sent.clear,
            action_id=data["action_id"],
        )  # fmt: skip
    except InvalidValues as invalid:
        panel = panel_of(editable=True, submitted=sent.submitted, errors=invalid.errors)
        return _show_panel(request, article, panel, status=422)
    messages.success(request, _("Values saved in the gold version."))
    if request.htmx:
        return HttpResponseClientRedirect(back)
    return redirect(back)


class RowForm(forms.Form):
    row = OffsetField(min_value=0, max_value=MAX_OFFSET, required=False)


def _show_panel(
    request: AuthenticatedHttpRequest, article: Article, panel: Panel, status: int = 200
) -> HttpResponse:
    if request.htmx:
        return render(request, "annotations/attribute_panel.html", {"panel": panel}, status=status)
    return _gold_page(request, article, panel=panel, status=status)


def _drawn(span: Any, schema: Schema) -> compare.Drawn:
    return compare.Drawn(
        span.pk,
        span.label.name,
        span.start,
        span.end,
        span.text,
        span.attributes,
        tuple(shown_values(schema.of(span.label_id), span.attributes)),
    )


def _rejected(curation: Curation | None) -> set[int]:
    if curation is None:
        return set()
    ids: set[int] = set()
    for sources in curation.events.filter(kind="rejected").values_list("sources", flat=True):
        ids.update(sources)
    return ids


ACTIONS = {
    *("claim", "accept", "majority", "agreed", "add"),
    *("change", "remove", "reject", "finish", "release"),
}


@require_POST
@curator_required
def gold_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """One adjudication step (agreement.gold); Refused answers as everywhere."""
    if action not in ACTIONS:
        raise Http404
    get_object_or_404(Article.objects.only("pk"), pk=pk)
    data = valid_data(GoldActionForm(request.POST))
    user, action_id = request.user, data["action_id"]
    message = ""
    if action == "claim":
        gold.claim(pk, user)
    elif action == "accept":
        gold.accept(pk, user, _required(data, "span"), action_id=action_id)
        message = _("Accepted into the gold version.")
    elif action == "majority":
        gold.accept_majority(pk, user, data["spans"], action_id=action_id)
        message = _("The majority’s version is in the gold version.")
    elif action == "agreed":
        made = gold.accept_agreed(pk, user, action_id=action_id)
        message = ngettext(
            "%(n)d span all analysts agree on accepted.",
            "%(n)d spans all analysts agree on accepted.",
            len(made),
        ) % {"n": len(made)}
    elif action == "add":
        gold.add(
            pk,
            user,
            label=_required(data, "label"),
            start=_required(data, "start"),
            end=_required(data, "end"),
            action_id=action_id,
        )
        message = _("Span added to the gold version.")
    elif action == "change":
        gold.change(
            pk,
            user,
            _required(data, "gold"),
            label=data["label"],
            start=data["start"],
            end=data["end"],
            action_id=action_id,
        )
        message = _("Gold span changed.")
    elif action == "remove":
        gold.remove(pk, user, _required(data, "gold"), action_id=action_id)
        message = _("Removed from the gold version (its history stays).")
    elif action == "reject":
        gold.reject(pk, user, data["spans"], action_id=action_id)
        message = _("Rejected: these spans stay out of the gold version.")
    elif action == "finish":
        gold.finish(pk, user, action_id=action_id)
        message = _("The gold version is finished.")
    elif action == "release":
        gold.release(pk, user)
        return redirect("agreement:gold_queue")
    if message:
        messages.success(request, message)
    url = reverse("agreement:gold", args=[pk])
    if data["row"] is not None:
        url += f"?row={data['row']}"
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


MISSING = {
    "span": gettext_lazy("Choose the analyst’s span to accept (focus its row)."),
    "label": gettext_lazy("Choose a label."),
    "start": gettext_lazy("Say where the span starts."),
    "end": gettext_lazy("Say where the span ends."),
    "gold": gettext_lazy("Choose the gold span (focus its row)."),
}


def _required(data: dict[str, Any], name: str) -> Any:
    if data.get(name) in (None, "", []):
        raise Refused(str(MISSING[name]), status=422)
    return data[name]
