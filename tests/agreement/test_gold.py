"""Adjudication: claims and leases, every way of building a gold version, its history, and
what the database refuses whatever writes."""

import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotator.agreement import gold
from annotator.agreement.models import Curation, GoldEvent, GoldSource, GoldSpan
from annotator.annotations import spans
from annotator.annotations.models import Assignment, Span
from annotator.refusal import Refused
from tests.agreement.work import TEXT, at
from tests.factories import digest, make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(db):
    return make_user("carla", "reviewer")


@pytest.fixture
def other_curator(db):
    return make_user("cyril", "reviewer")


def span_of(article, analyst, phrase=None, label=None):
    spans = Span.objects.filter(article=article, annotator=analyst)
    if phrase is not None:
        spans = spans.filter(text=phrase)
    if label is not None:
        spans = spans.filter(label=label)
    return spans.get()


def test_a_curator_holds_an_article_and_another_is_refused(two_analysts, curator, other_curator):
    held = gold.claim(two_analysts.pk, curator)
    assert held.claimed_by == curator and held.claim_expires_at > timezone.now()
    with pytest.raises(Refused, match="Another curator is adjudicating this article"):
        gold.claim(two_analysts.pk, other_curator)
    assert gold.claim_next(other_curator) is None
    assert gold.claim_next(curator).pk == held.pk  # the held one comes back


def test_a_lease_that_ran_out_frees_the_article(two_analysts, curator, other_curator, labels):
    gold.claim(two_analysts.pk, curator)
    later = timezone.now() + timedelta(minutes=31)
    assert gold.claim(two_analysts.pk, other_curator, later).claimed_by == other_curator
    before = digest()
    with pytest.raises(Refused, match="You are not adjudicating this article"):
        gold.add(two_analysts.pk, curator, label=labels["Claim"], start=0, end=5, now=later)
    assert digest() == before


def test_accepting_one_analysts_span_keeps_every_identical_one_as_source(
    two_analysts, curator, analyst, other_analyst, labels
):
    gold.claim(two_analysts.pk, curator)
    figure = span_of(two_analysts, analyst, "12 morts")
    made = gold.accept(two_analysts.pk, curator, figure.pk)
    assert (made.label, made.text, made.attributes) == (
        labels["Casualty figure"],
        "12 morts",
        {"kind": "killed", "min": 12},
    )
    # Both analysts drew "12 morts" with that label: both spans are its sources.
    assert set(made.sources.values_list("annotator__username", flat=True)) == {"ana", "alex"}
    assert made.adjudicated_by == curator
    event = GoldEvent.objects.get(gold=made)
    assert event.kind == "accepted" and event.after["start"] == figure.start
    # The analysts' own spans are untouched.
    assert span_of(two_analysts, other_analyst, "12 morts").attributes["min"] == 10
    with pytest.raises(Refused, match="already has that span"):
        gold.accept(two_analysts.pk, curator, span_of(two_analysts, other_analyst, "12 morts").pk)


def test_spans_all_analysts_agree_on_are_accepted_in_one_action(two_analysts, curator, labels):
    gold.claim(two_analysts.pk, curator)
    made = gold.accept_agreed(two_analysts.pk, curator)
    # The whole sentence tagged Claim by both; the quote's bounds and the figure's min differ.
    assert [g.label for g in made] == [labels["Claim"]]
    assert gold.accept_agreed(two_analysts.pk, curator) == []  # already in


def test_no_majority_between_two_versions_is_refused_with_what_to_do(
    two_analysts, curator, analyst, other_analyst, labels
):
    gold.claim(two_analysts.pk, curator)
    quote = labels["Quote"]
    row = [span_of(two_analysts, a, label=quote).pk for a in (analyst, other_analyst)]
    with pytest.raises(Refused, match="No version of this span has a majority"):
        gold.accept_majority(two_analysts.pk, curator, row)


def test_a_majority_of_three_wins(two_analysts, curator, analyst, labels):
    third = make_user("ali", "analyst")
    work = Assignment.objects.create(article=two_analysts, analyst=third)
    start, end = at("une nuit d’angoisse")
    spans.create_span(work.pk, third, label=labels["Quote"], start=start, end=end)
    spans.submit(work.pk, third)
    gold.claim(two_analysts.pk, curator)
    row = list(
        Span.objects.filter(article=two_analysts, label=labels["Quote"]).values_list(
            "pk", flat=True
        )
    )
    made = gold.accept_majority(two_analysts.pk, curator, row)
    assert made.text == "une nuit d’angoisse"  # ana's and ali's, not alex's « … »
    assert made.sources.count() == 2


