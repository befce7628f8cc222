# Promises about attributes the database keeps whatever code writes (annotations.attributes
# says the same in words, for the analyst):
# - a span's values are values of its label's attributes, of the right type and within bounds
#   (checked when written or changed: a value stored before its attribute, or choice, was
#   switched off, or its bounds tightened, stays, and does not block other changes);
# - work is submitted only when each live span has every required, active attribute
#   (null, "unknown", counts);
# - an attribute or a choice in use (in a span's values or its history) is never deleted,
#   nor its key, label or type changed: it is switched off instead;
# - `not_below` names an integer attribute of the same label; choices belong to choice
#   attributes.
from django.db import migrations

FORWARD = r"""
ALTER TABLE annotations_attribute
    ADD CONSTRAINT attribute_not_below_same_label
    FOREIGN KEY (not_below_id, label_id) REFERENCES annotations_attribute (id, label_id)
    DEFERRABLE INITIALLY DEFERRED;

CREATE FUNCTION annotations_check_span_attributes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    every_key boolean;
    item record;
    attr annotations_attribute%ROWTYPE;
    choice_active boolean;
    number numeric;
    ref_start jsonb;
    ref_end jsonb;
    article_text text;
    low_key text;
    high_value jsonb;
    low_value jsonb;
BEGIN
    -- Said before jsonb_each fails on it (CHECK span_attributes_object comes after triggers;
    -- NOT NULL keeps out a null).
    IF jsonb_typeof(NEW.attributes) <> 'object' THEN
        RAISE EXCEPTION 'span %: attributes must be a JSON object, not %',
            NEW.id, jsonb_typeof(NEW.attributes) USING ERRCODE = 'check_violation';
    END IF;
    every_key := TG_OP = 'INSERT' OR NEW.label_id <> OLD.label_id;
    FOR item IN SELECT key, value FROM jsonb_each(NEW.attributes) LOOP
        CONTINUE WHEN NOT every_key
            AND (OLD.attributes -> item.key) IS NOT DISTINCT FROM item.value;
        SELECT * INTO attr FROM annotations_attribute
            WHERE label_id = NEW.label_id AND key = item.key;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'span %: "%" is not an attribute of label %',
                NEW.id, item.key, NEW.label_id USING ERRCODE = 'check_violation';
        END IF;
        IF NOT attr.is_active THEN
            RAISE EXCEPTION 'span %: attribute "%" is deactivated', NEW.id, item.key
                USING ERRCODE = 'check_violation';
        END IF;
        -- null: the analyst marked it unknown, whatever its type.
        CONTINUE WHEN jsonb_typeof(item.value) = 'null';
        IF attr.type = 'integer' THEN
            IF jsonb_typeof(item.value) <> 'number' THEN
                RAISE EXCEPTION 'span %: attribute "%" must be a number, not %',
                    NEW.id, item.key, item.value USING ERRCODE = 'check_violation';
            END IF;
            number := item.value::numeric;
            -- scale > 0: written with decimals (2.5, and 2.0 too).
            IF scale(number) > 0 OR number NOT BETWEEN -2147483648 AND 2147483647 THEN
                RAISE EXCEPTION 'span %: attribute "%" must be a whole number within integer, not %',
                    NEW.id, item.key, item.value USING ERRCODE = 'check_violation';
            END IF;
            IF number < attr.min_value OR number > attr.max_value THEN
                RAISE EXCEPTION 'span %: attribute "%" = % is outside [%, %]',
                    NEW.id, item.key, number, attr.min_value, attr.max_value
                    USING ERRCODE = 'check_violation';
            END IF;
        ELSIF attr.type = 'choice' THEN
            IF jsonb_typeof(item.value) <> 'string' THEN
                RAISE EXCEPTION 'span %: attribute "%" must be a choice key, not %',
                    NEW.id, item.key, item.value USING ERRCODE = 'check_violation';
            END IF;
            SELECT is_active INTO choice_active FROM annotations_attributechoice
                WHERE attribute_id = attr.id AND key = item.value #>> '{}';
            IF NOT FOUND THEN
                RAISE EXCEPTION 'span %: % is not a choice of attribute "%"',
                    NEW.id, item.value, item.key USING ERRCODE = 'check_violation';
            END IF;
            IF NOT choice_active THEN
                RAISE EXCEPTION 'span %: choice % of attribute "%" is deactivated',
                    NEW.id, item.value, item.key USING ERRCODE = 'check_violation';
            END IF;
        ELSIF attr.type = 'boolean' THEN
            IF jsonb_typeof(item.value) <> 'boolean' THEN
                RAISE EXCEPTION 'span %: attribute "%" must be true or false, not %',
                    NEW.id, item.key, item.value USING ERRCODE = 'check_violation';
            END IF;
        ELSIF attr.type = 'text' THEN
            IF jsonb_typeof(item.value) <> 'string'
               OR char_length(item.value #>> '{}') NOT BETWEEN 1 AND attr.max_length THEN
                RAISE EXCEPTION 'span %: attribute "%" must be a text of 1 to % characters',
                    NEW.id, item.key, attr.max_length USING ERRCODE = 'check_violation';
            END IF;
        ELSIF attr.type = 'text_reference' THEN
            -- Nested IFs: SQL does not promise to evaluate OR from left to right, and
            -- jsonb_object_keys fails on a scalar.
            IF jsonb_typeof(item.value) <> 'object' THEN
                RAISE EXCEPTION 'span %: attribute "%" must be {"text", "start", "end"}',
                    NEW.id, item.key USING ERRCODE = 'check_violation';
            END IF;
            IF EXISTS (SELECT FROM jsonb_object_keys(item.value) k
                       WHERE k NOT IN ('text', 'start', 'end'))
               OR jsonb_typeof(item.value -> 'text') IS DISTINCT FROM 'string'
               OR char_length(item.value ->> 'text') NOT BETWEEN 1 AND attr.max_length THEN
                RAISE EXCEPTION
                    'span %: attribute "%" must be {"text": 1 to % characters, "start", "end"}',
                    NEW.id, item.key, attr.max_length USING ERRCODE = 'check_violation';
            END IF;
            ref_start := coalesce(item.value -> 'start', 'null');
            ref_end := coalesce(item.value -> 'end', 'null');
            CONTINUE WHEN jsonb_typeof(ref_start) = 'null' AND jsonb_typeof(ref_end) = 'null';
            IF jsonb_typeof(ref_start) <> 'number' OR jsonb_typeof(ref_end) <> 'number' THEN
                RAISE EXCEPTION 'span %: attribute "%" needs whole start and end, or neither',
                    NEW.id, item.key USING ERRCODE = 'check_violation';
            END IF;
            IF scale(ref_start::numeric) > 0 OR scale(ref_end::numeric) > 0 THEN
                RAISE EXCEPTION 'span %: attribute "%" needs whole start and end, or neither',
                    NEW.id, item.key USING ERRCODE = 'check_violation';
            END IF;
            IF article_text IS NULL THEN
                SELECT text INTO article_text FROM articles_article WHERE id = NEW.article_id;
            END IF;
            IF ref_start::numeric < 0 OR ref_start::numeric >= ref_end::numeric
               OR ref_end::numeric > char_length(article_text) THEN
                RAISE EXCEPTION 'span %: attribute "%" [%:%] is outside article %',
                    NEW.id, item.key, ref_start, ref_end, NEW.article_id
                    USING ERRCODE = 'check_violation';
            END IF;
            -- substr counts characters (code points), like Python's str indexing.
            IF substr(article_text, ref_start::int + 1, ref_end::int - ref_start::int)
               IS DISTINCT FROM item.value ->> 'text' THEN
                RAISE EXCEPTION 'span %: attribute "%" does not match article % at [%:%]',
                    NEW.id, item.key, NEW.article_id, ref_start, ref_end
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
    END LOOP;
    -- "max ≥ min", when both are numbers and either was written.
    FOR attr IN SELECT * FROM annotations_attribute
                WHERE label_id = NEW.label_id AND not_below_id IS NOT NULL LOOP
        SELECT key INTO low_key FROM annotations_attribute WHERE id = attr.not_below_id;
        high_value := NEW.attributes -> attr.key;
        low_value := NEW.attributes -> low_key;
        CONTINUE WHEN jsonb_typeof(high_value) IS DISTINCT FROM 'number'
            OR jsonb_typeof(low_value) IS DISTINCT FROM 'number';
        CONTINUE WHEN NOT every_key
            AND (OLD.attributes -> attr.key) IS NOT DISTINCT FROM high_value
            AND (OLD.attributes -> low_key) IS NOT DISTINCT FROM low_value;
        IF high_value::numeric < low_value::numeric THEN
            RAISE EXCEPTION 'span %: attribute "%" (%) is below "%" (%)',
                NEW.id, attr.key, high_value, low_key, low_value
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_span_attributes_valid
    BEFORE INSERT OR UPDATE OF attributes, label_id ON annotations_span
    FOR EACH ROW EXECUTE FUNCTION annotations_check_span_attributes();

CREATE FUNCTION annotations_check_submission_values() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing integer;
BEGIN
    SELECT count(*) INTO missing FROM annotations_span s
    WHERE s.assignment_id = NEW.id AND s.deleted_at IS NULL
      AND EXISTS (SELECT FROM annotations_attribute a
                  WHERE a.label_id = s.label_id AND a.required AND a.is_active
                    AND NOT s.attributes ? a.key);
    IF missing > 0 THEN
        RAISE EXCEPTION 'assignment %: % live span(s) lack a required attribute value',
            NEW.id, missing USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_assignment_submitted_complete
    BEFORE UPDATE OF status ON annotations_assignment
    FOR EACH ROW WHEN (NEW.status = 'submitted' AND OLD.status IS DISTINCT FROM 'submitted')
    EXECUTE FUNCTION annotations_check_submission_values();

-- In use: a span of the label holds the key, or the label's history does.
CREATE FUNCTION annotations_attribute_in_use(bigint, text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT FROM annotations_span WHERE label_id = $1 AND attributes ? $2)
        OR EXISTS (SELECT FROM annotations_spanevent
                   WHERE (label_before_id = $1 AND attributes_before ? $2)
                      OR (label_after_id = $1 AND attributes_after ? $2))
$$;

CREATE FUNCTION annotations_choice_in_use(bigint, text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT FROM annotations_attribute a
        WHERE a.id = $1 AND (
            EXISTS (SELECT FROM annotations_span
                    WHERE label_id = a.label_id AND attributes -> a.key = to_jsonb($2))
            OR EXISTS (SELECT FROM annotations_spanevent
                       WHERE (label_before_id = a.label_id
                              AND attributes_before -> a.key = to_jsonb($2))
                          OR (label_after_id = a.label_id
                              AND attributes_after -> a.key = to_jsonb($2)))))
$$;

CREATE FUNCTION annotations_check_attribute() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF annotations_attribute_in_use(OLD.label_id, OLD.key) THEN
            RAISE EXCEPTION 'attribute "%" of label % is in use: deactivate it instead',
                OLD.key, OLD.label_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.key, NEW.label_id, NEW.type)
                            IS DISTINCT FROM (OLD.key, OLD.label_id, OLD.type)
       AND annotations_attribute_in_use(OLD.label_id, OLD.key) THEN
        RAISE EXCEPTION 'attribute "%" of label % is in use: its key, label and type stay',
            OLD.key, OLD.label_id USING ERRCODE = 'check_violation';
    END IF;
    -- A target not found yet is left to the (deferred) foreign key.
    IF EXISTS (SELECT FROM annotations_attribute WHERE id = NEW.not_below_id AND type <> 'integer')
       OR (NEW.type <> 'integer'
           AND EXISTS (SELECT FROM annotations_attribute WHERE not_below_id = NEW.id)) THEN
        RAISE EXCEPTION 'attribute "%": not_below links two integer attributes', NEW.key
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.type <> 'choice'
       AND EXISTS (SELECT FROM annotations_attributechoice WHERE attribute_id = NEW.id) THEN
        RAISE EXCEPTION 'attribute "%" has choices: it stays of type choice', NEW.key
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_attribute_protected
    BEFORE INSERT OR UPDATE OR DELETE ON annotations_attribute
    FOR EACH ROW EXECUTE FUNCTION annotations_check_attribute();

CREATE FUNCTION annotations_check_attribute_choice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF annotations_choice_in_use(OLD.attribute_id, OLD.key) THEN
            RAISE EXCEPTION 'choice "%" of attribute % is in use: deactivate it instead',
                OLD.key, OLD.attribute_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.key, NEW.attribute_id) IS DISTINCT FROM (OLD.key, OLD.attribute_id)
       AND annotations_choice_in_use(OLD.attribute_id, OLD.key) THEN
        RAISE EXCEPTION 'choice "%" of attribute % is in use: its key stays',
            OLD.key, OLD.attribute_id USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT FROM annotations_attribute WHERE id = NEW.attribute_id AND type <> 'choice')
    THEN
        RAISE EXCEPTION 'choice "%": attribute % is not of type choice', NEW.key, NEW.attribute_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER annotations_attributechoice_protected
    BEFORE INSERT OR UPDATE OR DELETE ON annotations_attributechoice
    FOR EACH ROW EXECUTE FUNCTION annotations_check_attribute_choice();
"""

BACKWARD = """
DROP TRIGGER annotations_attributechoice_protected ON annotations_attributechoice;
DROP FUNCTION annotations_check_attribute_choice();
DROP TRIGGER annotations_attribute_protected ON annotations_attribute;
DROP FUNCTION annotations_check_attribute();
DROP FUNCTION annotations_choice_in_use(bigint, text);
DROP FUNCTION annotations_attribute_in_use(bigint, text);
DROP TRIGGER annotations_assignment_submitted_complete ON annotations_assignment;
DROP FUNCTION annotations_check_submission_values();
DROP TRIGGER annotations_span_attributes_valid ON annotations_span;
DROP FUNCTION annotations_check_span_attributes();
ALTER TABLE annotations_attribute DROP CONSTRAINT attribute_not_below_same_label;
"""


class Migration(migrations.Migration):
    dependencies = [("annotations", "0006_attributes")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
