"""Adding and editing a label's attributes in the administration pages: each rule said in
the form, with nothing written when it is broken; key and type fixed once used."""

import pytest
from django.contrib.admin.models import LogEntry

from annotator.annotations import spans
from annotator.annotations.models import Attribute, Span
from tests.annotations.attribute_pages import (
    as_stored,
    attribute,
    attribute_data,
    changes,
    create_url,
    edit_url,
    list_url,
    tag_figure,
    tag_of,
)
from tests.factories import digest

pytestmark = pytest.mark.django_db


# --- Adding ---------------------------------------------------------------------------------


def test_admin_adds_an_attribute_and_the_history_says_so(client, admin_user, labels):
    casualty = labels["Casualty figure"]
    client.force_login(admin_user)
    response = client.post(create_url(casualty), attribute_data(), follow=True)
    assert response.redirect_chain == [(list_url(casualty), 302)]
    assert "Saved the attribute “Source”." in response.text
    source = attribute(casualty, "source")
    assert (source.type, source.name_fr, source.max_length, source.required) == (
        "text",
        "Source citée",
        120,
        False,
    )
    assert source.is_active
    (entry,) = LogEntry.objects.all()
    assert entry.user == admin_user and entry.object_id == str(casualty.pk)
    assert entry.get_change_message() == "Added attribute “Source (source)”."
    assert "Added attribute “Source (source)”." in response.text


def test_a_new_choice_attribute_opens_its_page_to_add_choices(client, admin_user, labels):
    casualty = labels["Casualty figure"]
    client.force_login(admin_user)
    data = attribute_data(key="cause", type="choice", name="Cause")
    response = client.post(create_url(casualty), data, follow=True)
    cause = attribute(casualty, "cause")
    assert response.redirect_chain == [(edit_url(cause), 302)]
    assert "Add its choices below." in response.text
    assert 'name="choice-key"' in response.text


def test_the_new_attribute_form_proposes_the_next_order(client, admin_user, labels):
    client.force_login(admin_user)
    page = client.get(create_url(labels["Casualty figure"])).text
    assert 'value="4"' in tag_of(page, "order")


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"key": "Source"}, "key", "The key starts with a lowercase letter"),
        ({"key": "1source"}, "key", "The key starts with a lowercase letter"),
        ({"key": "sourcé"}, "key", "The key starts with a lowercase letter"),
        ({"key": "so urce"}, "key", "The key starts with a lowercase letter"),
        ({"key": "s" * 41}, "key", "at most 40 characters"),
        ({"key": "kind"}, "key", "The attribute “Kind” of this label already has the key “kind”."),
        ({"name": ""}, "name", "This field is required."),
        ({"type": "date"}, "type", "Select a valid choice."),
        ({"order": "-1"}, "order", "The order is a number from 0 to 32767."),
        ({"order": "٣"}, "order", "Write a whole number with the digits 0 to 9"),
        ({"max_length": "0"}, "max_length", "The longest text is from 1 to 2000 characters."),
        ({"max_length": "2001"}, "max_length", "The longest text is from 1 to 2000 characters."),
        ({"max_length": ""}, "max_length", "This field is required."),
        (
            {"type": "integer", "min_value": "٣"},
            "min_value",
            "Write a whole number with the digits 0 to 9",
        ),
        (
            {"type": "integer", "max_value": "１２"},
            "max_value",
            "Write a whole number with the digits 0 to 9",
        ),
        (
            {"type": "integer", "min_value": "1.5"},
            "min_value",
            "Write a whole number with the digits 0 to 9",
        ),
        (
            {"type": "integer", "min_value": "2147483648"},
            "min_value",
            "Beyond the numbers that can be stored (-2147483648 to 2147483647).",
        ),
        (
            {"type": "integer", "min_value": "-2147483649"},
            "min_value",
            "Beyond the numbers that can be stored",
        ),
        (
            {"type": "integer", "max_value": "9" * 5000},
            "max_value",
            "Beyond the numbers that can be stored",
        ),
        (
            {"type": "integer", "min_value": "10", "max_value": "3"},
            "max_value",
            "The largest value (3) is below the smallest (10).",
        ),
        (
            {"min_value": "0"},
            "min_value",
            "Only a whole-number attribute has this setting: clear it.",
        ),
        (
            {"type": "choice", "required": "on"},
            "required",
            "“Source” has no active choice yet, so it cannot be required",
        ),
    ],
)
def test_a_bad_attribute_is_refused_in_the_form_and_nothing_is_saved(
    client, admin_user, labels, changes, field, error
):
    client.force_login(admin_user)
    before = digest()
    response = client.post(create_url(labels["Casualty figure"]), attribute_data(**changes))
    assert response.status_code == 422
    assert error in response.text
    assert 'role="alert"' in response.text
    assert "autofocus" in tag_of(response.text, field)  # the page opens at the error
    assert digest() == before


