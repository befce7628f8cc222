from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .roles import Role, agreement_roles, curator_roles, export_roles, user_roles

try:
    VERSION = version("annotator")
except PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "dev"


def roles(request: HttpRequest) -> dict[str, Any]:
    """What the navigation shows; every view checks the same roles on the server."""
    held = user_roles(request.user) if hasattr(request, "user") else frozenset()
    return {
        "is_analyst": Role.ANALYST in held,
        "is_reviewer": Role.REVIEWER in held,
        "is_admin": Role.ADMIN in held,
        "can_export": bool(held & set(export_roles())),
        "can_see_agreement": bool(held & set(agreement_roles())),
        "can_curate": bool(held & set(curator_roles())),
        "app_version": VERSION,
    }


def client(request: HttpRequest) -> dict[str, Any]:
    """What the pages' scripts are told (base.html's body data attributes)."""
    return {"retry_delays": ",".join(f"{delay:g}" for delay in settings.ACTION_RETRY_DELAYS)}
