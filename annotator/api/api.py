"""/api/v1/: the schema at /api/v1/schema/, its interactive page at /api/v1/docs/."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from annotator.accounts.roles import Role, has_role, user_roles
from annotator.annotations.attributes import Schema as Attributes
from annotator.annotations.forms import ArticleFilterForm
from annotator.annotations.models import Label
from annotator.annotations.views import filtered_articles
from annotator.articles import ingest
from annotator.articles.forms import UploadForm
from annotator.articles.models import Article, sentence_bounds
from annotator.articles.outcomes import summarise

from .auth import Throttled, TokenAuth, token_of

api = NinjaAPI(
    title="annotator",
    version="1",
    description=(
        "Articles, labels, spans, suggestions and exports for pipelines. Every call carries "
        "a personal token: `Authorization: Bearer ann_…` (made under Account → API tokens)."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    answer = api.create_response(
        request,
        {"detail": _("Too many requests with this token: wait %(n)d s, then try again.")
         % {"n": exc.retry_after}},
        status=429,
    )  # fmt: skip
    answer["Retry-After"] = str(exc.retry_after)
    return answer


class Me(Schema):
    username: str
    roles: list[str]
    scope: str
    token: str  # its prefix


@api.get("/me", response=Me, summary="The token's user, roles and scope")
def me(request: HttpRequest) -> dict[str, Any]:
    token = token_of(request)
    return {
        "username": token.user.get_username(),
        "roles": sorted(user_roles(token.user)),
        "scope": token.scope,
        "token": token.prefix,
    }


class Choice(Schema):
    key: str
    name: str
    active: bool


class Attribute(Schema):
    key: str
    name: str
    type: str
    required: bool
    active: bool
    choices: list[Choice]


class LabelOut(Schema):
    id: int
    name: str
    key: str
    active: bool
    suggest: bool
    attributes: list[Attribute]


@api.get("/labels", response=list[LabelOut], summary="Labels with their attributes")
def labels(request: HttpRequest) -> list[dict[str, Any]]:
    """Every label (switched-off ones too: spans may still carry them), with the attributes
    and choices their values are checked against."""
    found = list(Label.objects.order_by("order", "name"))
    schema = Attributes.of_labels(found)
    return [
        {
            "id": label.pk,
            "name": label.name,
            "key": label.key,
            "active": label.is_active,
            "suggest": label.suggest,
            "attributes": [
                {
                    "key": a.key,
                    "name": a.name,
                    "type": a.type,
                    "required": a.required,
                    "active": a.is_active,
                    "choices": [
                        {"key": c.key, "name": c.name, "active": c.is_active}
                        for c in a.choices.all()
                    ],
                }
                for a in schema.of(label.pk)
            ],
        }
        for label in found
    ]


def urls() -> tuple[list[Any], str, str]:
    """api.urls, every view exempt from the pages' LoginRequiredMiddleware: the API's
    own auth (a token, or none for the schema and its page) answers 401, not a redirect
    to the login page."""
    patterns, app_name, namespace = api.urls

    def open_(entries: list[Any]) -> None:
        for entry in entries:
            if isinstance(entry, URLResolver):
                open_(entry.url_patterns)
            else:
                entry.callback.login_required = False

    open_(patterns)
    return patterns, app_name, namespace


# --- Articles ------------------------------------------------------------------------------

PAGE_SIZE = 100


class ArticleOut(Schema):
    id: int
    title: str
    source: str
    url: str
    published_at: date | None
    created_at: datetime
    sentences: int


class ArticlePage(Schema):
    items: list[ArticleOut]
    next: str | None  # the cursor of the next page; null on the last


class SentenceOut(Schema):
    index: int
    start: int
    end: int


class ArticleDetail(ArticleOut):
    language: str
    text: str
    sentence_offsets: list[SentenceOut]


def _reader(request: HttpRequest) -> None:
    """The article list's roles: the page's own rule (annotations.views.article_list)."""
    if not has_role(request.user, Role.ANALYST, Role.REVIEWER, Role.ADMIN):
        raise HttpError(403, _("Your roles do not let you read articles."))


@api.get(
    "/articles",
    response=ArticlePage,
    summary="Articles, newest first, with the article list's filters",
)
def article_list(
    request: HttpRequest,
    q: str = "",
    source: str = "",
    published_from: str = "",
    published_to: str = "",
    cursor: str = "",
) -> dict[str, Any]:
    """`q` searches as the page does (French full text over title, source and text); dates
    are YYYY-MM-DD. Pages of 100, newest upload first; `next` is the cursor of the next.
    The parameters are checked by the page's own form, so a bad one is refused in the
    same words."""
    _reader(request)
    form = ArticleFilterForm(
        {"q": q, "source": source, "published_from": published_from, "published_to": published_to}
    )
    if not form.is_valid():
        raise HttpError(422, " ".join(str(m) for errors in form.errors.values() for m in errors))
    if cursor and not (cursor.isascii() and cursor.isdigit() and len(cursor) < 12):
        raise HttpError(422, _("The cursor is not one this API gave."))
    articles = filtered_articles(form.cleaned_data).order_by("-id")
    if cursor:
        articles = articles.filter(pk__lt=int(cursor))
    rows = list(articles[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return {
        "items": [_article(a) for a in rows],
        "next": str(rows[-1].pk) if more else None,
    }


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published_at": article.published_at,
        "created_at": article.created_at,
        "sentences": article.sentence_count,
    }


@api.get("/articles/{article_id}", response=ArticleDetail, summary="One article, with its text")
def article_detail(request: HttpRequest, article_id: int) -> dict[str, Any]:
    """Its stored text exactly (offsets index it in code points, as Python does) and its
    sentences' offsets."""
    _reader(request)
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise HttpError(404, _("That article does not exist."))
    return {
        **_article(article),
        "language": article.language,
        "text": article.text,
        "sentence_offsets": [
            {"index": s.index, "start": s.start, "end": s.end} for s in sentence_bounds(article)
        ],
    }


