"""The article page's "Annotate" action (annotate_action tag): take the article, or open
one's own assignment; offered only to those who may annotate it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.annotations.models import Assignment, Workflow
from annotator.articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(admin_user):
    return make_article(by=admin_user)


def take_form(page):
    """(action, article id) of the take form on the page, or None."""
    match = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>.*?name="article" value="(\d+)">'
        r'<button type="submit" class="primary">Annotate</button>',
        page,
    )
    return match and (match[1], int(match[2]))


def test_analyst_takes_the_article_from_its_page(client, analyst, article):
    client.force_login(analyst)
    page = client.get(article.get_absolute_url()).text
    assert take_form(page) == (reverse("annotations:take"), article.pk)
    action, article_id = take_form(page)
    response = client.post(action, {"article": article_id})
    assignment = Assignment.objects.get(article=article, analyst=analyst)
    assert response["Location"] == reverse("annotations:annotate", args=[assignment.pk])


def test_analyst_with_an_assignment_opens_it(client, analyst, article):
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    client.force_login(analyst)
    page = client.get(article.get_absolute_url()).text
    url = reverse("annotations:annotate", args=[assignment.pk])
    assert f'<a class="button primary" href="{url}">Annotate</a>' in page
    assert take_form(page) is None


def test_handed_in_work_opens_as_my_annotations(client, analyst, article):
    assignment = Assignment.objects.create(
        article=article, analyst=analyst, status=Assignment.Status.SUBMITTED
    )
    client.force_login(analyst)
    page = client.get(article.get_absolute_url()).text
    url = reverse("annotations:annotate", args=[assignment.pk])
    assert f'<a class="button primary" href="{url}">My annotations</a>' in page


def test_nothing_to_take_when_articles_are_assigned_by_an_admin(client, analyst, article):
    Workflow.objects.update_or_create(pk=1, defaults={"self_assignment": False})
    client.force_login(analyst)
    page = client.get(article.get_absolute_url()).text
    assert take_form(page) is None
    assert reverse("annotations:take") not in page


def test_no_action_for_who_does_not_annotate(client, reviewer, admin_user, article):
    for user in (reviewer, admin_user):
        client.force_login(user)
        page = client.get(article.get_absolute_url()).text
        assert reverse("annotations:take") not in page
        assert "/annotate/" not in page


def test_upload_report_leads_to_the_annotate_action(client, analyst):
    client.force_login(analyst)
    text = SimpleUploadedFile("crue.txt", "Crue de la Lironde\n\nLa rivière déborde.".encode())
    report = client.post(reverse("articles:upload"), {"files": [text]}).text
    (created,) = Article.objects.all()
    assert f'<a href="{created.get_absolute_url()}">' in report
    page = client.get(created.get_absolute_url()).text
    assert take_form(page) == (reverse("annotations:take"), created.pk)
