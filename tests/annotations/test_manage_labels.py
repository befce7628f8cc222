"""The Labels administration page: create, edit, switch off and on; never delete."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, transaction
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Label
from tests.factories import digest

pytestmark = pytest.mark.django_db


def label_data(**changes):
    data = {
        "name": "Rumour",
        "description": "A claim passed on without a source.",
        "color": "5",
        "key": "5",
        "order": "5",
        "is_active": "on",
        "suggest": "on",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def test_the_list_shows_each_label_with_its_key_colour_state_and_spans(
    client, admin_user, assignment, analyst, labels
):
    spans.create_span(assignment.pk, analyst, label=labels["Claim"], start=0, end=4)
    Label.objects.filter(name="Quote").update(is_active=False)
    client.force_login(admin_user)
    page = client.get(reverse("annotations:labels")).text
    claim = page[page.index(">Claim<") : page.index("</tr>", page.index(">Claim<"))]
    assert "Colour 1" in claim  # the colour in words, not only as a colour
    assert "<td>1</td>" in claim  # one span
    quote = page[page.index(">Quote<") : page.index("</tr>", page.index(">Quote<"))]
    assert "off" in quote and "Switch on Quote" in quote
    names = ["Claim", "Quote", "Casualty figure", "Policy stance"]  # by order
    assert sorted(names, key=lambda name: page.index(f">{name}<")) == names


def test_admin_creates_a_label_and_analysts_get_it(client, admin_user, assignment, analyst):
    client.force_login(admin_user)
    response = client.post(reverse("annotations:label_create"), label_data(), follow=True)
    assert "Saved the label “Rumour”." in response.text
    rumour = Label.objects.get(name="Rumour")
    assert (rumour.key, rumour.color, rumour.is_active) == ("5", 5, True)
    entry = LogEntry.objects.get(object_id=str(rumour.pk))
    assert entry.user == admin_user and entry.is_addition()
    client.force_login(analyst)
    page = client.get(reverse("annotations:annotate", args=[assignment.pk])).text
    assert 'data-key="5"' in page and "Rumour" in page


def test_admin_edits_a_label_and_the_history_names_the_fields(client, admin_user, labels):
    claim = labels["Claim"]
    client.force_login(admin_user)
    data = label_data(name="Claim", key="1", color="1", order="0", description="Checkable.")
    response = client.post(reverse("annotations:label_edit", args=[claim.pk]), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.description == "Checkable."
    (entry,) = LogEntry.objects.filter(object_id=str(claim.pk))
    assert entry.get_change_message() == "Changed guideline."
    assert "Changed guideline." in client.get(reverse("annotations:labels")).text


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": "Claim"}, "A label named “Claim” already exists"),
        ({"name": "claim"}, "A label named “claim” already exists"),
        ({"name": ""}, "This field is required."),
        ({"key": "0"}, "The key is a single digit from 1 to 9."),
        ({"key": "x"}, "The key is a single digit from 1 to 9."),
        ({"key": "12"}, "The key is a single digit from 1 to 9."),
        ({"key": "1"}, "The active label “Claim” already uses the key 1"),
        ({"color": "9"}, "Select a valid choice."),
    ],
)
def test_bad_label_is_refused_in_the_form_and_nothing_is_saved(
    client, admin_user, labels, changes, error
):
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("annotations:label_create"), label_data(**changes))
    assert response.status_code == 422
    assert error in response.text
    assert 'role="alert"' in response.text
    assert digest() == before
    assert not LogEntry.objects.exists()


def test_a_switched_off_label_may_share_a_key(client, admin_user, labels):
    client.force_login(admin_user)
    response = client.post(reverse("annotations:label_create"), label_data(key="1", is_active=None))
    assert response.status_code == 302
    assert Label.objects.filter(name="Rumour", key="1", is_active=False).exists()


def test_switching_off_and_on_keeps_the_label_and_its_spans(
    client, admin_user, assignment, analyst, labels
):
    claim = labels["Claim"]
    spans.create_span(assignment.pk, analyst, label=claim, start=0, end=4)
    client.force_login(admin_user)
    url = reverse("annotations:label_active", args=[claim.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert "“Claim” is switched off" in response.text
    assert Label.objects.filter(pk=claim.pk, is_active=False).exists()
    assert claim.spans.count() == 1
    client.post(url, {"active": "0"})  # a double click writes nothing more
    client.post(url, {"active": "1"})
    assert Label.objects.filter(pk=claim.pk, is_active=True).exists()
    changes = [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(claim.pk))]
    assert changes == ["Changed active.", "Changed active."]
    page = client.get(reverse("annotations:labels")).text
    assert "Deactivated." in page and "Reactivated." in page


def test_switching_on_a_label_whose_key_was_taken_is_refused(client, admin_user, labels):
    quote = labels["Quote"]
    Label.objects.filter(pk=quote.pk).update(is_active=False)
    Label.objects.create(name="Rumour", key=quote.key, color=5)
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("annotations:label_active", args=[quote.pk]), {"active": "1"})
    assert response.status_code == 409
    assert "Another active label already uses the key 2" in response.text
    assert digest() == before
    assert not LogEntry.objects.exists()


def test_labels_are_never_deleted_here(client, admin_user, labels):
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("annotations:label_active", args=[labels["Claim"].pk]), {})
    assert response.status_code == 422
    assert "Say whether to switch the label off or on." in response.text
    assert digest() == before
    assert Label.objects.count() == 4


def test_names_differing_only_in_capitals_are_refused_by_the_database(labels):
    with pytest.raises(IntegrityError), transaction.atomic():
        Label.objects.create(name="CLAIM", key="7", color=5, is_active=False)


def test_only_admins_manage_labels(client, analyst, reviewer, labels):
    for person in (analyst, reviewer):
        client.force_login(person)
        assert client.get(reverse("annotations:labels")).status_code == 403
        assert client.post(reverse("annotations:label_create"), label_data()).status_code == 403
    assert not Label.objects.filter(name="Rumour").exists()
