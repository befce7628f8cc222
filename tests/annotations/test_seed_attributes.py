"""The attributes migration 0008 seeds for the four labels, and its reversal."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Attribute, Label
from tests.factories import make_article


def seeded():
    return {
        (a.label.name, a.key): (a.type, a.required, a.not_below.key if a.not_below else None)
        for a in Attribute.objects.select_related("label", "not_below")
    }


@pytest.mark.django_db
def test_the_four_labels_get_their_attributes(labels):
    assert seeded() == {
        ("Casualty figure", "kind"): ("choice", True, None),
        ("Casualty figure", "min"): ("integer", False, None),
        ("Casualty figure", "max"): ("integer", False, "min"),
        ("Casualty figure", "precision"): ("choice", False, None),
        ("Quote", "kind"): ("choice", False, None),
        ("Quote", "speaker"): ("text_reference", False, None),
        ("Quote", "cue"): ("text_reference", False, None),
        ("Policy stance", "target"): ("text", False, None),
        ("Policy stance", "polarity"): ("choice", False, None),
        ("Policy stance", "holder"): ("text_reference", False, None),
        ("Claim", "checkworthy"): ("choice", False, None),
        ("Claim", "claimant"): ("text_reference", False, None),
    }
    casualty = labels["Casualty figure"]
    kind = casualty.attributes.get(key="kind")
    assert list(kind.choices.values_list("key", flat=True)) == [
        "killed",
        "injured",
        "missing",
        "displaced",
        "affected",
    ]
    assert [a.key for a in casualty.attributes.all()] == ["kind", "min", "max", "precision"]
    low = casualty.attributes.get(key="min")
    assert (low.min_value, low.max_value) == (0, None)
    assert labels["Policy stance"].attributes.get(key="target").max_length == 200
    precision = casualty.attributes.get(key="precision")
    with translation.override("fr"):
        assert (kind.display_name, precision.display_name) == ("Nature", "Précision")
        assert [c.display_name for c in precision.choices.all()] == ["exact", "approximatif"]
        assert labels["Claim"].attributes.get(key="claimant").display_name == (
            "Auteur de l’affirmation"
        )
    assert [c.display_name for c in precision.choices.all()] == ["exact", "approximate"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reversal_deletes_the_seeded_attributes_not_in_use(admin_user, analyst, labels):
    Label.objects.filter(name="Policy stance").update(name="Stance")  # renamed by an admin
    article = make_article(by=admin_user)
    work = Assignment.objects.create(article=article, analyst=analyst)
    phrase = "1\u202f850 habitants"
    start = article.text.index(phrase)
    spans.create_span(
        work.pk,
        analyst,
        label=labels["Casualty figure"],
        start=start,
        end=start + len(phrase),
        attributes={"kind": "displaced", "max": 2000},
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app: dependents go back too
    try:
        executor.migrate([("annotations", "0007_attribute_integrity")])
        # Kept: what a span uses, and `min`, which `max` names; the renamed label's too
        # (found by name, as the seed found it).
        assert set(Attribute.objects.values_list("label__name", "key")) == {
            ("Casualty figure", "kind"),
            ("Casualty figure", "min"),
            ("Casualty figure", "max"),
            ("Stance", "target"),
            ("Stance", "polarity"),
            ("Stance", "holder"),
        }
        assert Attribute.objects.get(key="kind").choices.count() == 5
        # Seeding again skips a label no longer found by its name.
        Attribute.objects.filter(label__name="Stance").delete()
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert set(Attribute.objects.values_list("label__name", flat=True)) == {
        "Casualty figure",
        "Quote",
        "Claim",
    }
    assert Attribute.objects.filter(label__name="Casualty figure").count() == 4
    Label.objects.filter(name="Stance").update(name="Policy stance")
