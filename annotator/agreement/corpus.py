"""The work agreement is measured on, read from the database for metrics.py.

An article counts when two analysts or more have work on it in the chosen statuses
(handed in, by default); its coders are those analysts, each with their live spans (an
analyst who tagged nothing is a coder with no units, who disagrees with every unit of the
others). Spans are read in one streaming query, whatever the number of articles.
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from annotator.annotations.models import Assignment, Span
from annotator.articles.models import Article, Sentence

from .metrics import Unit


@dataclass(frozen=True)
class Selection:
    """Which work: the assignments' statuses, and filters on labels, analysts, articles."""

    statuses: tuple[str, ...] = tuple(Assignment.HANDED_IN)
    label_ids: tuple[int, ...] = ()
    analyst_ids: tuple[int, ...] = ()
    source: str = ""
    published_from: date | None = None
    published_to: date | None = None
    article_ids: tuple[int, ...] = ()

    def assignments(self) -> QuerySet[Assignment]:
        """The chosen work, on articles where two analysts or more have such work."""
        work = Assignment.objects.filter(status__in=self.statuses)
        if self.analyst_ids:
            work = work.filter(analyst_id__in=self.analyst_ids)
        articles = Q()
        if self.source:
            articles &= Q(article__source__iexact=self.source)
        if self.published_from:
            articles &= Q(article__published_at__gte=self.published_from)
        if self.published_to:
            articles &= Q(article__published_at__lte=self.published_to)
        if self.article_ids:
            articles &= Q(article_id__in=self.article_ids)
        work = work.filter(articles)
        shared = work.values("article_id").annotate(n=Count("id")).filter(n__gte=2)
        return work.filter(article_id__in=shared.values("article_id"))


@dataclass
class Corpus:
    """items: article id → analyst id → units; lengths: article id → characters; values:
    (article, analyst, unit) → that span's values (the first of identical spans)."""

    items: dict[int, dict[int, list[Unit]]] = field(default_factory=dict)
    lengths: dict[int, int] = field(default_factory=dict)
    # article id → the Monday of the week its last analyst handed it in (or started it)
    weeks: dict[int, date] = field(default_factory=dict)
    values: dict[tuple[int, int, Unit], dict[str, Any]] = field(default_factory=dict)

    def value_pairs(self, label: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """The values of spans of `label` that two analysts drew identically (label and
        bounds), one pair per two analysts of an article."""
        pairs = []
        for article, coders in self.items.items():
            analysts = sorted(coders)
            for i, a in enumerate(analysts):
                mine = {u for u in coders[a] if u.label == label}
                for b in analysts[i + 1 :]:
                    for unit in mine & {u for u in coders[b] if u.label == label}:
                        pairs.append((self.values[article, a, unit], self.values[article, b, unit]))
        return pairs


def load(selection: Selection) -> Corpus:
    """Three queries: the work (with when it was handed in), the articles' lengths, the
    spans (streamed)."""
    corpus = Corpus()
    work = selection.assignments()
    when = work.annotate(at=Coalesce("submitted_at", "created_at"))
    for article_id, analyst_id, at in when.values_list("article_id", "analyst_id", "at"):
        corpus.items.setdefault(article_id, {})[analyst_id] = []
        day = timezone.localdate(at)
        monday = day - timedelta(days=day.weekday())
        corpus.weeks[article_id] = max(corpus.weeks.get(article_id, monday), monday)
    if not corpus.items:
        return corpus
    lengths = Article.objects.filter(pk__in=list(corpus.items)).annotate(n=Length("text"))
    corpus.lengths = dict(lengths.values_list("pk", "n"))
    spans = Span.objects.live().filter(assignment__in=work)
    if selection.label_ids:
        spans = spans.filter(label_id__in=selection.label_ids)
    rows = spans.values_list("article_id", "annotator_id", "label_id", "start", "end", "attributes")
    for article_id, analyst_id, label_id, start, end, values in rows.iterator(chunk_size=5000):
        unit = Unit(label_id, start, end)
        corpus.items[article_id][analyst_id].append(unit)
        corpus.values.setdefault((article_id, analyst_id, unit), values)
    return corpus


NONE = "none"  # the category of a sentence an analyst gave no label to


SentenceKey = tuple[int, int, int]  # article id, start, end


def sentence_ratings(corpus: Corpus) -> dict[SentenceKey, dict[int, Hashable]]:
    """Labels given to whole sentences (a span over exactly a sentence's bounds, as the
    annotation page tags a focused sentence). In the articles where any analyst did so,
    every sentence is rated by each of the article's analysts: (article, start, end) →
    analyst id → category. The category of a sentence given several labels by one analyst
    is their set; given none, NONE (agreeing that a sentence holds nothing counts too)."""
    whole: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for article, coders in corpus.items.items():
        for units in coders.values():
            whole[article].update((u.start, u.end) for u in units)
    sentences = Sentence.objects.filter(article_id__in=list(corpus.items)).values_list(
        "article_id", "start", "end"
    )
    bounds: dict[int, list[tuple[int, int]]] = defaultdict(list)
    tagged_whole: set[int] = set()
    for article, start, end in sentences.iterator(chunk_size=5000):
        bounds[article].append((start, end))
        if (start, end) in whole[article]:
            tagged_whole.add(article)
    ratings: dict[SentenceKey, dict[int, Hashable]] = {}
    for article in sorted(tagged_whole):
        for start, end in bounds[article]:
            row: dict[int, Hashable] = {}
            for analyst, units in corpus.items[article].items():
                labels = sorted(
                    (u.label for u in units if (u.start, u.end) == (start, end)), key=repr
                )
                row[analyst] = tuple(labels) if labels else NONE
            ratings[article, start, end] = row
    return ratings
