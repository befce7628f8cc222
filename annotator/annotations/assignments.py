"""Who works on which article: assigning, taking, what comes next, and work by article."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annotator.accounts.roles import Role, holders
from annotator.articles.models import Article, ArticleQuerySet
from annotator.refusal import Refused

from .models import Assignment, Workflow

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def analysts() -> models.QuerySet["User"]:
    """Who may be given articles to annotate."""
    return holders(Role.ANALYST)


def analysts_with_work() -> models.QuerySet["User"]:
    """Anyone who ever had an assignment, role or not (old work stays reviewable, exportable)."""
    has_work = Assignment.objects.filter(analyst=OuterRef("pk"))
    return get_user_model().objects.filter(Exists(has_work)).order_by("username")


@transaction.atomic
def assign(
    article_ids: Iterable[int], analyst_ids: Iterable[int], by: "User", *, suggestions: bool = True
) -> int:
    """Give each article to each analyst; existing pairs are left as they are. The batch
    shows suggestions or not (`suggestions`: off for a study run unprimed)."""
    analyst_ids = list(analyst_ids)
    rows = [
        Assignment(article_id=a, analyst_id=u, assigned_by=by, suggestions=suggestions)
        for a in article_ids
        for u in analyst_ids
    ]
    return _insert_new(rows, article_ids=[row.article_id for row in rows])


@transaction.atomic
def assign_per_article(
    article_ids: list[int], per_article: int, by: "User", *, suggestions: bool = True
) -> int:
    """Bring each article up to `per_article` analysts, least-loaded analysts first; the
    new assignments show suggestions or not, as `assign`."""
    pool = list(
        analysts().annotate(
            load=Count("assignments", filter=Q(assignments__status__in=Assignment.EDITABLE))
        )
    )
    existing: dict[int, set[int]] = {}
    for article_id, analyst_id in Assignment.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "analyst_id"
    ):
        existing.setdefault(article_id, set()).add(analyst_id)
    load = {user.pk: user.load for user in pool}
    rows = []
    for article_id in article_ids:
        have = existing.get(article_id, set())
        candidates = sorted((u for u in load if u not in have), key=lambda u: (load[u], u))
        for analyst_id in candidates[: max(per_article - len(have), 0)]:
            rows.append(
                Assignment(
                    article_id=article_id, analyst_id=analyst_id, assigned_by=by,
                    suggestions=suggestions,
                )
            )  # fmt: skip
            load[analyst_id] += 1
    return _insert_new(rows, article_ids=article_ids)


def _insert_new(rows: list[Assignment], article_ids: list[int]) -> int:
    """Insert `rows`, skipping pairs that exist; how many were actually created.

    bulk_create(ignore_conflicts=True) sets no primary keys, so the rows it returns cannot
    tell new from skipped: count the articles' assignments around it instead (none is ever
    deleted). Another transaction committing work on the same articles in that instant
    would be counted too; the number is a message, the rows stay right.
    """
    work = Assignment.objects.filter(article_id__in=set(article_ids))
    before = work.count()
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    return work.count() - before


def take(article: Article, analyst: "User") -> Assignment:
    """An analyst takes an article themselves (when self-assignment is on)."""
    existing = Assignment.objects.filter(article=article, analyst=analyst).first()
    if existing:
        return existing
    if not Workflow.current().self_assignment:
        raise Refused(_("Articles are assigned by an admin; ask one to give you this article."))
    assignment, _created = Assignment.objects.get_or_create(article=article, analyst=analyst)
    return assignment


def next_assignment(analyst: "User") -> Assignment | None:
    return (
        Assignment.objects.filter(analyst=analyst).editable().order_by("created_at", "id").first()
    )


# --- Work by article: the article list's status column and filter ---------------------------


class WorkStatus(models.TextChoices):
    """How far the work on an article has come, across all its analysts."""

    UNASSIGNED = "unassigned", gettext_lazy("Not assigned")
    IN_PROGRESS = "in_progress", gettext_lazy("Being annotated")
    SUBMITTED = "submitted", gettext_lazy("Waiting for review")
    APPROVED = "approved", gettext_lazy("Approved")


def with_work_counts(articles: ArticleQuerySet) -> ArticleQuerySet:
    """Each article with n_assigned, n_submitted and n_approved (its analysts' work)."""
    return articles.annotate(
        n_assigned=Count("assignments", distinct=True),
        n_submitted=Count(
            "assignments",
            filter=Q(assignments__status=Assignment.Status.SUBMITTED),
            distinct=True,
        ),
        n_approved=Count(
            "assignments",
            filter=Q(assignments__status=Assignment.Status.APPROVED),
            distinct=True,
        ),
    )


def in_work_status(articles: ArticleQuerySet, status: str) -> ArticleQuerySet:
    work = Assignment.objects.filter(article=OuterRef("pk"))
    if status == WorkStatus.UNASSIGNED:
        return articles.exclude(Exists(work))
    if status == WorkStatus.IN_PROGRESS:
        return articles.filter(Exists(work.editable()))
    if status == WorkStatus.SUBMITTED:
        return articles.filter(Exists(work.submitted()))
    if status == WorkStatus.APPROVED:
        return articles.filter(Exists(work.filter(status=Assignment.Status.APPROVED)))
    raise ValueError(status)
