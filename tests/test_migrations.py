from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import migrations
from django.db.migrations.loader import MigrationLoader


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_our_data_migrations_are_reversible():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {app.label for app in apps.get_app_configs() if app.name.startswith("annotator.")}
    checked = 0
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label not in ours:
            continue
        for operation in migration.operations:
            checked += 1
            if isinstance(operation, migrations.RunPython):
                assert operation.reversible, f"{app_label}.{name} has a RunPython without reverse"
            if isinstance(operation, migrations.RunSQL):
                assert operation.reversible, f"{app_label}.{name} has a RunSQL without reverse"
    assert checked > 0