class OutcomeOut(Schema):
    file: str  # the file, "archive.zip/member.txt", with its line for a .jsonl
    status: str  # created, duplicate or rejected
    article_id: int | None
    reason: str  # why it was rejected, in words
    notes: str


class UploadReport(Schema):
    outcomes: list[OutcomeOut]
    summary: dict[str, int]


def _writer(request: HttpRequest, *roles: Role) -> None:
    """A write: the token's scope allows it, and its user holds one of `roles`."""
    if not token_of(request).can_write:
        raise HttpError(403, _("This token may only read: make a read and write token."))
    if not has_role(request.user, *roles):
        raise HttpError(403, _("Your roles do not let you do this."))


@api.post(
    "/articles",
    response=UploadReport,
    summary="Upload articles: the upload page's formats, limits and report",
)
def article_upload(request: HttpRequest) -> dict[str, Any]:
    """Multipart `files` (one or more: .txt, .md, .html, .docx, .jsonl, .zip, as on the
    upload page) and an optional `source`. Checked and stored by the upload page's code:
    one outcome per file (or per line or member), duplicates named, a refusal in words;
    the other files are stored all the same."""
    _writer(request, Role.ANALYST, Role.ADMIN)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        raise HttpError(422, " ".join(str(m) for errors in form.errors.values() for m in errors))
    outcomes = ingest.ingest_uploads(
        form.cleaned_data["files"], token_of(request).user, source=form.cleaned_data["source"]
    )
    return {
        "outcomes": [
            {
                "file": outcome.label,
                "status": str(outcome.status),
                "article_id": outcome.article.pk if outcome.article else None,
                "reason": outcome.reason,
                "notes": outcome.notes,
            }
            for outcome in outcomes
        ],
        "summary": summarise(outcomes),
    }
