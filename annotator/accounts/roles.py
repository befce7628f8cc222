"""Roles are Django groups (created by a migration); a user may hold several."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

# Where the backend (backends.RoleBackend) leaves the role names it read with the user.
ROLES_ATTRIBUTE = "role_names"


class Role(models.TextChoices):
    ANALYST = "analyst", _("Analyst")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Admin")


def user_roles(user):
    """The set of Role values the user holds, cached on the user for the request.

    A superuser holds every role, so a `createsuperuser` account is never locked out.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_annotator_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role)
        else:
            names = getattr(user, ROLES_ATTRIBUTE, None)
            if names is None:  # a user not loaded by the backend (tests, shell)
                names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
            cached = frozenset(Role(name) for name in names)
        user._annotator_roles = cached
    return cached


def has_role(user, *roles):
    return bool(user_roles(user) & set(roles))


def role_required(*roles):
    """Refuse with 403 unless the user holds one of `roles`.

    Login itself is enforced for every URL by LoginRequiredMiddleware.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        return wrapped

    return decorator
