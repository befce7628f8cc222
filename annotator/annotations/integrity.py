"""Promises about spans that can be checked at any time (see annotator.integrity)."""

from collections.abc import Callable

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr

from .models import Span, SpanEvent


def span_text_differs() -> int:
    """A span's text is its article's text[start:end] (substr counts code points from 1)."""
    return (
        Span.objects.annotate(
            covered=Substr("article__text", F("start") + 1, F("end") - F("start"))
        )
        .filter(~Q(text=F("covered")) | Q(end__gt=Length("article__text")))
        .count()
    )


def span_without_creation() -> int:
    created = SpanEvent.objects.filter(span=OuterRef("pk"), kind=SpanEvent.Kind.CREATED)
    return Span.objects.exclude(Exists(created)).count()


INVARIANTS: dict[str, Callable[[], int]] = {
    "a span's text differs from its article's text[start:end]": span_text_differs,
    "a span has no creation event in its history": span_without_creation,
}
