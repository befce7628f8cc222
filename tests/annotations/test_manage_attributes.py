"""A label's attributes in the administration pages: listed, added, edited, switched off and
on, deleted only while unused; each refusal in the form, with nothing written."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Attribute, AttributeChoice, Label, Span
from tests.factories import digest

pytestmark = pytest.mark.django_db

FIGURE = "1\u202f850 habitants"


def attribute(label, key):
    return Attribute.objects.get(label=label, key=key)


def list_url(label):
    return reverse("annotations:attributes", args=[label.pk])


def create_url(label):
    return reverse("annotations:attribute_create", args=[label.pk])


def edit_url(attribute):
    return reverse("annotations:attribute_edit", args=[attribute.pk])


def attribute_data(**changes):
    """A new text attribute as the form sends it ("required" unticked); None drops a field."""
    data = {
        "key": "source",
        "type": "text",
        "name": "Source",
        "name_fr": "Source citée",
        "help_text": "Who gave the figure.",
        "help_text_fr": "",
        "order": "9",
        "min_value": "",
        "max_value": "",
        "not_below": "",
        "max_length": "120",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def as_stored(attribute, **changes):
    """The edit form of `attribute` sent back unchanged, but for `changes`."""
    data = {
        "key": attribute.key,
        "type": attribute.type,
        "name": attribute.name,
        "name_fr": attribute.name_fr,
        "help_text": attribute.help_text,
        "help_text_fr": attribute.help_text_fr,
        "order": str(attribute.order),
        "min_value": "" if attribute.min_value is None else str(attribute.min_value),
        "max_value": "" if attribute.max_value is None else str(attribute.max_value),
        "not_below": attribute.not_below_id or "",
        "max_length": str(attribute.max_length),
        **({"required": "on"} if attribute.required else {}),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def tag_figure(assignment, labels, values):
    start = assignment.article.text.index(FIGURE)
    span, _ = spans.create_span(
        assignment.pk,
        assignment.analyst,
        label=labels["Casualty figure"],
        start=start,
        end=start + len(FIGURE),
        attributes=values,
    )
    return span


def row(page, key):
    start = page.index(f'id="attribute-{key}"')
    return page[start : page.index("</tr>", start)]


def tag_of(page, name):
    """The form control named `name` (its opening tag)."""
    return re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', page).group(0)


def changes(label):
    return [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(label.pk))]


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
    assert "« Précision »" in response.text or "“Précision”" in response.text
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
    from annotator.annotations.forms import AttributeForm
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
