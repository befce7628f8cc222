from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods

from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import Role, exporter_required, role_required
from annotator.articles.outcomes import summarise

from . import downloads, selection
from .forms import ExportForm, ImportForm
from .interchange import doccano, labelstudio
from .interchange.importer import import_file, suggestions_summary
from .interchange.labelstudio_values import config_labels
from .models import ExportLog


@require_GET
@exporter_required
def export_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The filters, and how many rows they give; htmx refreshes the count as they change."""
    form = ExportForm.from_query(request.GET)
    context: dict[str, Any] = {"form": form, "count": None}
    if not request.htmx:  # the whole page: with the labeling config to copy into Label Studio
        context["labelstudio_config"] = render_to_string(
            "exports/labelstudio_config.xml", {"labels": config_labels()}
        )
    status = 200
    if form.is_valid():
        context["count"] = selection.count(form.span_filter())
    else:  # the form's errors are shown where the count would be
        status = 400
    template = "exports/export.html#count" if request.htmx else "exports/export.html"
    return render(request, template, context, status=status)


@require_GET
@exporter_required
def download(request: AuthenticatedHttpRequest) -> HttpResponse | StreamingHttpResponse:
    form = ExportForm.from_query(request.GET)
    if not form.is_valid():
        return render(request, "exports/export.html", {"form": form, "count": None}, status=400)
    export = downloads.Export(
        spans=form.span_filter(),
        format=form.cleaned_data["format"],
        dialect=form.cleaned_data["dialect"],
        offsets=form.cleaned_data["offsets"],
    )
    _log, chunks = downloads.logged(
        export, user=request.user, via=ExportLog.Via.WEB, filters=form.logged_filters()
    )
    response = StreamingHttpResponse(chunks, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename()}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN)
def import_spans(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "exports/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    template = "exports/import.html#report" if request.htmx else "exports/import.html"
    if not form.is_valid():
        return render(request, template, {"form": form}, status=422)
    upload = form.cleaned_data["file"]
    data = upload.read()
    if form.cleaned_data["format"] == ExportLog.Format.DOCCANO:
        candidates = doccano.read(data, offsets=form.cleaned_data["offsets"])
    else:
        candidates = labelstudio.read(data)
    outcomes = import_file(
        upload.name, data, candidates, analyst=form.cleaned_data["analyst"], by=request.user
    )
    context = {
        "form": ImportForm(initial={"analyst": form.cleaned_data["analyst"]}),
        "outcomes": outcomes,
        "summary": summarise(outcomes),
        "suggestions": suggestions_summary(outcomes),  # a Label Studio file's predictions
    }
    return render(request, template, context)
