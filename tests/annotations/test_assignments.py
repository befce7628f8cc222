"""Assigning in bulk: the count the page reports is the number of assignments created."""

import pytest
from django.urls import reverse

from annotator.annotations import assignments
from annotator.annotations.models import Assignment
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(admin_user):
    return [make_article(f"Texte numéro {i}.", by=admin_user) for i in range(3)]


def test_assign_counts_the_new_pairs_not_the_existing_ones(
    admin_user, analyst, other_analyst, articles
):
    Assignment.objects.create(article=articles[0], analyst=analyst)
    count = assignments.assign(
        [a.pk for a in articles[:2]], [analyst.pk, other_analyst.pk], admin_user
    )
    assert count == 3
    assert Assignment.objects.count() == 4
    assert assignments.assign([articles[0].pk], [analyst.pk], admin_user) == 0


def test_assign_per_article_counts_what_it_created(admin_user, analyst, other_analyst, articles):
    Assignment.objects.create(article=articles[0], analyst=analyst)
    count = assignments.assign_per_article([a.pk for a in articles], 2, admin_user)
    assert count == Assignment.objects.count() - 1 == 5
    assert assignments.assign_per_article([a.pk for a in articles], 2, admin_user) == 0


def test_the_article_list_says_how_many_were_assigned(client, admin_user, analyst, articles):
    client.force_login(admin_user)
    response = client.post(
        reverse("annotations:assign"),
        {"articles": [a.pk for a in articles], "analysts": [analyst.pk]},
        follow=True,
    )
    assert "3 new assignments." in response.text
