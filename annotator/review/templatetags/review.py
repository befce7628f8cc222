from typing import TYPE_CHECKING

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from annotator.annotations.models import Span

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()


@register.filter
def span_status(value: str) -> "StrOrPromise":
    """A stored span status ("pending") as people read it ("Pending")."""
    try:
        return Span.Status(value).label
    except ValueError:
        return value


@register.filter
def percent(value: float | None) -> str:
    """85.2 as "85%", or "85 %" in French (a narrow no-break space before the sign)."""
    if value is None:
        return "—"
    return _("%(rate)s%%") % {"rate": number_format(round(value))}
