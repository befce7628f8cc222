# A label's attributes_version changes with every change of its attributes or their choices,
# so that a process keeping a label's attributes (attributes.Schema) knows, from a label row
# it reads anyway, whether what it keeps is current. Numbers come from a sequence: one is
# never given twice, not even by a transaction rolled back, and a version never goes back
# (a label form saving the number it read earlier leaves the newer one).
from django.db import migrations, models

FORWARD = r"""
CREATE SEQUENCE annotations_attributes_version;
UPDATE annotations_label SET attributes_version = nextval('annotations_attributes_version');

CREATE FUNCTION annotations_bump_attributes_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'annotations_attribute' THEN
        UPDATE annotations_label SET attributes_version = nextval('annotations_attributes_version')
            WHERE id IN (NEW.label_id, OLD.label_id);
    ELSE
        UPDATE annotations_label SET attributes_version = nextval('annotations_attributes_version')
            WHERE id IN (SELECT label_id FROM annotations_attribute
                         WHERE id IN (NEW.attribute_id, OLD.attribute_id));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER annotations_attribute_bumps_version
    AFTER INSERT OR UPDATE OR DELETE ON annotations_attribute
    FOR EACH ROW EXECUTE FUNCTION annotations_bump_attributes_version();
CREATE TRIGGER annotations_attributechoice_bumps_version
    AFTER INSERT OR UPDATE OR DELETE ON annotations_attributechoice
    FOR EACH ROW EXECUTE FUNCTION annotations_bump_attributes_version();

CREATE FUNCTION annotations_keep_attributes_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.attributes_version := GREATEST(NEW.attributes_version, OLD.attributes_version);
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_label_version_grows
    BEFORE UPDATE ON annotations_label
    FOR EACH ROW EXECUTE FUNCTION annotations_keep_attributes_version();
"""

BACKWARD = """
DROP TRIGGER annotations_label_version_grows ON annotations_label;
DROP FUNCTION annotations_keep_attributes_version();
DROP TRIGGER annotations_attributechoice_bumps_version ON annotations_attributechoice;
DROP TRIGGER annotations_attribute_bumps_version ON annotations_attribute;
DROP FUNCTION annotations_bump_attributes_version();
DROP SEQUENCE annotations_attributes_version;
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_seed_attributes")]

    operations = [
        migrations.AddField(
            model_name="label",
            name="attributes_version",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
