"""Who works on which article: assigning, taking, and what comes next."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from annotator.accounts.roles import Role

from .models import Assignment, Workflow
from .spans import Refused


def analysts():
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.ANALYST) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def assign(article_ids, analyst_ids, by):
    """Give each article to each analyst; existing pairs are left as they are."""
    rows = [
        Assignment(article_id=a, analyst_id=u, assigned_by=by)
        for a in article_ids
        for u in analyst_ids
    ]
    created = Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    return len([row for row in created if row.pk])


@transaction.atomic
def assign_per_article(article_ids, per_article, by):
    """Bring each article up to `per_article` analysts, least-loaded analysts first."""
    pool = list(
        analysts().annotate(
            load=Count("assignments", filter=Q(assignments__status__in=Assignment.EDITABLE))
        )
    )
    existing = {}
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
            rows.append(Assignment(article_id=article_id, analyst_id=analyst_id, assigned_by=by))
            load[analyst_id] += 1
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def take(article, analyst):
    """An analyst takes an article themselves (when self-assignment is on)."""
    existing = Assignment.objects.filter(article=article, analyst=analyst).first()
    if existing:
        return existing
    if not Workflow.current().self_assignment:
        raise Refused(_("Articles are assigned by an admin; ask one to give you this article."))
    assignment, _created = Assignment.objects.get_or_create(article=article, analyst=analyst)
    return assignment


def next_assignment(analyst):
    return (
        Assignment.objects.filter(analyst=analyst, status__in=Assignment.EDITABLE)
        .order_by("created_at", "id")
        .first()
    )
