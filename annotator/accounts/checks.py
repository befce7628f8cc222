"""Settings mistakes caught at start (manage.py check, migrate, runserver), not per page."""

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from .roles import agreement_roles, curator_roles, export_roles


@register()
def role_settings_are_roles(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    # Every page's navigation reads these role settings: a typo would make each page a 500.
    errors: list[CheckMessage] = []
    for read in (export_roles, agreement_roles, curator_roles):
        try:
            read()
        except ImproperlyConfigured as error:
            errors.append(Error(str(error), id="annotator.E001"))
    return errors
