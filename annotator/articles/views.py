from django.conf import settings
from django.contrib import messages
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from annotator.accounts.roles import Role, has_role, role_required
from annotator.annotations.assignments import analysts
from annotator.annotations.rendering import layout

from . import ingest
from .forms import SORTS, ArticleFilterForm, ArticleMetadataForm, UploadForm, limits_for_display
from .models import Article, sentence_bounds

ANY_ROLE = (Role.ANALYST, Role.REVIEWER, Role.ADMIN)
PAGE_SIZE = 25
LIST_FIELDS = ["id", "title", "source", "published_at", "sentence_count", "created_at"]


def filtered_articles(data):
    articles = Article.objects.only(*LIST_FIELDS).annotate(
        n_assigned=Count("assignments", distinct=True),
        n_submitted=Count("assignments", filter=Q(assignments__status="submitted"), distinct=True),
        n_approved=Count("assignments", filter=Q(assignments__status="approved"), distinct=True),
    )
    if data.get("q"):
        query = SearchQuery(data["q"], config="french", search_type="websearch")
        articles = articles.filter(search=query).annotate(rank=SearchRank(F("search"), query))
    if data.get("source"):
        articles = articles.filter(source__iexact=data["source"])
    if data.get("published_from"):
        articles = articles.filter(published_at__gte=data["published_from"])
    if data.get("published_to"):
        articles = articles.filter(published_at__lte=data["published_to"])
    status = data.get("status")
    if status == "unassigned":
        articles = articles.filter(n_assigned=0)
    elif status == "in_progress":
        articles = articles.filter(assignments__status__in=["in_progress", "returned"]).distinct()
    elif status == "submitted":
        articles = articles.filter(n_submitted__gt=0)
    elif status == "approved":
        articles = articles.filter(n_approved__gt=0)
    if data.get("q") and not data.get("sort"):
        return articles.order_by("-rank", "-id")
    return articles.order_by(*SORTS[data.get("sort") or "new"])


@require_GET
@role_required(*ANY_ROLE)
def article_list(request):
    form = ArticleFilterForm(request.GET)
    status = 200
    if form.is_valid():
        articles = filtered_articles(form.cleaned_data)
        page_number = form.cleaned_data.get("page") or 1
    else:
        articles, page_number, status = Article.objects.none(), 1, 400
    page = Paginator(articles, PAGE_SIZE).get_page(page_number)
    sources = (
        Article.objects.exclude(source="").order_by("source").values_list("source", flat=True)
    ).distinct()
    context = {"form": form, "page": page, "sources": sources, "query": request.GET.copy()}
    if has_role(request.user, Role.ADMIN):
        context["analysts"] = analysts()  # for the bulk-assign form
    template = "articles/list.html#results" if request.htmx else "articles/list.html"
    return render(request, template, context, status=status)


@require_GET
@role_required(*ANY_ROLE)
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.select_related("source_file", "uploaded_by"), pk=pk)
    context = {
        "article": article,
        "lines": layout(article.text, sentence_bounds(article), []),
        "can_edit": can_edit(request.user, article),
    }
    return render(request, "articles/detail.html", context)


def can_edit(user, article):
    return has_role(user, Role.ADMIN) or article.uploaded_by_id == user.pk


@require_http_methods(["GET", "POST"])
@role_required(*ANY_ROLE)
def article_edit(request, pk):
    article = get_object_or_404(Article, pk=pk)
    if not can_edit(request.user, article):
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
def upload(request):
    context = {"limits": limits_for_display()}
    if request.method == "GET":
        return render(request, "articles/upload.html", {**context, "form": UploadForm()})
    # Oversized requests never get here: RequestSizeLimitMiddleware refuses them unread.
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        template = "articles/upload.html#report" if request.htmx else "articles/upload.html"
        return render(request, template, {**context, "form": form}, status=422)
    outcomes = []
    for uploaded in form.cleaned_data["files"]:
        if uploaded.size > settings.UPLOAD_MAX_FILE_BYTES:
            message = _("The file is too large (limit %(mb)d MB).") % {
                "mb": context["limits"]["file_mb"]
            }
            outcomes.append(ingest.Outcome(uploaded.name, ingest.REJECTED, reason=message))
            continue
        outcomes.extend(
            ingest.ingest_file(
                uploaded.name, uploaded.read(), request.user, source=form.cleaned_data["source"]
            )
        )
    context.update(form=UploadForm(), outcomes=outcomes, summary=ingest.summarise(outcomes))
    template = "articles/upload.html#report" if request.htmx else "articles/upload.html"
    return render(request, template, context)
