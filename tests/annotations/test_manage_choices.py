"""A choice attribute's choices in the administration pages: added, renamed, reordered,
switched off and on, deleted only while unused; keys fixed once used."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Attribute, AttributeChoice, Span
from tests.factories import digest

pytestmark = pytest.mark.django_db

FIGURE = "1\u202f850 habitants"


@pytest.fixture
def precision(labels):
    return Attribute.objects.get(label=labels["Casualty figure"], key="precision")


def choice(attribute, key):
    return AttributeChoice.objects.get(attribute=attribute, key=key)


def page_url(attribute):
    return reverse("annotations:attribute_edit", args=[attribute.pk])


def add_url(attribute):
    return reverse("annotations:choice_create", args=[attribute.pk])


def edit_url(item):
    return reverse("annotations:choice_edit", args=[item.pk])


def new_choice(**changes):
    data = {"key": "rough", "name": "rough", "name_fr": "grossier", "order": "5", **changes}
    return {f"choice-{key}": value for key, value in data.items()}


def tag_figure(assignment, labels, values):
    start = assignment.article.text.index(FIGURE)
    return spans.create_span(
        assignment.pk,
        assignment.analyst,
        label=labels["Casualty figure"],
        start=start,
        end=start + len(FIGURE),
        attributes=values,
    )[0]


def changes(labels):
    label = labels["Casualty figure"]
    return [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(label.pk))]


def test_the_attribute_page_lists_its_choices_with_their_state(
    client, admin_user, assignment, labels, precision
):
    tag_figure(assignment, labels, {"precision": "exact"})
    AttributeChoice.objects.filter(attribute=precision, key="approx").update(is_active=False)
    client.force_login(admin_user)
    page = client.get(page_url(precision)).text
    exact = page[page.index('id="choice-exact"') :]
    exact = exact[: exact.index("</tr>")]
    assert "<code>exact</code>" in exact and "(in use: key fixed)" in exact
    assert "Delete exact" not in exact and "Switch off exact" in exact
    approx = page[page.index('id="choice-approx"') :]
    approx = approx[: approx.index("</tr>")]
    assert "<strong>off</strong>" in approx and "Switch on approximate" in approx
    assert "Delete approximate" in approx
    assert page.index('id="choice-exact"') < page.index('id="choice-approx"')


def test_admin_adds_a_choice_and_the_history_says_so(client, admin_user, labels, precision):
    client.force_login(admin_user)
    response = client.post(add_url(precision), new_choice(), follow=True)
    assert response.redirect_chain == [(page_url(precision), 302)]
    assert "Added the choice “rough”." in response.text
    rough = choice(precision, "rough")
    assert (rough.name_fr, rough.order, rough.is_active) == ("grossier", 5, True)
    assert changes(labels) == ["Added choice “Precision › rough (rough)”."]
    assert "Added choice “Precision › rough (rough)”." in response.text


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"key": "Rough"}, "key", "The key starts with a lowercase letter"),
        ({"key": ""}, "key", "This field is required."),
        ({"key": "exact"}, "key", "The choice “exact” already has the key “exact”."),
        ({"name": ""}, "name", "This field is required."),
        ({"order": "x"}, "order", "Write a whole number with the digits 0 to 9"),
        ({"order": "٣"}, "order", "Write a whole number with the digits 0 to 9"),
        ({"order": "40000"}, "order", "The order is a number from 0 to 32767."),
    ],
)
def test_a_bad_choice_is_refused_in_the_attribute_page(
    client, admin_user, labels, precision, changes, field, error
):
    client.force_login(admin_user)
    before = digest()
    response = client.post(add_url(precision), new_choice(**changes))
    assert response.status_code == 422
    assert error in response.text
    assert 'role="alert"' in response.text
    assert 'id="attribute-form"' in response.text  # the page where the form was
    assert f'name="choice-{field}"' in response.text
    tag = response.text.split(f'name="choice-{field}"', 1)[1].split(">", 1)[0]
    assert "autofocus" in tag
    assert digest() == before


def test_a_switched_off_choice_keeps_its_key(client, admin_user, precision):
    AttributeChoice.objects.filter(attribute=precision, key="approx").update(is_active=False)
    client.force_login(admin_user)
    response = client.post(add_url(precision), new_choice(key="approx"))
    assert response.status_code == 422
    assert (
        "The switched-off choice “approximate” already has the key “approx”: switch it on "
        "again, or choose another key."
    ) in response.text


def test_only_a_choice_attribute_has_choices(client, admin_user, labels):
    minimum = Attribute.objects.get(label=labels["Casualty figure"], key="min")
    client.force_login(admin_user)
    before = digest()
    response = client.post(add_url(minimum), new_choice())
    assert response.status_code == 409
    assert "Only a choice attribute has choices." in response.text
    assert digest() == before


def test_admin_renames_and_reorders_a_choice(client, admin_user, labels, precision):
    approx = choice(precision, "approx")
    client.force_login(admin_user)
    data = {"key": "approx", "name": "estimate", "name_fr": "estimation", "order": "0"}
    response = client.post(edit_url(approx), data, follow=True)
    assert response.redirect_chain == [(page_url(precision), 302)]
    approx.refresh_from_db()
    assert (approx.name, approx.name_fr, approx.order) == ("estimate", "estimation", 0)
    assert changes(labels) == [
        "Changed name, French name and order for choice “Precision › estimate (approx)”."
    ]


def test_a_choice_key_stays_once_used(client, admin_user, assignment, labels, precision):
    tag_figure(assignment, labels, {"precision": "exact"})
    exact = choice(precision, "exact")
    client.force_login(admin_user)
    assert "readonly" in client.get(edit_url(exact)).text.split('name="key"', 1)[1].split(">")[0]
    before = digest()
    data = {"key": "precise", "name": "exact", "name_fr": "exact", "order": "0"}
    response = client.post(edit_url(exact), data)
    assert response.status_code == 422
    assert "Spans (or their history) hold this choice as “exact”: the key stays." in (response.text)
    assert digest() == before
    unused = choice(precision, "approx")
    data = {"key": "rough", "name": "rough", "name_fr": "", "order": "1"}
    assert client.post(edit_url(unused), data).status_code == 302
    assert choice(precision, "rough").pk == unused.pk


def test_a_choice_in_use_is_switched_off_not_deleted(
    client, admin_user, assignment, labels, precision
):
    span = tag_figure(assignment, labels, {"precision": "exact"})
    exact = choice(precision, "exact")
    client.force_login(admin_user)
    delete = reverse("annotations:choice_delete", args=[exact.pk])
    page = client.get(delete).text
    assert "“exact” is in use" in page and 'name="confirm"' not in page
    before = digest()
    response = client.post(delete, {"confirm": "on"})
    assert response.status_code == 409
    assert "The choice “exact” is in use" in response.text
    assert digest() == before
    url = reverse("annotations:choice_active", args=[exact.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert "The choice “exact” is switched off" in response.text
    assert not choice(precision, "exact").is_active
    assert Span.objects.get(pk=span.pk).attributes == {"precision": "exact"}
    client.post(url, {"active": "1"})
    assert choice(precision, "exact").is_active
    assert changes(labels) == [
        "Changed active (now on) for choice “Precision › exact (exact)”.",
        "Changed active (now off) for choice “Precision › exact (exact)”.",
    ]


def test_an_unused_choice_is_deleted_after_confirmation(client, admin_user, labels, precision):
    approx = choice(precision, "approx")
    url = reverse("annotations:choice_delete", args=[approx.pk])
    client.force_login(admin_user)
    assert "was never used" in client.get(url).text
    before = digest()
    assert client.post(url, {}).status_code == 422
    assert digest() == before
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert "Deleted the choice “approximate”." in response.text
    assert not AttributeChoice.objects.filter(pk=approx.pk).exists()
    assert changes(labels) == ["Deleted choice “Precision › approximate (approx)”."]


def test_a_required_attribute_keeps_an_active_choice(client, admin_user, labels):
    kind = Attribute.objects.get(label=labels["Casualty figure"], key="kind")
    assert kind.required
    kind.choices.exclude(key="killed").update(is_active=False)
    killed = choice(kind, "killed")
    client.force_login(admin_user)
    before = digest()
    response = client.post(reverse("annotations:choice_active", args=[killed.pk]), {"active": "0"})
    assert response.status_code == 409
    assert "“Kind” is required and “killed” is its last active choice" in response.text
    response = client.post(reverse("annotations:choice_delete", args=[killed.pk]), {"confirm": "1"})
    assert response.status_code == 409
    assert digest() == before
    # A switched-off choice may go: the attribute keeps "killed".
    injured = choice(kind, "injured")
    url = reverse("annotations:choice_delete", args=[injured.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 302


def test_choices_show_in_french_for_a_french_reader(client, admin_user, precision):
    client.force_login(admin_user)
    client.cookies["django_language"] = "fr"
    approx = choice(precision, "approx")
    page = client.get(edit_url(approx)).text
    assert '<html lang="fr">' in page and "approximatif" in page.split("<h1>")[1].split("</h1>")[0]
