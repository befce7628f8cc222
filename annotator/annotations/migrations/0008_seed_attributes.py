"""The attributes of the seeded labels (0003), found by name; a label renamed or gone since
is skipped, and attributes an admin already made are left as they are."""

from django.db import migrations

# label → [(key, type, English name, French name, {other fields}, [(choice key, English,
# French)])]
ATTRIBUTES = {
    "Casualty figure": [
        (
            "kind",
            "choice",
            "Kind",
            "Nature",
            {"required": True},
            [
                ("killed", "killed", "tués"),
                ("injured", "injured", "blessés"),
                ("missing", "missing", "disparus"),
                ("displaced", "displaced", "déplacés"),
                ("affected", "affected", "touchés"),
            ],
        ),
        ("min", "integer", "Min", "Min", {"min_value": 0}, []),
        # Empty max: open-ended ("at least 12 dead").
        ("max", "integer", "Max", "Max", {"min_value": 0, "not_below": "min"}, []),
        (
            "precision",
            "choice",
            "Precision",
            "Précision",
            {},
            [("exact", "exact", "exact"), ("approx", "approximate", "approximatif")],
        ),
    ],
    "Quote": [
        (
            "kind",
            "choice",
            "Kind",
            "Type",
            {},
            [("direct", "direct", "directe"), ("indirect", "indirect", "indirecte")],
        ),
        ("speaker", "text_reference", "Speaker", "Locuteur", {}, []),
        ("cue", "text_reference", "Cue", "Verbe introducteur", {}, []),
    ],
    "Policy stance": [
        ("target", "text", "Target", "Objet", {"max_length": 200}, []),
        (
            "polarity",
            "choice",
            "Polarity",
            "Position",
            {},
            [
                ("for", "for", "pour"),
                ("against", "against", "contre"),
                ("neutral", "neutral", "neutre"),
                ("mixed", "mixed", "partagée"),
            ],
        ),
        ("holder", "text_reference", "Holder", "Porteur", {}, []),
    ],
    "Claim": [
        (
            "checkworthy",
            "choice",
            "Check-worthy",
            "À vérifier",
            {},
            [("yes", "yes", "oui"), ("no", "no", "non"), ("unsure", "unsure", "incertain")],
        ),
        ("claimant", "text_reference", "Claimant", "Auteur de l’affirmation", {}, []),
    ],
}


def seed(apps, schema_editor):
    Label = apps.get_model("annotations", "Label")
    Attribute = apps.get_model("annotations", "Attribute")
    for label_name, attributes in ATTRIBUTES.items():
        label = Label.objects.filter(name=label_name).first()
        if label is None:
            continue
        made = {}
        for order, (key, type_, name, name_fr, fields, choices) in enumerate(attributes):
            fields = dict(fields)
            if "not_below" in fields:
                fields["not_below"] = made[fields["not_below"]]
            attribute, created = Attribute.objects.get_or_create(
                label=label,
                key=key,
                defaults={"type": type_, "name": name, "name_fr": name_fr, "order": order, **fields},
            )
            made[key] = attribute
            if not created:
                continue
            for choice_order, (choice_key, choice_name, choice_fr) in enumerate(choices):
                attribute.choices.create(
                    key=choice_key, name=choice_name, name_fr=choice_fr, order=choice_order
                )


def unseed(apps, schema_editor):
    """Delete the seeded attributes no span uses (the database refuses the others)."""
    Attribute = apps.get_model("annotations", "Attribute")
    AttributeChoice = apps.get_model("annotations", "AttributeChoice")
    Span = apps.get_model("annotations", "Span")
    SpanEvent = apps.get_model("annotations", "SpanEvent")
    for label_name, attributes in ATTRIBUTES.items():
        # Reversed: `max` names `min` (not_below), so it goes first.
        for key, *_ in reversed(attributes):
            attribute = Attribute.objects.filter(label__name=label_name, key=key).first()
            if attribute is None or _in_use(Attribute, Span, SpanEvent, attribute):
                continue
            AttributeChoice.objects.filter(attribute=attribute).delete()
            attribute.delete()


def _in_use(Attribute, Span, SpanEvent, attribute):
    # The same rule as migration 0007's annotations_attribute_in_use.
    label, key = attribute.label_id, attribute.key
    return (
        Span.objects.filter(label_id=label, attributes__has_key=key).exists()
        or SpanEvent.objects.filter(label_before_id=label, attributes_before__has_key=key).exists()
        or SpanEvent.objects.filter(label_after_id=label, attributes_after__has_key=key).exists()
        or Attribute.objects.filter(not_below=attribute).exists()
    )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0007_attribute_integrity")]

    operations = [migrations.RunPython(seed, unseed)]
