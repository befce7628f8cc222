"""Promises about articles that can be checked at any time (see annotator.integrity)."""

from collections.abc import Callable

from django.db.models import Count, F

from .models import Article


def sentence_count_disagrees() -> int:
    return Article.objects.annotate(n=Count("sentences")).exclude(sentence_count=F("n")).count()


INVARIANTS: dict[str, Callable[[], int]] = {
    "an article's sentence count disagrees with its sentences": sentence_count_disagrees,
}
