from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Left
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from annotator.accounts.roles import Role, has_role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class SourceFile(models.Model):
    """The bytes exactly as uploaded, kept with the articles read from them (as evidence of
    what was ingested, downloadable from the article page; nothing re-ingests them)."""

    name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="sourcefile_sha256_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def download_name(self) -> str:
        """The file's own name: an archive member is stored as "archive.zip/folder/a.txt"."""
        return self.name.rsplit("/", 1)[-1] or "original"


# French stemming on unaccented words (migration 0004): depistage finds dépistage, Etat
# finds État, coeur finds cœur. The stored column and every query must use the same one.
SEARCH_CONFIG = "french_unaccent"
SEARCH_TEXT_CHARS = 100_000


class ArticleQuerySet(models.QuerySet["Article"]):
    def search(self, words: str) -> "ArticleQuerySet":
        """Articles matching `words` in French full-text search, each with its `rank`.

        websearch syntax ("quoted phrase", -word, or), French stemming: inondation finds
        inondations; accents and case are ignored: depistage finds Dépistage. Never raises
        on odd input: PostgreSQL reads it as plain words.
        """
        query = SearchQuery(words, config=SEARCH_CONFIG, search_type="websearch")
        return self.filter(search=query).annotate(rank=SearchRank(F("search"), query))

    def sources(self) -> "models.QuerySet[Article, str]":
        """The distinct sources named by articles, sorted; the unnamed one left out."""
        return (
            self.exclude(source="").order_by("source").values_list("source", flat=True).distinct()
        )


class Article(models.Model):
    title = models.CharField(_("title"), max_length=300)
    source = models.CharField(_("source"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    published_at = models.DateField(_("publication date"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    # The cleaned, NFC text; every offset in the database indexes this string.
    text = models.TextField()
    # Duplicate detection: the same normalised text is stored once.
    text_sha256 = models.CharField(max_length=64, unique=True)
    removed_lines = models.JSONField(default=list, blank=True)
    source_file = models.ForeignKey(SourceFile, on_delete=models.PROTECT, related_name="articles")
    source_line = models.PositiveIntegerField(null=True, blank=True)  # for .jsonl uploads
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_articles"
    )
    sentence_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Only the text's first SEARCH_TEXT_CHARS are indexed: PostgreSQL refuses a tsvector
    # over 1 MB (a few MB of distinct words made the upload fail), and indexing costs
    # about 0.3 s per MB. A long news article is a tenth of it.
    search = models.GeneratedField(
        expression=SearchVector(
            "title", "source", Left("text", SEARCH_TEXT_CHARS), config=SEARCH_CONFIG
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="article_text_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__regex=r"^https?://"), name="article_url_http"
            ),
        ]
        indexes = [
            GinIndex(fields=["search"], name="article_search_idx"),
            models.Index(fields=["source"], name="article_source_idx"),
            models.Index(fields=["published_at"], name="article_published_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])

    def may_be_edited_by(self, user: "User | AnonymousUser") -> bool:
        """Its metadata, that is: the text never changes. Admins and its uploader may."""
        return has_role(user, Role.ADMIN) or self.uploaded_by_id == user.pk


class Sentence(models.Model):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="sentences")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        # The column: "article" would join the article table to order by its ordering.
        ordering = ["article_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["article", "index"], name="sentence_unique_index"),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="sentence_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}#{self.index}"


class Bounds(NamedTuple):
    # The sentence's index, as layout.Sentence names it. It hides tuple.index(), which
    # nothing calls on bounds.
    index: int  # type: ignore[assignment]
    start: int
    end: int


@lru_cache(maxsize=1024)
def _sentence_bounds(article_id: int, created_at: datetime) -> tuple[Bounds, ...]:
    rows = Sentence.objects.filter(article_id=article_id).order_by("index")
    return tuple(Bounds(*row) for row in rows.values_list("index", "start", "end"))


def sentence_bounds(article: Article) -> tuple[Bounds, ...]:
    """(index, start, end) of the article's sentences, in order.

    Sentences never change once stored (a trigger refuses it), so each process keeps those
    of the articles it showed lately instead of reading them on every span edit. The key
    includes created_at so that a recreated database cannot serve another article's bounds.
    """
    return _sentence_bounds(article.pk, article.created_at)
