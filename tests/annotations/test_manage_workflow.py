"""The Workflow administration page: the self-assignment switch, with its history."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from annotator.annotations.models import Assignment, Workflow
from tests.factories import digest

pytestmark = pytest.mark.django_db


def test_admin_switches_self_assignment_off_and_analysts_can_no_longer_take(
    client, admin_user, analyst, article
):
    client.force_login(admin_user)
    page = client.get(reverse("annotations:workflow"))
    assert 'name="self_assignment"' in page.text and "checked" in page.text
    response = client.post(reverse("annotations:workflow"), {}, follow=True)
    assert "Saved the workflow settings." in response.text
    assert Workflow.current().self_assignment is False
    (entry,) = LogEntry.objects.all()
    assert entry.user == admin_user
    assert entry.get_change_message() == "Changed analysts may take unassigned articles."
    assert "Changed analysts may take unassigned articles." in response.text
    client.force_login(analyst)
    response = client.post(reverse("annotations:take"), {"article": article.pk})
    assert response.status_code == 409
    assert not Assignment.objects.exists()


def test_saving_without_a_change_writes_no_history(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("annotations:workflow"), {"self_assignment": "on"})
    assert Workflow.current().self_assignment is True
    assert not LogEntry.objects.exists()


def test_the_page_shows_the_server_settings_and_writes_nothing(client, admin_user, settings):
    settings.REVIEW_LEASE_MINUTES = 45
    client.force_login(admin_user)
    before = digest()
    page = client.get(reverse("annotations:workflow")).text
    assert "45 minutes" in page and "REVIEW_LEASE_MINUTES" in page
    assert digest() == before
    assert not Workflow.objects.exists()


def test_only_admins_change_the_workflow(client, analyst, reviewer):
    for person in (analyst, reviewer):
        client.force_login(person)
        assert client.get(reverse("annotations:workflow")).status_code == 403
        assert client.post(reverse("annotations:workflow"), {}).status_code == 403
    assert not Workflow.objects.exists()
