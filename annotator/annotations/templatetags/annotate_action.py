"""The "Annotate" action of the article page.

The articles app shows articles but may not know about assignments (it sits below this app
in the layers), so its page asks this app for the action: `{% annotate_action article %}`.
Permissions are still checked by the views it leads to (annotate, take); this only decides
what to offer.
"""

from typing import Any

from django import template
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from annotator.accounts.roles import Role, has_role
from annotator.annotations.models import Assignment, Workflow
from annotator.articles.models import Article

register = template.Library()

# Until an admin saves the workflow, its row does not exist: the field's default holds.
SELF_ASSIGNMENT_DEFAULT = Workflow._meta.get_field("self_assignment").get_default()


@register.inclusion_tag("annotations/annotate_action.html", takes_context=True)
def annotate_action(context: template.Context, article: Article) -> dict[str, Any]:
    """An analyst's own assignment for the article, to open; or the article, to take it
    (when self-assignment is on). Nothing for anyone else."""
    user = context["request"].user
    if not has_role(user, Role.ANALYST):
        return {}
    # One query for both answers: the article page's query count is pinned.
    mine = Assignment.objects.filter(article=OuterRef("pk"), analyst=user)
    row = (
        Article.objects.filter(pk=article.pk)
        .annotate(
            assignment_id=Subquery(mine.values("pk")[:1]),
            status=Subquery(mine.values("status")[:1]),
            self_assignment=Coalesce(
                Subquery(Workflow.objects.filter(pk=1).values("self_assignment")),
                Value(SELF_ASSIGNMENT_DEFAULT),
            ),
        )
        .values("assignment_id", "status", "self_assignment")
        .first()
    )
    if row is None:
        return {}
    if row["assignment_id"] is not None:
        assignment = Assignment(pk=row["assignment_id"], status=row["status"])
        return {"assignment": assignment}
    if row["self_assignment"]:
        return {"article": article, "csrf_token": context.get("csrf_token")}
    return {}
