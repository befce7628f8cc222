"""A label's attributes in the administration pages: the list, switching off and on, and
deleting only what was never used."""

import re

import pytest
from django.urls import reverse

from annotator.annotations.models import Attribute, AttributeChoice, Label, Span
from tests.annotations.attribute_pages import (
    as_stored,
    attribute,
    attribute_data,
    changes,
    create_url,
    edit_url,
    list_url,
    row,
    tag_figure,
)
from tests.factories import digest

pytestmark = pytest.mark.django_db


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_each_attribute_in_order_with_its_settings_and_use(
    client, admin_user, assignment, labels
):
    tag_figure(assignment, labels, {"kind": "killed", "min": "2"})
    casualty = labels["Casualty figure"]
    AttributeChoice.objects.filter(attribute__label=casualty, key="affected").update(
        is_active=False
    )
    client.force_login(admin_user)
    page = client.get(list_url(casualty)).text
    assert re.findall(r'id="attribute-(\w+)"', page) == [
        "kind",
        "min",
        "max",
        "precision",
    ]
    kind = row(page, "kind")
    assert "<code>kind</code>" in kind and ">Kind</a>" in kind and ">Nature</td>" in kind
    assert "Choice" in kind and "<code>killed</code> killed" in kind
    assert "<code>affected</code> affected <strong>(off)</strong>" in kind
    assert "required" in kind and "<td>1 <small" in kind and "in use" in kind
    assert "Delete Kind" not in kind  # in use: switched off, never deleted
    maximum = row(page, "max")
    assert "Whole number, at least 0, not below Min" in maximum
    assert "<td>0</td>" in maximum and "Delete Max" in maximum
    assert "optional" in row(page, "precision")
    # Reached from the label's list and its form.
    assert f'href="{list_url(casualty)}"' in client.get(reverse("annotations:labels")).text
    label_page = client.get(reverse("annotations:label_edit", args=[casualty.pk])).text
    assert f'href="{list_url(casualty)}"' in label_page


def test_the_list_shows_text_lengths_and_switched_off_attributes(client, admin_user, labels):
    stance = labels["Policy stance"]
    Attribute.objects.filter(label=stance, key="holder").update(is_active=False)
    client.force_login(admin_user)
    page = client.get(list_url(stance)).text
    assert "Text, at most 200 characters" in row(page, "target")
    holder = row(page, "holder")
    assert "<strong>off</strong>" in holder and "Switch on Holder" in holder


def test_the_list_shows_names_in_french_for_a_french_reader(client, admin_user, labels):
    client.force_login(admin_user)
    page = client.get(list_url(labels["Casualty figure"]), HTTP_ACCEPT_LANGUAGE="fr").text
    assert '<html lang="fr">' in page
    assert "<code>killed</code> tués" in row(page, "kind")
    assert "<code>killed</code> killed" not in page
    page = client.get(list_url(labels["Casualty figure"]), HTTP_ACCEPT_LANGUAGE="en").text
    assert "<code>killed</code> killed" in row(page, "kind")


