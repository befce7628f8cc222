"""The agreement page's figures, from the work a Selection picks (corpus.load)."""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from annotator.annotations.attributes import Schema
from annotator.annotations.models import Label
from annotator.articles.models import Article

from . import metrics
from .corpus import Corpus, Selection, SentenceKey, load, sentence_ratings

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The articles listed, those the analysts agree on least first.
LISTED_ARTICLES = 50


@dataclass(frozen=True)
class ValueFigure:
    name: str  # the attribute's name, in the reader's language
    agreement: metrics.ValueAgreement


@dataclass(frozen=True)
class LabelFigures:
    label: Label
    exact: metrics.F1
    overlap: metrics.F1
    alpha_u: metrics.AlphaU
    values: list[ValueFigure]


@dataclass(frozen=True)
class PairFigures:
    a: "User"  # the reference
    b: "User"
    exact: metrics.F1
    overlap: metrics.F1
    sentences: metrics.Kappa | None  # Cohen's κ on whole sentences both rated


@dataclass(frozen=True)
class SentenceFigures:
    sentences: int
    fleiss: metrics.Kappa | None  # when every sentence has the same number of analysts
    alpha: metrics.Kappa


@dataclass(frozen=True)
class ArticleFigures:
    article: Article
    analysts: int
    exact: metrics.F1
    overlap: metrics.F1


@dataclass(frozen=True)
class Confusion:
    """label_confusion as a table: rows and columns are the labels (and, last column, no
    span); cells[i][j]: spans of row i's label where the other analyst drew column j's."""

    labels: list[Label]
    cells: list[list[int]]
    total: int

    @property
    def rows(self) -> list[tuple[Label, list[int]]]:
        return list(zip(self.labels, self.cells, strict=True))


@dataclass(frozen=True)
class Week:
    monday: date
    articles: int
    exact: metrics.F1
    overlap: metrics.F1


@dataclass(frozen=True)
class Report:
    articles: int  # with two analysts or more
    analysts: int
    exact: metrics.F1
    overlap: metrics.F1
    alpha_u: float | None  # all labels: 1 − Σ observed / Σ expected
    labels: list[LabelFigures]
    pairs: list[PairFigures]
    sentences: SentenceFigures | None
    listed: list[ArticleFigures]  # least agreement first
    weeks: list[Week]
    confusion: Confusion


def report(selection: Selection) -> Report:
    corpus = load(selection)
    label_ids = {u.label for coders in corpus.items.values() for us in coders.values() for u in us}
    labels = list(Label.objects.filter(pk__in=label_ids | set(selection.label_ids)))
    schema = Schema.of_labels(labels)
    exact = metrics.SpanCounts(corpus.items)
    overlap = metrics.SpanCounts(corpus.items, match="overlap")
    per_label = [_label_figures(corpus, label, schema, exact, overlap) for label in labels]
    # All labels together as DKPro Statistics and Krippendorff do: the disagreements summed.
    sums = [
        (f.alpha_u.observed, f.alpha_u.expected)
        for f in per_label
        if f.alpha_u.observed is not None and f.alpha_u.expected
    ]
    expected = sum(e for _o, e in sums)
    overall_alpha = 1 - sum(o for o, _e in sums) / expected if expected else None
    analyst_ids = {a for coders in corpus.items.values() for a in coders}
    users = get_user_model().objects.in_bulk(analyst_ids)
    ratings = sentence_ratings(corpus)
    exact_all, overlap_all = exact.agreement(), overlap.agreement()
    pairs = [
        PairFigures(
            users[a],
            users[b],
            figure,
            overlap_all.pairs[a, b],
            _cohen(ratings, a, b) if ratings else None,
        )
        for (a, b), figure in sorted(
            exact_all.pairs.items(),
            key=lambda kv: (users[kv[0][0]].username, users[kv[0][1]].username),
        )
    ]
    return Report(
        articles=len(corpus.items),
        analysts=len(analyst_ids),
        exact=exact_all.overall,
        overlap=overlap_all.overall,
        alpha_u=overall_alpha,
        labels=sorted(per_label, key=lambda f: (f.label.order, f.label.name)),
        pairs=pairs,
        sentences=_sentence_figures(ratings) if ratings else None,
        listed=_least_agreement(corpus, exact, overlap),
        weeks=_weeks(corpus, exact, overlap),
        confusion=_confusion(corpus, sorted(labels, key=lambda label: (label.order, label.name))),
    )


def _label_figures(
    corpus: Corpus,
    label: Label,
    schema: Schema,
    exact: metrics.SpanCounts,
    overlap: metrics.SpanCounts,
) -> LabelFigures:
    values = metrics.attribute_agreement(corpus.value_pairs(label.pk))
    names = {a.key: a.display_name for a in schema.of(label.pk)}
    return LabelFigures(
        label,
        exact.agreement(label=label.pk).overall,
        overlap.agreement(label=label.pk).overall,
        metrics.alpha_unitizing(corpus.items, corpus.lengths, label.pk),
        [ValueFigure(names.get(key, key), figure) for key, figure in values.items()],
    )


def _cohen(ratings: dict[SentenceKey, dict[int, Hashable]], a: int, b: int) -> metrics.Kappa:
    return metrics.cohen_kappa([(r[a], r[b]) for r in ratings.values() if a in r and b in r])


def _sentence_figures(ratings: dict[SentenceKey, dict[int, Hashable]]) -> SentenceFigures:
    analysts = sorted({a for row in ratings.values() for a in row})
    rows: Sequence[Sequence[Hashable | None]] = [
        [row.get(a) for a in analysts] for row in ratings.values()
    ]
    counts = {len(row) for row in ratings.values()}
    fleiss = None
    if len(counts) == 1 and counts != {2}:
        fleiss = metrics.fleiss_kappa([list(row.values()) for row in ratings.values()])
    return SentenceFigures(len(ratings), fleiss, metrics.alpha_nominal(rows))


def _least_agreement(
    corpus: Corpus, exact: metrics.SpanCounts, overlap: metrics.SpanCounts
) -> list[ArticleFigures]:
    exact_by_item, overlap_by_item = exact.per_item(), overlap.per_item()
    listed = sorted(
        exact_by_item.items(),
        key=lambda kv: (kv[1].f1 if kv[1].f1 is not None else 2.0, kv[0]),
    )[:LISTED_ARTICLES]
    articles = Article.objects.only("pk", "title").in_bulk([item for item, _f1 in listed])
    return [
        ArticleFigures(articles[item], len(corpus.items[item]), figure, overlap_by_item[item])
        for item, figure in listed
    ]


def _weeks(corpus: Corpus, exact: metrics.SpanCounts, overlap: metrics.SpanCounts) -> list[Week]:
    """Agreement per week in which the articles were handed in (their last analyst's)."""
    exact_by, overlap_by = (
        exact.grouped(corpus.weeks.__getitem__),
        overlap.grouped(corpus.weeks.__getitem__),
    )
    articles = Counter(corpus.weeks[item] for item in corpus.items if len(corpus.items[item]) > 1)
    return [
        Week(monday, articles[monday], exact_by[monday], overlap_by[monday])
        for monday in sorted(exact_by)
    ]


def _confusion(corpus: Corpus, labels: list[Label]) -> Confusion:
    counts = metrics.label_confusion(corpus.items)
    columns = [label.pk for label in labels] + [metrics.NO_SPAN]
    cells = [[counts[label.pk, column] for column in columns] for label in labels]
    return Confusion(labels, cells, sum(counts.values()))
