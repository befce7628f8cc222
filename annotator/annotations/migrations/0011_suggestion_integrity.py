# Promises about suggestions the database keeps whatever code writes:
# - a suggestion's text is its article's at its offsets, and its values are values of its
#   label's attributes: the checks of an analyst's span (0002 and 0007), on this table;
# - a decision is about a suggestion of its work's article, and the span an acceptance
#   made is a span of that work;
# - decisions are append-only (the analysts' figures on the dashboard are counted from them).
from django.db import migrations

FORWARD = r"""
CREATE TRIGGER annotations_suggestion_text_matches
    BEFORE INSERT OR UPDATE OF start, "end", text, article_id ON annotations_suggestion
    FOR EACH ROW EXECUTE FUNCTION annotations_check_span_text();
CREATE TRIGGER annotations_suggestion_attributes_valid
    BEFORE INSERT OR UPDATE OF attributes, label_id ON annotations_suggestion
    FOR EACH ROW EXECUTE FUNCTION annotations_check_span_attributes();
ALTER TABLE annotations_suggestion
    ADD CONSTRAINT suggestion_attributes_object CHECK (jsonb_typeof(attributes) = 'object');

CREATE FUNCTION annotations_check_suggestion_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT article_id FROM annotations_suggestion WHERE id = NEW.suggestion_id)
       IS DISTINCT FROM (SELECT article_id FROM annotations_assignment WHERE id = NEW.assignment_id) THEN
        RAISE EXCEPTION 'suggestion % is not of the article of assignment %',
            NEW.suggestion_id, NEW.assignment_id USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.span_id IS NOT NULL AND (SELECT assignment_id FROM annotations_span WHERE id = NEW.span_id)
       IS DISTINCT FROM NEW.assignment_id THEN
        RAISE EXCEPTION 'span % is not of assignment %', NEW.span_id, NEW.assignment_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_suggestiondecision_consistent
    BEFORE INSERT ON annotations_suggestiondecision
    FOR EACH ROW EXECUTE FUNCTION annotations_check_suggestion_decision();

CREATE FUNCTION annotations_refuse_decision_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'suggestion decisions are append-only'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER annotations_suggestiondecision_append_only
    BEFORE UPDATE OR DELETE ON annotations_suggestiondecision
    FOR EACH ROW EXECUTE FUNCTION annotations_refuse_decision_change();
"""

BACKWARD = """
DROP TRIGGER annotations_suggestiondecision_append_only ON annotations_suggestiondecision;
DROP FUNCTION annotations_refuse_decision_change();
DROP TRIGGER annotations_suggestiondecision_consistent ON annotations_suggestiondecision;
DROP FUNCTION annotations_check_suggestion_decision();
ALTER TABLE annotations_suggestion DROP CONSTRAINT suggestion_attributes_object;
DROP TRIGGER annotations_suggestion_attributes_valid ON annotations_suggestion;
DROP TRIGGER annotations_suggestion_text_matches ON annotations_suggestion;
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0010_suggestions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
