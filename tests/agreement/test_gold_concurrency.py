"""Curators claiming at the same moment, each thread on its own PostgreSQL connection: never
two on one article. These tests commit for real (transaction=True): a lock only means
something between connections."""

import pytest

from annotator.agreement import gold
from annotator.agreement.models import Curation
from annotator.annotations import spans
from annotator.annotations.models import Assignment
from annotator.refusal import Refused
from tests.agreement.work import TEXT, at
from tests.factories import make_article, make_user
from tests.review.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def shared_article(n, analysts, labels, admin_user):
    article = make_article(TEXT + f" Dépêche {n}.", by=admin_user)
    start, end = at("La mairie")
    for analyst in analysts:
        work = Assignment.objects.create(article=article, analyst=analyst)
        spans.create_span(work.pk, analyst, label=labels["Claim"], start=start, end=end)
        spans.submit(work.pk, analyst)
    return article


def test_curators_claiming_at_once_get_different_articles(
    analyst, other_analyst, admin_user, labels
):
    articles = [shared_article(n, (analyst, other_analyst), labels, admin_user) for n in range(3)]
    curators = [make_user(f"curator{n}", "reviewer") for n in range(5)]

    def claim(curator):
        held = gold.claim_next(curator)
        return held.article_id if held else None

    claimed = run_together(claim, [(c,) for c in curators])
    got = [a for a in claimed if a is not None]
    assert sorted(got) == sorted(a.pk for a in articles)  # each article once, two without
    assert claimed.count(None) == 2
    assert Curation.objects.filter(claimed_by__isnull=False).count() == 3


def test_two_curators_on_one_article_one_wins(analyst, other_analyst, admin_user, labels):
    article = shared_article(0, (analyst, other_analyst), labels, admin_user)
    curators = [make_user(f"curator{n}", "reviewer") for n in range(2)]

    def claim(curator):
        try:
            return gold.claim(article.pk, curator).claimed_by_id
        except Refused:
            return None

    claimed = run_together(claim, [(c,) for c in curators])
    assert claimed.count(None) == 1
    assert Curation.objects.get(article=article).claimed_by_id in claimed
