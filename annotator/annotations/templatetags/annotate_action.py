"""The "Annotate" action of the article page.

The articles app shows articles but may not know about assignments (it sits below this app
in the layers), so its page asks this app for the action: `{% annotate_action article %}`.
Permissions are still checked by the views it leads to (annotate, take); this only decides
what to offer.
"""

from typing import Any

from django import template

from annotator.accounts.roles import Role, has_role
from annotator.annotations.models import Assignment, Workflow
from annotator.articles.models import Article

register = template.Library()


@register.inclusion_tag("annotations/annotate_action.html", takes_context=True)
def annotate_action(context: template.Context, article: Article) -> dict[str, Any]:
    """An analyst's own assignment for the article, to open; or the article, to take it
    (when self-assignment is on). Nothing for anyone else."""
    user = context["request"].user
    if not has_role(user, Role.ANALYST):
        return {}
    assignment = Assignment.objects.filter(article=article, analyst=user).only("status").first()
    if assignment is not None:
        return {"assignment": assignment}
    if Workflow.current().self_assignment:
        return {"article": article, "csrf_token": context.get("csrf_token")}
    return {}
