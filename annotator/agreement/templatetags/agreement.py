from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def figure(value: float | None) -> str:
    """A figure with two decimals as the reader writes them (0.82, 0,82), or "n/a" (not
    enough data: the page says what that means)."""
    if value is None:
        return _("n/a")
    return number_format(round(value, 2), 2)
