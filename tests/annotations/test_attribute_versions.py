"""What each process keeps of the labels' attributes (attributes.Schema) stays current: every
change of an attribute or a choice gives its label a new attributes_version (migration
0009), and a page or an edit answered after it shows the change."""

import uuid

import pytest
from django.urls import reverse

from annotator.annotations.attributes import Attribute, AttributeChoice, Schema
from annotator.annotations.models import Assignment, Label
from tests.factories import make_article

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
TEXT = "Séisme à Corvenne\n\nLe bilan fait état de 213 morts et de 40 blessés, selon la mairie."


def version(label):
    return Label.objects.get(pk=label.pk).attributes_version


@pytest.fixture
def work(analyst, admin_user, labels):
    article = make_article(TEXT, by=admin_user)
    return Assignment.objects.create(article=article, analyst=analyst)


def test_each_change_of_an_attribute_or_a_choice_gives_its_label_a_new_version(labels):
    figure, quote = labels["Casualty figure"], labels["Quote"]
    seen = [version(figure)]
    kind = Attribute.objects.get(label=figure, key="kind")
    Attribute.objects.filter(pk=kind.pk).update(name_fr="Type")
    seen.append(version(figure))
    AttributeChoice.objects.filter(attribute=kind, key="killed").update(name_fr="morts")
    seen.append(version(figure))
    added = Attribute.objects.create(label=figure, key="source", name="Source", type="text")
    seen.append(version(figure))
    added.delete()
    seen.append(version(figure))
    assert len(set(seen)) == len(seen), seen  # each one new
    assert seen == sorted(seen)
    other = version(quote)
    Attribute.objects.filter(pk=kind.pk).update(required=False)
    assert version(quote) == other  # another label's attributes are not its own


def test_a_label_saved_from_an_older_read_keeps_the_newer_version(labels):
    stale = Label.objects.get(pk=labels["Casualty figure"].pk)
    Attribute.objects.filter(label=stale, key="kind").update(name_fr="Type")
    newer = version(stale)
    assert newer > stale.attributes_version
    stale.description = "Un bilan chiffré."
    stale.save()  # writes every field, the version read before the change included
    assert version(stale) == newer


def test_the_schema_is_read_once_per_version(labels, django_assert_num_queries):
    figure = Label.objects.get(pk=labels["Casualty figure"].pk)
    with django_assert_num_queries(2):  # the attributes and their choices
        first = Schema.of_labels([figure]).of(figure.pk)
    with django_assert_num_queries(0):
        assert Schema.of_labels([figure]).of(figure.pk) == first
    Attribute.objects.filter(label=figure, key="kind").update(name="Nature of harm")
    figure.refresh_from_db()
    with django_assert_num_queries(2):
        names = [a.name for a in Schema.of_labels([figure]).of(figure.pk)]
    assert "Nature of harm" in names


def tag(client, work, phrase, label):
    start = TEXT.index(phrase)
    data = {
        "label": label.pk,
        "start": start,
        "end": start + len(phrase),
        "text": phrase,
        "action_id": str(uuid.uuid4()),
    }
    return client.post(reverse("annotations:span_create", args=[work.pk]), data, headers=HTMX)


def test_an_admins_change_shows_in_the_next_edit_of_a_running_process(
    client, analyst, admin_user, work, labels
):
    figure = labels["Casualty figure"]
    client.force_login(analyst)
    page = reverse("annotations:annotate", args=[work.pk])
    client.get(page)  # the labels' attributes are kept from here on
    assert "⚠ Missing: Kind" in tag(client, work, "213 morts", figure).text
    # An admin, in another browser, renames the required field, then makes it optional.
    admin = client.__class__()
    admin.force_login(admin_user)
    kind = Attribute.objects.get(label=figure, key="kind")
    edit = reverse("annotations:attribute_edit", args=[kind.pk])
    form = admin.get(edit).context["form"]
    fields = {name: value for name, value in form.initial.items() if value is not None}
    response = admin.post(edit, {**fields, "name": "Harm"})
    assert response.status_code == 302, response.text
    assert "⚠ Missing: Harm" in tag(client, work, "40 blessés", figure).text
    Attribute.objects.filter(pk=kind.pk).update(required=False)
    assert "Missing" not in tag(client, work, "la mairie", figure).text
    assert "Missing" not in client.get(page).text