def test_add_change_remove_and_reject_are_each_in_the_history(
    two_analysts, curator, analyst, labels
):
    gold.claim(two_analysts.pk, curator)
    start, end = at("trois gymnases")
    added = gold.add(two_analysts.pk, curator, label=labels["Claim"], start=start, end=end)
    assert added.sources.count() == 0
    changed = gold.change(two_analysts.pk, curator, added.pk, end=end - 1)
    assert changed.text == "trois gymnase"
    relabelled = gold.change(
        two_analysts.pk,
        curator,
        added.pk,
        label=labels["Casualty figure"],
        attributes={"kind": "displaced"},
    )
    assert relabelled.attributes == {"kind": "displaced"}
    gold.remove(two_analysts.pk, curator, added.pk)
    assert GoldSpan.objects.live().filter(pk=added.pk).count() == 0
    assert GoldSpan.objects.filter(pk=added.pk).exists()  # kept, with its history
    quote = span_of(two_analysts, analyst, label=labels["Quote"])
    gold.reject(two_analysts.pk, curator, [quote.pk])
    kinds = list(GoldEvent.objects.values_list("kind", flat=True))
    assert kinds == ["added", "changed", "changed", "removed", "rejected"]
    history = list(GoldEvent.objects.filter(gold=added))
    assert history[1].before["end"] == end and history[1].after["end"] == end - 1
    assert GoldEvent.objects.get(kind="rejected").sources == [quote.pk]


@pytest.mark.parametrize(
    ("bounds", "values", "message"),
    [
        ((0, 0), {}, "within the article"),
        ((0, 10_000), {}, "within the article"),
        ((0, 5), {"kind": "drowned"}, "not one of the answers"),
    ],
)
def test_bad_gold_spans_are_refused_and_nothing_is_written(
    two_analysts, curator, labels, bounds, values, message
):
    gold.claim(two_analysts.pk, curator)
    before = digest()
    with pytest.raises(Refused, match=message):
        gold.add(
            two_analysts.pk,
            curator,
            label=labels["Casualty figure"],
            start=bounds[0],
            end=bounds[1],
            attributes=values,
        )
    assert digest() == before


def test_a_retried_action_lands_once(two_analysts, curator, analyst):
    gold.claim(two_analysts.pk, curator)
    figure = span_of(two_analysts, analyst, "12 morts")
    action = uuid.uuid4()
    assert gold.accept(two_analysts.pk, curator, figure.pk, action_id=action) is not None
    assert gold.accept(two_analysts.pk, curator, figure.pk, action_id=action) is None
    assert GoldSpan.objects.count() == 1


def test_a_finished_gold_version_no_longer_changes(two_analysts, curator, labels):
    gold.claim(two_analysts.pk, curator)
    gold.accept_agreed(two_analysts.pk, curator)
    done = gold.finish(two_analysts.pk, curator)
    assert done.status == "finished" and done.claimed_by is None and done.finished_by == curator
    with pytest.raises(Refused, match="finished"):
        gold.add(two_analysts.pk, curator, label=labels["Claim"], start=0, end=5)
    with pytest.raises(Refused, match="gold version is finished"):
        gold.claim(two_analysts.pk, curator)
    assert not gold.needing_gold().filter(pk=two_analysts.pk).exists()


def test_the_database_keeps_gold_spans_true_to_the_article(two_analysts, curator, labels):
    gold.claim(two_analysts.pk, curator)
    made = gold.accept_agreed(two_analysts.pk, curator)[0]
    curation = Curation.objects.get(article=two_analysts)
    for change in (
        lambda: GoldSpan.objects.filter(pk=made.pk).update(text="autre chose"),
        lambda: GoldSpan.objects.filter(pk=made.pk).update(attributes={"nope": 1}),
        lambda: GoldEvent.objects.filter(curation=curation).update(kind="added"),
        lambda: GoldEvent.objects.filter(curation=curation).delete(),
        lambda: Curation.objects.filter(pk=curation.pk).update(status="finished"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            change()
    article = make_article(TEXT + " Fin.", by=curator)
    work = Assignment.objects.create(article=article, analyst=make_user("ali", "analyst"))
    elsewhere, _ = spans.create_span(work.pk, work.analyst, label=labels["Claim"], start=0, end=5)
    with pytest.raises(IntegrityError, match="another article"), transaction.atomic():
        GoldSource.objects.create(gold=made, span=elsewhere)
