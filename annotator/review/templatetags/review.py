from typing import TYPE_CHECKING

from django import template

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
    return "—" if value is None else f"{value:.0f}%"
