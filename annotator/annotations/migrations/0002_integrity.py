# Promises the database keeps whatever code writes to it:
# - a span's (assignment, article, annotator) agree with the assignment's (composite FK);
# - a span's text is exactly its article's text[start:end], and end is within the text;
# - span history is append-only.
from django.db import migrations

FORWARD = """
ALTER TABLE annotations_span
    ADD CONSTRAINT span_assignment_consistent
    FOREIGN KEY (assignment_id, article_id, annotator_id)
    REFERENCES annotations_assignment (id, article_id, analyst_id)
    DEFERRABLE INITIALLY DEFERRED;

CREATE FUNCTION annotations_check_span_text() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    article_text text;
BEGIN
    SELECT text INTO article_text FROM articles_article WHERE id = NEW.article_id;
    -- substr counts characters (code points), like Python's str indexing.
    IF NEW."end" > char_length(article_text)
       OR substr(article_text, NEW.start + 1, NEW."end" - NEW.start) IS DISTINCT FROM NEW.text THEN
        RAISE EXCEPTION 'span text does not match article % at [%:%]',
            NEW.article_id, NEW.start, NEW."end"
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_span_text_matches
    BEFORE INSERT OR UPDATE OF start, "end", text, article_id ON annotations_span
    FOR EACH ROW EXECUTE FUNCTION annotations_check_span_text();

CREATE FUNCTION annotations_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'span history is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER annotations_spanevent_append_only
    BEFORE UPDATE OR DELETE ON annotations_spanevent
    FOR EACH ROW EXECUTE FUNCTION annotations_refuse_history_change();
"""

BACKWARD = """
DROP TRIGGER annotations_spanevent_append_only ON annotations_spanevent;
DROP FUNCTION annotations_refuse_history_change();
DROP TRIGGER annotations_span_text_matches ON annotations_span;
DROP FUNCTION annotations_check_span_text();
ALTER TABLE annotations_span DROP CONSTRAINT span_assignment_consistent;
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
