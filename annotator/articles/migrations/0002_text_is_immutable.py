# Offsets index the stored text: once written, an article's text and its sentence spans
# must never change, whatever code (or psql session) tries.
from django.db import migrations

FORWARD = """
CREATE FUNCTION articles_refuse_text_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'article % text is immutable: offsets index it', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER articles_article_text_immutable
    BEFORE UPDATE OF text ON articles_article
    FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION articles_refuse_text_change();

CREATE FUNCTION articles_refuse_sentence_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'sentence % of article % is immutable', OLD.index, OLD.article_id
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER articles_sentence_immutable
    BEFORE UPDATE ON articles_sentence
    FOR EACH ROW EXECUTE FUNCTION articles_refuse_sentence_change();
"""

BACKWARD = """
DROP TRIGGER articles_sentence_immutable ON articles_sentence;
DROP FUNCTION articles_refuse_sentence_change();
DROP TRIGGER articles_article_text_immutable ON articles_article;
DROP FUNCTION articles_refuse_text_change();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