def test_a_switched_off_attribute_keeps_its_key(client, admin_user, labels):
    casualty = labels["Casualty figure"]
    Attribute.objects.filter(label=casualty, key="precision").update(is_active=False)
    client.force_login(admin_user)
    response = client.post(create_url(casualty), attribute_data(key="precision"))
    assert response.status_code == 422
    assert (
        "The switched-off attribute “Precision” of this label already has the key “precision”: "
        "switch it on again, or choose another key."
    ) in response.text
    assert casualty.attributes.filter(key="precision").count() == 1


def test_the_same_key_on_another_label_is_fine(client, admin_user, labels):
    client.force_login(admin_user)
    response = client.post(create_url(labels["Claim"]), attribute_data(key="kind"))
    assert response.status_code == 302
    assert labels["Claim"].attributes.filter(key="kind").exists()


def test_not_below_names_a_whole_number_attribute_of_the_same_label(client, admin_user, labels):
    casualty = labels["Casualty figure"]
    client.force_login(admin_user)
    kind = attribute(casualty, "kind")
    other = Attribute.objects.create(label=labels["Claim"], key="n", name="N", type="integer")
    for target in (kind, other):
        data = attribute_data(key="total", type="integer", not_below=target.pk)
        response = client.post(create_url(casualty), data)
        assert response.status_code == 422
        assert "“Not below” names another whole-number attribute of this label." in response.text
    data = attribute_data(key="total", type="text", not_below=attribute(casualty, "min").pk)
    response = client.post(create_url(casualty), data)
    assert "Only a whole-number attribute has this setting: clear it." in response.text
    assert not casualty.attributes.filter(key="total").exists()
    data = attribute_data(key="total", type="integer", not_below=attribute(casualty, "max").pk)
    assert client.post(create_url(casualty), data).status_code == 302
    assert attribute(casualty, "total").not_below == attribute(casualty, "max")


def test_an_attribute_is_not_below_itself_nor_in_a_circle(client, admin_user, labels):
    casualty = labels["Casualty figure"]
    minimum, maximum = attribute(casualty, "min"), attribute(casualty, "max")
    client.force_login(admin_user)
    before = digest()
    response = client.post(edit_url(minimum), as_stored(minimum, not_below=minimum.pk))
    assert response.status_code == 422
    assert "“Not below” names another whole-number attribute of this label." in response.text
    response = client.post(edit_url(minimum), as_stored(minimum, not_below=maximum.pk))
    assert response.status_code == 422
    assert "“Max” is already not below this one (directly or through others)." in response.text
    assert digest() == before


def test_a_nul_is_refused_before_the_form(client, admin_user, labels):
    client.force_login(admin_user)
    before = digest()
    for name in ("name", "help_text"):
        response = client.post(
            create_url(labels["Casualty figure"]), attribute_data(**{name: "Sour\x00ce"})
        )
        assert response.status_code == 400
        assert "not valid text" in response.text
    assert digest() == before


# --- Editing --------------------------------------------------------------------------------


def test_admin_edits_an_attribute_and_the_history_names_the_fields(client, admin_user, labels):
    casualty = labels["Casualty figure"]
    maximum = attribute(casualty, "max")
    client.force_login(admin_user)
    data = as_stored(maximum, name="Maximum", min_value="1", max_value="100000", order="5")
    response = client.post(edit_url(maximum), data, follow=True)
    assert response.redirect_chain == [(list_url(casualty), 302)]
    maximum.refresh_from_db()
    assert (maximum.name, maximum.min_value, maximum.max_value) == ("Maximum", 1, 100000)
    assert changes(casualty) == [
        "Changed name, order, smallest value and largest value for attribute “Maximum (max)”."
    ]
    assert "Changed name, order, smallest value" in response.text
    # Sent again unchanged: no change, no history.
    client.post(edit_url(maximum), as_stored(maximum))
    assert len(changes(casualty)) == 1


