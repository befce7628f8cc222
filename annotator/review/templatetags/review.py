from django import template

from annotator.annotations.models import Span

register = template.Library()


@register.filter
def span_status(value):
    """A stored span status ("pending") as people read it ("Pending")."""
    try:
        return Span.Status(value).label
    except ValueError:
        return value


@register.filter
def percent(value):
    return "—" if value is None else f"{value:.0f}%"
