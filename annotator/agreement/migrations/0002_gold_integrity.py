# Promises about gold versions the database keeps whatever code writes:
# - a gold span belongs to its curation's article (composite foreign key);
# - its text is the article's text at its offsets, and its values are values of its label's
#   attributes: the checks of an analyst's span (annotations 0002 and 0007), on this table;
# - the analysts' spans it came from are spans of the same article;
# - the history of a gold version is append-only.
from django.db import migrations

FORWARD = r"""
ALTER TABLE agreement_goldspan
    ADD CONSTRAINT goldspan_curation_article
    FOREIGN KEY (curation_id, article_id) REFERENCES agreement_curation (id, article_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE agreement_goldspan
    ADD CONSTRAINT goldspan_attributes_object CHECK (jsonb_typeof(attributes) = 'object');

CREATE TRIGGER agreement_goldspan_text_matches
    BEFORE INSERT OR UPDATE OF start, "end", text, article_id ON agreement_goldspan
    FOR EACH ROW EXECUTE FUNCTION annotations_check_span_text();
CREATE TRIGGER agreement_goldspan_attributes_valid
    BEFORE INSERT OR UPDATE OF attributes, label_id ON agreement_goldspan
    FOR EACH ROW EXECUTE FUNCTION annotations_check_span_attributes();

CREATE FUNCTION agreement_check_gold_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT article_id FROM agreement_goldspan WHERE id = NEW.gold_id)
       IS DISTINCT FROM (SELECT article_id FROM annotations_span WHERE id = NEW.span_id) THEN
        RAISE EXCEPTION 'gold span % cannot come from span % of another article',
            NEW.gold_id, NEW.span_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER agreement_goldsource_same_article
    BEFORE INSERT OR UPDATE ON agreement_goldsource
    FOR EACH ROW EXECUTE FUNCTION agreement_check_gold_source();

CREATE FUNCTION agreement_refuse_gold_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'gold history is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER agreement_goldevent_append_only
    BEFORE UPDATE OR DELETE ON agreement_goldevent
    FOR EACH ROW EXECUTE FUNCTION agreement_refuse_gold_history_change();
"""

BACKWARD = """
DROP TRIGGER agreement_goldevent_append_only ON agreement_goldevent;
DROP FUNCTION agreement_refuse_gold_history_change();
DROP TRIGGER agreement_goldsource_same_article ON agreement_goldsource;
DROP FUNCTION agreement_check_gold_source();
DROP TRIGGER agreement_goldspan_attributes_valid ON agreement_goldspan;
DROP TRIGGER agreement_goldspan_text_matches ON agreement_goldspan;
ALTER TABLE agreement_goldspan DROP CONSTRAINT goldspan_attributes_object;
ALTER TABLE agreement_goldspan DROP CONSTRAINT goldspan_curation_article;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("agreement", "0001_initial"),
        # The span checks reused here.
        ("annotations", "0007_attribute_integrity"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
