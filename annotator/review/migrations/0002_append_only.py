# Review outcomes are history: like span events, they are never changed or removed.
# Reuses annotations' trigger function (migration annotations 0002_integrity).
from django.db import migrations

FORWARD = """
CREATE TRIGGER review_reviewevent_append_only
    BEFORE UPDATE OR DELETE ON review_reviewevent
    FOR EACH ROW EXECUTE FUNCTION annotations_refuse_history_change();
"""

BACKWARD = "DROP TRIGGER review_reviewevent_append_only ON review_reviewevent;"


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("annotations", "0002_integrity"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
