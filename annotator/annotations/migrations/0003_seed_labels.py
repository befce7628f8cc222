from django.db import migrations

LABELS = [
    ("Claim", "1", 1, "A statement presented as fact that could be checked."),
    ("Quote", "2", 2, "Words attributed to a person or body, usually in « guillemets »."),
    ("Casualty figure", "3", 3, "A number of dead, injured, missing or displaced people."),
    ("Policy stance", "4", 4, "A position for or against a policy, law or decision."),
]


def seed(apps, schema_editor):
    Label = apps.get_model("annotations", "Label")
    for order, (name, key, color, description) in enumerate(LABELS):
        Label.objects.get_or_create(
            name=name,
            defaults={"key": key, "color": color, "description": description, "order": order},
        )


def unseed(apps, schema_editor):
    Label = apps.get_model("annotations", "Label")
    Label.objects.filter(name__in=[name for name, *_ in LABELS], spans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0002_integrity")]

    operations = [migrations.RunPython(seed, unseed)]