def test_messages_name_the_attribute_in_the_readers_language(client, admin_user, labels):
    client.force_login(admin_user)
    client.cookies["django_language"] = "fr"
    precision = attribute(labels["Casualty figure"], "precision")
    url = reverse("annotations:attribute_active", args=[precision.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert "«\u00a0Précision\u00a0»" in response.text  # the French name, French quotes
    assert "“Precision”" not in response.text


def more_attributes(label, count):
    for i in range(count):
        made = Attribute.objects.create(
            label=label, key=f"extra_{i}", name=f"Extra {i}", type="choice", order=10 + i
        )
        made.choices.create(key="a", name="A")
        made.choices.create(key="b", name="B")
        Attribute.objects.create(
            label=label,
            key=f"count_{i}",
            name=f"Count {i}",
            type="integer",
            not_below=attribute(label, "min"),
        )


def test_the_list_takes_a_fixed_number_of_queries(
    client, admin_user, assignment, labels, django_assert_num_queries
):
    casualty = labels["Casualty figure"]
    tag_figure(assignment, labels, {"kind": "killed"})
    client.force_login(admin_user)
    client.post(
        reverse("annotations:attribute_active", args=[attribute(casualty, "max").pk]),
        {"active": "0"},
    )
    client.get(list_url(casualty))  # content types cached, as in a running server
    # Session, user (with its roles); the label; its history; its attributes with their use;
    # their choices.
    with django_assert_num_queries(6):
        small = client.get(list_url(casualty))
    more_attributes(casualty, 10)
    with django_assert_num_queries(6):
        big = client.get(list_url(casualty))
    assert small.status_code == big.status_code == 200
    assert big.text.count('class="attribute-row') == 24


# --- Switching off and on, deleting ---------------------------------------------------------


def test_an_attribute_in_use_is_switched_off_not_deleted(client, admin_user, assignment, labels):
    casualty = labels["Casualty figure"]
    span = tag_figure(assignment, labels, {"kind": "killed"})
    kind = attribute(casualty, "kind")
    client.force_login(admin_user)
    page = client.get(reverse("annotations:attribute_delete", args=[kind.pk])).text
    assert "“Kind” is in use" in page and "Switch off Kind" in page
    assert 'name="confirm"' not in page
    before = digest()
    delete = reverse("annotations:attribute_delete", args=[kind.pk])
    response = client.post(delete, {"confirm": "on"})
    assert response.status_code == 409
    assert "“Kind” is in use (spans or their history hold values for it)" in response.text
    assert digest() == before
    url = reverse("annotations:attribute_active", args=[kind.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert "“Kind” is switched off: analysts no longer see it; the values stored stay." in (
        response.text
    )
    assert not attribute(casualty, "kind").is_active
    assert Span.objects.get(pk=span.pk).attributes == {"kind": "killed"}
    client.post(url, {"active": "0"})  # a double click writes nothing more
    client.post(url, {"active": "1"})
    assert attribute(casualty, "kind").is_active
    assert changes(casualty) == [
        "Changed active (now on) for attribute “Kind (kind)”.",
        "Changed active (now off) for attribute “Kind (kind)”.",
    ]
    page = client.get(list_url(casualty)).text
    assert "Changed active (now off) for attribute “Kind (kind)”." in page


def test_the_switch_needs_to_know_which_way(client, admin_user, labels):
    kind = attribute(labels["Casualty figure"], "kind")
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("annotations:attribute_active", args=[kind.pk]), {})
    assert response.status_code == 422
    assert "Say whether to switch it off or on." in response.text
    assert digest() == before


def test_an_unused_attribute_is_deleted_after_confirmation(client, admin_user, labels):
    casualty = labels["Casualty figure"]
    precision = attribute(casualty, "precision")
    url = reverse("annotations:attribute_delete", args=[precision.pk])
    client.force_login(admin_user)
    page = client.get(url).text
    assert "was never used" in page and 'name="confirm"' in page
    before = digest()
    response = client.post(url, {})  # no confirmation: nothing deleted
    assert response.status_code == 422
    assert "Confirm the deletion on its page" in response.text
    assert digest() == before
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert response.redirect_chain == [(list_url(casualty), 302)]
    assert "Deleted the attribute “Precision”." in response.text
    assert not casualty.attributes.filter(key="precision").exists()
    assert not AttributeChoice.objects.filter(attribute_id=precision.pk).exists()
    assert changes(casualty) == ["Deleted attribute “Precision (precision)”."]
    assert "Deleted attribute “Precision (precision)”." in response.text
    assert client.post(url, {"confirm": "on"}).status_code == 404  # a second click


def test_an_attribute_another_is_not_below_is_not_deleted(client, admin_user, labels):
    minimum = attribute(labels["Casualty figure"], "min")
    client.force_login(admin_user)
    before = digest()
    url = reverse("annotations:attribute_delete", args=[minimum.pk])
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 409
    assert "“Max” may not be below “Min”: change that attribute first." in response.text
    assert digest() == before


def test_only_admins_manage_attributes(client, analyst, reviewer, labels):
    casualty = labels["Casualty figure"]
    kind = attribute(casualty, "kind")
    for person in (analyst, reviewer):
        client.force_login(person)
        before = digest()
        assert client.get(list_url(casualty)).status_code == 403
        assert client.post(create_url(casualty), attribute_data()).status_code == 403
        assert client.post(edit_url(kind), as_stored(kind, name="K")).status_code == 403
        url = reverse("annotations:attribute_delete", args=[kind.pk])
        assert client.post(url, {"confirm": "on"}).status_code == 403
        assert digest() == before
    assert Label.objects.count() == 4
