import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from annotator.accounts.authenticated import AuthenticatedHttpRequest
from annotator.accounts.roles import Role, role_required

from . import ingest
from .forms import ArticleMetadataForm, UploadForm, limits_for_display
from .layout import layout
from .models import Article, SourceFile, sentence_bounds
from .outcomes import summarise

ANY_ROLE = (Role.ANALYST, Role.REVIEWER, Role.ADMIN)


@require_GET
@role_required(*ANY_ROLE)
def article_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.select_related("source_file", "uploaded_by").defer(
            "source_file__content"  # the bytes are for original_file, not for this page
        ),
        pk=pk,
    )
    context = {
        "article": article,
        "lines": layout(article.text, sentence_bounds(article), []),
        "can_edit": article.may_be_edited_by(request.user),
    }
    return render(request, "articles/detail.html", context)


@require_GET
@role_required(*ANY_ROLE)
def original_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The bytes of the file the article was read from, as uploaded, to save and open."""
    source = get_object_or_404(SourceFile.objects.only("name", "content"), articles__pk=pk)
    # Always an attachment, never shown by the browser: an uploaded .html page could
    # otherwise run its scripts on our origin. The type comes from the name.
    response = FileResponse(
        io.BytesIO(bytes(source.content)), as_attachment=True, filename=source.download_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@role_required(*ANY_ROLE)
def article_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if not article.may_be_edited_by(request.user):
        raise PermissionDenied
    form = ArticleMetadataForm(request.POST or None, instance=article)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect(article)
        return render(request, "articles/edit.html", {"form": form, "article": article}, status=422)
    return render(request, "articles/edit.html", {"form": form, "article": article})


@require_http_methods(["GET", "POST"])
@role_required(Role.ANALYST, Role.ADMIN)
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"limits": limits_for_display()}
    if request.method == "GET":
        return render(request, "articles/upload.html", {**context, "form": UploadForm()})
    # Oversized requests never get here: RequestSizeLimitMiddleware refuses them unread.
    form = UploadForm(request.POST, request.FILES)
    template = "articles/upload.html#report" if request.htmx else "articles/upload.html"
    if not form.is_valid():
        return render(request, template, {**context, "form": form}, status=422)
    outcomes = ingest.ingest_uploads(
        form.cleaned_data["files"], request.user, source=form.cleaned_data["source"]
    )
    context.update(form=UploadForm(), outcomes=outcomes, summary=summarise(outcomes))
    return render(request, template, context)
