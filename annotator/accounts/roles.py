"""Roles are Django groups (created by a migration); a user may hold several."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Concatenate

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .authenticated import AuthenticatedHttpRequest

# Where the backend (backends.RoleBackend) leaves the role names it read with the user.
ROLES_ATTRIBUTE = "role_names"


class Role(models.TextChoices):
    ANALYST = "analyst", _("Analyst")
    REVIEWER = "reviewer", _("Reviewer")
    ADMIN = "admin", _("Admin")


def user_roles(user: User | AnonymousUser) -> frozenset[Role]:
    """The set of Role values the user holds, cached on the user for the request.

    A superuser holds every role, so a `createsuperuser` account is never locked out.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_annotator_roles", None)
    if cached is None:
        if user.is_superuser:
            cached = frozenset(Role)
        else:
            names: Iterable[str] | None = getattr(user, ROLES_ATTRIBUTE, None)
            if names is None:  # a user not loaded by the backend (tests, shell)
                names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
            cached = frozenset(Role(name) for name in names)
        # Kept on the user object for the rest of the request: an attribute no model declares.
        user._annotator_roles = cached  # type: ignore[attr-defined]
    return cached


def has_role(user: User | AnonymousUser, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def holders(role: Role) -> models.QuerySet[User]:
    """Active users who hold `role` (superusers hold them all), by username."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=role) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("username")
    )


def _roles_setting(name: str) -> list[Role]:
    """The roles a setting names (read when asked, so that it can change)."""
    try:
        return [Role(role) for role in getattr(settings, name)]
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name} holds an unknown role ({error}); use {Role.values}."
        ) from error


def export_roles() -> list[Role]:
    """The roles that may export spans: settings.EXPORT_ROLES."""
    return _roles_setting("EXPORT_ROLES")


def may_export(user: User | AnonymousUser) -> bool:
    return has_role(user, *export_roles())


def agreement_roles() -> list[Role]:
    """The roles that may see the agreement figures (every analyst's work there):
    settings.AGREEMENT_ROLES."""
    return _roles_setting("AGREEMENT_ROLES")


def may_see_agreement(user: User | AnonymousUser) -> bool:
    return has_role(user, *agreement_roles())


def curator_roles() -> list[Role]:
    """The roles that may adjudicate gold versions: settings.CURATOR_ROLES."""
    return _roles_setting("CURATOR_ROLES")


def may_curate(user: User | AnonymousUser) -> bool:
    return has_role(user, *curator_roles())


# A view: the request, then the URL's arguments (P), returning a response (R). The
# decorators below keep its signature, so a URL argument of the wrong type is still caught.
type View[**P, R] = Callable[Concatenate[AuthenticatedHttpRequest, P], R]


def role_required[**P, R](*roles: Role) -> Callable[[View[P, R]], View[P, R]]:
    """Refuse with 403 unless the user holds one of `roles`.

    Login itself is enforced for every URL by LoginRequiredMiddleware.
    """

    def decorator(view: View[P, R]) -> View[P, R]:
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _allowed_by[**P, R](
    may: Callable[[User | AnonymousUser], bool],
) -> Callable[[View[P, R]], View[P, R]]:
    """Refuse with 403 unless may(user): a roles setting, read per request."""

    def decorator(view: View[P, R]) -> View[P, R]:
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if not may(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def exporter_required[**P, R](view: View[P, R]) -> View[P, R]:
    """role_required(*EXPORT_ROLES), the setting read per request so that it can change."""
    return _allowed_by(may_export)(view)


def agreement_required[**P, R](view: View[P, R]) -> View[P, R]:
    """role_required(*AGREEMENT_ROLES), read per request."""
    return _allowed_by(may_see_agreement)(view)


def curator_required[**P, R](view: View[P, R]) -> View[P, R]:
    """role_required(*CURATOR_ROLES), read per request."""
    return _allowed_by(may_curate)(view)