def test_an_unused_attribute_changes_key_and_type(client, admin_user, labels):
    precision = attribute(labels["Casualty figure"], "precision")
    precision.choices.all().delete()
    client.force_login(admin_user)
    response = client.post(edit_url(precision), as_stored(precision, key="exactness", type="text"))
    assert response.status_code == 302
    precision.refresh_from_db()
    assert (precision.key, precision.type) == ("exactness", "text")


def test_key_and_type_stay_once_a_span_holds_a_value(client, admin_user, assignment, labels):
    tag_figure(assignment, labels, {"precision": None})  # "unknown" is a value too
    precision = attribute(labels["Casualty figure"], "precision")
    client.force_login(admin_user)
    page = client.get(edit_url(precision)).text
    assert "readonly" in tag_of(page, "key")
    assert "1 span holds a value for it (or the history does): its key and type stay." in page
    before = digest()
    response = client.post(edit_url(precision), as_stored(precision, key="exactness"))
    assert response.status_code == 422
    assert "hold values for this attribute under the key “precision”: the key stays." in (
        response.text
    )
    assert "autofocus" in tag_of(response.text, "key")
    response = client.post(edit_url(precision), as_stored(precision, type="text"))
    assert response.status_code == 422
    assert "Spans (or their history) hold values of this attribute: its type stays." in (
        response.text
    )
    assert digest() == before
    # The rest still changes.
    response = client.post(edit_url(precision), as_stored(precision, name="Exactness"))
    assert response.status_code == 302
    assert attribute(labels["Casualty figure"], "precision").name == "Exactness"


def test_key_stays_once_the_history_alone_holds_a_value(client, admin_user, assignment, labels):
    span = tag_figure(assignment, labels, {"precision": "exact"})
    spans.set_attributes(assignment.pk, assignment.analyst, span.pk, values={}, clear=["precision"])
    assert Span.objects.get(pk=span.pk).attributes == {}
    precision = attribute(labels["Casualty figure"], "precision")
    client.force_login(admin_user)
    response = client.post(edit_url(precision), as_stored(precision, key="exactness"))
    assert response.status_code == 422
    assert "the key stays" in response.text


def test_a_choice_attribute_with_choices_keeps_its_type(client, admin_user, labels):
    precision = attribute(labels["Casualty figure"], "precision")
    client.force_login(admin_user)
    response = client.post(edit_url(precision), as_stored(precision, type="text"))
    assert response.status_code == 422
    assert "It has choices: delete them first, then change its type." in response.text


def test_an_attribute_another_is_not_below_stays_a_whole_number(client, admin_user, labels):
    minimum = attribute(labels["Casualty figure"], "min")
    client.force_login(admin_user)
    data = as_stored(minimum, type="text", min_value="")
    response = client.post(edit_url(minimum), data)
    assert response.status_code == 422
    assert "“Max” may not be below this one, so it stays a whole number." in response.text


def test_a_choice_attribute_is_required_only_with_an_active_choice(client, admin_user, labels):
    precision = attribute(labels["Casualty figure"], "precision")
    client.force_login(admin_user)
    assert client.post(edit_url(precision), as_stored(precision, required="on")).status_code == 302
    assert attribute(labels["Casualty figure"], "precision").required
    precision.refresh_from_db()
    precision.choices.update(is_active=False)
    response = client.post(edit_url(precision), as_stored(precision, name="P"))
    assert response.status_code == 422
    assert "“P” has no active choice yet, so it cannot be required" in response.text


def test_a_value_stored_meanwhile_is_refused_by_the_database_in_the_form(
    admin_user, assignment, labels
):
    """The form found the attribute unused; a value arrived before the save: the trigger's
    refusal is the form's message, and nothing is saved."""
    from annotator.accounts import history
    from annotator.annotations import labels as label_admin
    from annotator.annotations.manage_forms import AttributeForm
    from annotator.refusal import Refused

    casualty = labels["Casualty figure"]
    precision = attribute(casualty, "precision")
    form = AttributeForm(as_stored(precision, key="exactness"), instance=precision, label=casualty)
    assert form.is_valid()
    tag_figure(assignment, labels, {"precision": "exact"})
    before = digest()
    with pytest.raises(Refused) as refusal:
        label_admin.save_attribute(
            form.save(commit=False), history.changed_fields(form), by=admin_user
        )
    assert refusal.value.status == 422
    assert "Spans now hold values for “Precision”: its key and type stay" in (refusal.value.message)
    assert digest() == before
