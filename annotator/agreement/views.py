"""The agreement page: how far analysts agree on the work a team lead picks."""

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from annotator import charts
from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import agreement_required
from annotator.annotations.attributes import Schema
from annotator.annotations.models import Assignment, Span
from annotator.annotations.panel import shown_values
from annotator.articles.models import Article

from . import compare
from .figures import Report, report
from .forms import AgreementForm
from .templatetags.agreement import figure


@require_GET
@agreement_required
def agreement_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AgreementForm(request.GET)
    if not form.is_valid():  # the errors are shown above the filters; nothing computed
        return render(request, "agreement/agreement.html", {"form": form}, status=400)
    figures = report(form.selection())
    context = {
        "form": form,
        "report": figures,
        "chart": label_chart(figures),
        "week_chart": week_chart(figures),
        "confusion_chart": confusion_chart(figures),
    }
    return render(request, "agreement/agreement.html", context)


def label_chart(figures: Report) -> charts.Chart:
    """F1 (exact, overlap) and αu per label."""
    return charts.bars(
        [
            (
                row.label.name,
                [
                    (_("F1, exact"), row.exact.f1, figure(row.exact.f1)),
                    (_("F1, overlap"), row.overlap.f1, figure(row.overlap.f1)),
                    ("αu", row.alpha_u.alpha, figure(row.alpha_u.alpha)),
                ],
            )
            for row in figures.labels
        ]
    )


def week_chart(figures: Report) -> charts.Chart:
    """F1 (exact, overlap) per week in which the articles were handed in."""
    return charts.bars(
        [
            (
                formats.date_format(week.monday, "SHORT_DATE_FORMAT"),
                [
                    (_("F1, exact"), week.exact.f1, figure(week.exact.f1)),
                    (_("F1, overlap"), week.overlap.f1, figure(week.overlap.f1)),
                ],
            )
            for week in figures.weeks
        ]
    )


def confusion_chart(figures: Report) -> charts.Grid:
    """Which label another analyst drew over each analyst's spans, by label."""
    confusion = figures.confusion
    names = [label.name for label in confusion.labels]
    return charts.grid(
        names,
        [*names, _("nothing there")],
        confusion.cells,
        [[formats.number_format(n, force_grouping=True) for n in row] for row in confusion.cells],
    )


@require_GET
@agreement_required
def article_compare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The analysts' spans of one article side by side, differences first in each row;
    the statuses chosen as on the agreement page (handed-in work by default)."""
    article = get_object_or_404(Article.objects.only("pk", "title"), pk=pk)
    form = AgreementForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "article": article}
        return render(request, "agreement/compare.html", context, status=400)
    work = Assignment.objects.filter(article=article, status__in=form.selection().statuses)
    analysts = list(
        get_user_model().objects.filter(pk__in=work.values("analyst_id")).order_by("username")
    )
    rows = Span.objects.live().filter(assignment__in=work).select_related("label")
    found = list(rows.order_by("start", "end", "id"))
    schema = Schema.of_labels({span.label_id: span.label for span in found}.values())
    drawn: dict[int, list[compare.Drawn]] = {user.pk: [] for user in analysts}
    for span in found:
        drawn[span.annotator_id].append(
            compare.Drawn(
                span.pk,
                span.label.name,
                span.start,
                span.end,
                span.text,
                span.attributes,
                tuple(shown_values(schema.of(span.label_id), span.attributes)),
            )
        )
    aligned = compare.align(drawn) if len(analysts) >= 2 else []
    names = {user.pk: user.get_username() for user in analysts}
    context = {
        "article": article,
        "analysts": analysts,
        "rows": [
            {
                "row": row,
                "cells": [row.cells[user.pk] for user in analysts],
                "missing": ", ".join(names[a] for a in row.missing_for),
            }
            for row in aligned
        ],
        "differing": sum(1 for row in aligned if row.differences),
    }
    return render(request, "agreement/compare.html", context)
