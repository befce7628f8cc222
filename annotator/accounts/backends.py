"""Authentication backend: the session's user arrives with their roles, in one query."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from .roles import ROLES_ATTRIBUTE, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class RoleBackend(ModelBackend):
    """ModelBackend whose get_user also reads the user's role groups.

    Every page checks a role; without this, each request paid one more query for it.
    """

    def get_user(self, user_id: Any) -> "User | None":
        User = get_user_model()
        groups = Group.objects.filter(user=OuterRef("pk"), name__in=Role.values).values("name")
        try:
            user = User._default_manager.annotate(**{ROLES_ATTRIBUTE: ArraySubquery(groups)}).get(
                pk=user_id
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
