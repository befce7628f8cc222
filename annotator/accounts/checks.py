"""Settings mistakes caught at start (manage.py check, migrate, runserver), not per page."""

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from .roles import export_roles


@register()
def export_roles_are_roles(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    # Every page's navigation reads EXPORT_ROLES: a typo would make each one a 500.
    try:
        export_roles()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="annotator.E001")]
    return []
