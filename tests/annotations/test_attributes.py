"""Attributes of labels and the values spans hold: what the database refuses whatever writes
them (raw SQL, QuerySet.update), and what Label.validate_attributes says in words."""

import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from annotator.annotations import spans
from annotator.annotations.models import Assignment, Attribute, AttributeChoice, Span
from annotator.refusal import Refused
from tests.factories import make_article

pytestmark = pytest.mark.django_db

QUOTE = "« Nous n’avions jamais vu ça »"
SPEAKER = "M. Roussel"


def tag(assignment, label, phrase, attributes=None):
    start = assignment.article.text.index(phrase)
    span, _ = spans.create_span(
        assignment.pk,
        assignment.analyst,
        label=label,
        start=start,
        end=start + len(phrase),
        attributes=attributes,
    )
    return span


@pytest.fixture
def figure(assignment, labels):
    """A Casualty figure span with no values yet."""
    return tag(assignment, labels["Casualty figure"], "1\u202f850 habitants")


@pytest.fixture
def quote(assignment, labels):
    return tag(assignment, labels["Quote"], QUOTE)


@pytest.fixture
def stance(assignment, labels):
    return tag(assignment, labels["Policy stance"], "3,5 millions d’euros seront débloqués")


def attribute(label, key):
    return Attribute.objects.get(label=label, key=key)


def write(span, values):
    """Store `values` bypassing Python's checks; IntegrityError if the database refuses."""
    with transaction.atomic():
        Span.objects.filter(pk=span.pk).update(attributes=values)


def refused(span, values):
    before = Span.objects.get(pk=span.pk).attributes
    with pytest.raises(IntegrityError, match="span"):
        write(span, values)
    assert Span.objects.get(pk=span.pk).attributes == before


def speaker_at(article):
    start = article.text.index(SPEAKER)
    return {"text": SPEAKER, "start": start, "end": start + len(SPEAKER)}


# --- Rows of attributes: constraints -------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"key": "Kind"},
        {"key": "1st"},
        {"key": "a-b"},
        {"key": ""},
        {"name": ""},
        {"type": "date"},
        {"min_value": 5, "max_value": 4},
        {"type": "text", "min_value": 0},
        {"max_length": 0},
        {"max_length": 2001},
    ],
)
def test_database_refuses_an_ill_formed_attribute(labels, fields):
    row = {"label": labels["Claim"], "key": "urgent", "name": "Urgent", "type": "integer"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribute.objects.create(**(row | fields))


def test_keys_are_unique_per_label_only(labels):
    Attribute.objects.create(label=labels["Claim"], key="source", name="Source", type="text")
    Attribute.objects.create(label=labels["Quote"], key="source", name="Source", type="text")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribute.objects.create(label=labels["Claim"], key="source", name="Other", type="text")


def test_not_below_names_an_integer_of_the_same_label(labels):
    casualty = labels["Casualty figure"]
    low = attribute(casualty, "min")

    def on_another_label():
        with transaction.atomic():
            Attribute.objects.create(
                label=labels["Claim"], key="high", name="High", type="integer", not_below=low
            )
            connection.check_constraints()  # the composite key is deferred to the commit

    with pytest.raises(IntegrityError):
        on_another_label()
    with pytest.raises(IntegrityError, match="integer"), transaction.atomic():
        Attribute.objects.create(
            label=casualty,
            key="high",
            name="High",
            type="integer",
            not_below=attribute(casualty, "kind"),
        )
    with pytest.raises(IntegrityError, match="integer"), transaction.atomic():
        Attribute.objects.filter(pk=low.pk).update(type="text")
    high = attribute(casualty, "max")
    with pytest.raises(IntegrityError), transaction.atomic():
        Attribute.objects.filter(pk=high.pk).update(not_below=high)


def test_choices_belong_to_choice_attributes(labels):
    with pytest.raises(IntegrityError, match="not of type choice"), transaction.atomic():
        attribute(labels["Casualty figure"], "min").choices.create(key="few", name="few")
    with pytest.raises(IntegrityError), transaction.atomic():
        attribute(labels["Casualty figure"], "kind").choices.create(key="Dead", name="dead")
    with pytest.raises(IntegrityError, match="has choices"), transaction.atomic():
        Attribute.objects.filter(pk=attribute(labels["Quote"], "kind").pk).update(type="text")


def test_names_follow_the_language(labels):
    kind = attribute(labels["Casualty figure"], "kind")
    killed = kind.choices.get(key="killed")
    blank = Attribute(label=labels["Claim"], key="x", name="Urgent", name_fr="", help_text="H")
    with translation.override("fr"):
        assert (kind.display_name, killed.display_name) == ("Nature", "tués")
        assert (blank.display_name, blank.display_help_text) == ("Urgent", "H")
    with translation.override("en"):
        assert (kind.display_name, killed.display_name) == ("Kind", "killed")


# --- Values: what the trigger refuses ------------------------------------------------------


def test_database_stores_good_values(figure, quote, stance, assignment):
    write(figure, {"kind": "killed", "min": 12, "max": 12, "precision": None})
    write(quote, {"kind": "direct", "speaker": speaker_at(assignment.article), "cue": None})
    write(stance, {"target": "le budget", "polarity": "for", "holder": {"text": "Le ministère"}})
    figure.refresh_from_db()
    assert figure.attributes == {"kind": "killed", "min": 12, "max": 12, "precision": None}


@pytest.mark.parametrize(
    "values",
    [
        {"nope": 1},  # not an attribute of the label
        {"speaker": {"text": "x"}},  # an attribute of another label
        {"min": "12"},  # a string, not a number
        {"min": True},
        {"min": 2.5},
        {"min": 2.0},  # whole, but written with decimals
        {"min": -1},  # below min_value 0
        {"min": 2**31},  # beyond PostgreSQL's integer
        {"min": 10, "max": 9},  # max below min
        {"kind": "drowned"},  # not a choice
        {"kind": 1},
        {"kind": ["killed"]},
    ],
)
def test_database_refuses_bad_figure_values(figure, values):
    refused(figure, values)


@pytest.mark.parametrize(
    "values",
    [
        {"target": "x" * 201},  # longer than max_length
        {"target": ""},
        {"target": 5},
        {"polarity": True},
        {"holder": "Le ministère"},  # a reference is an object
        {"holder": {"text": ""}},
        {"holder": {"text": "Le ministère", "who": 1}},
        {"holder": {"text": "Le ministère", "start": 0}},  # start without end
        {"holder": {"text": "Le ministère", "start": 0, "end": 12}},  # not the article's words
        {"holder": {"text": "Le ministère", "start": 0.5, "end": 12}},
    ],
)
def test_database_refuses_bad_stance_values(stance, values):
    refused(stance, values)


def test_database_refuses_reference_offsets_outside_the_article(quote, assignment):
    n = len(assignment.article.text)
    tail = assignment.article.text[-3:]
    for start, end in [(n - 3, n + 1), (-1, 2), (5, 5), (10**12, 10**12 + 3)]:
        refused(quote, {"speaker": {"text": tail, "start": start, "end": end}})
    write(quote, {"speaker": {"text": tail, "start": n - 3, "end": n}})


def test_offsets_count_code_points(admin_user, analyst, labels):
    article = make_article("Crue 🌊\n« Ça monte », dit Léa 🌊 Roux.", by=admin_user)
    work = Assignment.objects.create(article=article, analyst=analyst)
    quote = tag(work, labels["Quote"], "« Ça monte »")
    start = article.text.index("Léa 🌊 Roux")
    write(quote, {"speaker": {"text": "Léa 🌊 Roux", "start": start, "end": start + 10}})
    refused(quote, {"speaker": {"text": "Léa 🌊 Roux", "start": start, "end": start + 11}})


def test_database_checks_booleans_and_upper_bounds(assignment, labels):
    claim = labels["Claim"]
    Attribute.objects.create(label=claim, key="urgent", name="Urgent", type="boolean")
    Attribute.objects.create(
        label=claim, key="sources", name="Sources", type="integer", max_value=9
    )
    span = tag(assignment, claim, "Les pompiers")
    write(span, {"urgent": False, "sources": 9})
    refused(span, {"urgent": "yes"})
    refused(span, {"urgent": 1})
    refused(span, {"sources": 10})


def raw_update(span, values_json):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE annotations_span SET attributes = %s::jsonb WHERE id = %s",
            [values_json, span.pk],
        )


def test_raw_sql_is_refused_too(figure):
    with pytest.raises(IntegrityError, match="not a choice"):
        raw_update(figure, json.dumps({"kind": "drowned"}))
    with pytest.raises(IntegrityError, match="must be a JSON object"):
        raw_update(figure, "[]")
    raw_update(figure, json.dumps({"kind": "killed"}))
    assert Span.objects.get(pk=figure.pk).attributes == {"kind": "killed"}


def test_a_new_row_is_checked_as_well(assignment, analyst, labels):
    with pytest.raises(IntegrityError, match="not an attribute"), transaction.atomic():
        Span.objects.create(
            assignment=assignment,
            article=assignment.article,
            annotator=analyst,
            label=labels["Claim"],
            start=0,
            end=4,
            text=assignment.article.text[:4],
            attributes={"kind": "killed"},
        )


def test_a_new_label_checks_every_value(figure, labels):
    write(figure, {"kind": "killed", "min": 2})
    with pytest.raises(IntegrityError, match="not an attribute"), transaction.atomic():
        Span.objects.filter(pk=figure.pk).update(label=labels["Quote"])


def test_switched_off_attributes_and_choices_take_no_new_values(figure, labels):
    casualty = labels["Casualty figure"]
    Attribute.objects.filter(label=casualty, key="precision").update(is_active=False)
    AttributeChoice.objects.filter(attribute__label=casualty, key="missing").update(is_active=False)
    refused(figure, {"precision": "exact"})
    refused(figure, {"precision": None})
    refused(figure, {"kind": "missing"})
    write(figure, {"kind": "killed"})


def test_a_value_stored_before_it_was_switched_off_stays(figure, labels, reviewer):
    casualty = labels["Casualty figure"]
    write(figure, {"kind": "missing", "precision": "exact", "min": 3})
    Attribute.objects.filter(label=casualty, key="precision").update(is_active=False)
    AttributeChoice.objects.filter(attribute__label=casualty, key="missing").update(is_active=False)
    Attribute.objects.filter(label=casualty, key="min").update(min_value=5)
    # Other changes of the span, and of its other values, go on.
    Span.objects.filter(pk=figure.pk).update(status="approved", reviewed_by=reviewer)
    figure.refresh_from_db()
    figure.reject_reason = "ok"
    figure.save()  # every column, the values too, unchanged
    write(figure, {"kind": "missing", "precision": "exact", "min": 3, "max": 7})
    # Written again with another value, each is checked.
    refused(figure, {"kind": "missing", "precision": "approx", "min": 3, "max": 7})
    refused(figure, {"kind": "missing", "precision": "exact", "min": 4, "max": 7})
    refused(figure, {"kind": "missing", "precision": "exact", "min": 3, "max": 2})


# --- Deleting and renaming what is in use ---------------------------------------------------


def test_an_attribute_in_use_is_never_deleted(figure, labels):
    casualty = labels["Casualty figure"]
    write(figure, {"precision": None})  # "unknown" is a use too
    with pytest.raises(IntegrityError, match="in use"), transaction.atomic():
        Attribute.objects.filter(label=casualty, key="precision").delete()
    with pytest.raises(IntegrityError, match="in use"), transaction.atomic():
        Attribute.objects.filter(label=casualty, key="precision").update(key="exactness")
    with pytest.raises(IntegrityError, match="in use"), transaction.atomic():
        Attribute.objects.filter(label=casualty, key="precision").update(type="text")
    Attribute.objects.filter(label=casualty, key="precision").update(is_active=False, name="P")
    unused = Attribute.objects.create(label=casualty, key="source", name="Source", type="text")
    unused.delete()
    assert set(casualty.attributes.values_list("key", flat=True)) == {
        "kind",
        "min",
        "max",
        "precision",
    }


def test_an_attribute_in_the_history_only_is_never_deleted(figure, assignment, analyst, labels):
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={"precision": "exact"})
    spans.set_attributes(assignment.pk, analyst, figure.pk, values={}, clear=["precision"])
    assert Span.objects.get(pk=figure.pk).attributes == {}
    with pytest.raises(IntegrityError, match="in use"), transaction.atomic():
        Attribute.objects.filter(label=labels["Casualty figure"], key="precision").delete()


def test_a_choice_in_use_is_never_deleted(figure, labels):
    kind = attribute(labels["Casualty figure"], "kind")
    write(figure, {"kind": "killed"})
    with pytest.raises(IntegrityError, match="in use"), transaction.atomic():
        kind.choices.filter(key="killed").delete()
    with pytest.raises(IntegrityError, match="in use"), transaction.atomic():
        kind.choices.filter(key="killed").update(key="dead")
    kind.choices.filter(key="affected").delete()
    assert not kind.choices.filter(key="affected").exists()


def test_an_attribute_with_unused_choices_is_deleted_with_them(labels):
    polarity = attribute(labels["Policy stance"], "polarity")
    polarity.delete()
    assert not AttributeChoice.objects.filter(attribute_id=polarity.pk).exists()


# --- Label.validate_attributes: the same rules in words ------------------------------------


def validate(label, values, article, stored=None):
    return label.validate_attributes(values, article.text, stored=stored)


def message(label, values, article, stored=None):
    with pytest.raises(Refused) as refusal:
        validate(label, values, article, stored)
    assert refusal.value.status == 422
    return refusal.value.message


def test_validation_cleans_what_a_form_sends(labels, article):
    casualty = labels["Casualty figure"]
    cleaned = validate(casualty, {"kind": "killed", "min": "213", "max": " 300 "}, article)
    assert cleaned == {"kind": "killed", "min": 213, "max": 300}
    assert validate(casualty, {"kind": None, "min": None}, article) == {"kind": None, "min": None}
    assert validate(labels["Policy stance"], {"target": "  le budget "}, article) == {
        "target": "le budget"
    }
    assert validate(labels["Quote"], {"speaker": SPEAKER}, article) == {
        "speaker": {"text": SPEAKER, "start": None, "end": None}
    }
    offsets = speaker_at(article)
    as_strings = {"text": SPEAKER, "start": str(offsets["start"]), "end": str(offsets["end"])}
    assert validate(labels["Quote"], {"speaker": as_strings}, article) == {"speaker": offsets}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"deaths": 3}, "“deaths” is not a field of the label “Casualty figure”."),
        ({"min": 2.5}, "“Min” must be a whole number."),
        ({"min": True}, "“Min” must be a whole number."),
        ({"min": [1]}, "“Min” must be a whole number."),
        ({"min": "٣"}, "“Min” must be a whole number written with the digits 0 to 9."),
        ({"min": "２"}, "“Min” must be a whole number written with the digits 0 to 9."),
        ({"min": "12 morts"}, "“Min” must be a whole number written with the digits 0 to 9."),
        ({"min": -1}, "“Min” cannot be less than 0."),
        ({"min": 2**31}, "“Min” is beyond the numbers that can be stored"),
        ({"max": "9" * 5000}, "“Max” is beyond the numbers that can be stored"),
        ({"min": 10, "max": 9}, "“Max” cannot be less than “Min”."),
        ({"kind": "drowned"}, "“drowned” is not one of the answers to “Kind”."),
        ({"kind": 1}, "“1” is not one of the answers to “Kind”."),
    ],
)
def test_validation_says_what_is_wrong(labels, article, values, expected):
    assert expected in message(labels["Casualty figure"], values, article)


def test_validation_checks_max_against_the_stored_min(labels, article):
    casualty = labels["Casualty figure"]
    assert "“Max” cannot be less than “Min”." in message(
        casualty, {"max": 3}, article, stored={"min": 5}
    )
    assert "“Max” cannot be less than “Min”." in message(
        casualty, {"min": 5}, article, stored={"max": 3}
    )
    assert validate(casualty, {"max": 3}, article, stored={"min": None}) == {"max": 3}


def test_validation_of_texts_and_references(labels, article):
    stance, quote = labels["Policy stance"], labels["Quote"]
    assert "“Target” is too long: at most 200 characters." in message(
        stance, {"target": "x" * 201}, article
    )
    assert "“Target” is empty" in message(stance, {"target": "  "}, article)
    assert "“Target” must be text." in message(stance, {"target": 3}, article)
    assert "not valid text" in message(stance, {"target": "a\x00b"}, article)
    n = len(article.text)
    assert "The words of “Speaker” are not within the article." in message(
        quote, {"speaker": {"text": "x", "start": n, "end": n + 1}}, article
    )
    assert "The words of “Speaker” are not within the article." in message(
        quote, {"speaker": {"text": "x", "start": 3}}, article
    )
    assert "are not those of the article at that place" in message(
        quote, {"speaker": {"text": "M. Dupont", "start": 0, "end": 9}}, article
    )
    assert "“Speaker” must be words of the article." in message(
        quote, {"speaker": {"text": "x", "page": 2}}, article
    )


def test_validation_refuses_what_is_switched_off(labels, article):
    casualty = labels["Casualty figure"]
    Attribute.objects.filter(label=casualty, key="precision").update(is_active=False)
    AttributeChoice.objects.filter(attribute__label=casualty, key="missing").update(is_active=False)
    assert "“Precision” is switched off" in message(casualty, {"precision": "exact"}, article)
    assert "The answer “missing” to “Kind” is switched off." in message(
        casualty, {"kind": "missing"}, article
    )


def test_validation_names_fields_in_the_language_of_the_request(labels, article):
    with translation.override("fr"):
        text = message(labels["Casualty figure"], {"kind": "drowned", "min": 10, "max": 2}, article)
    # French names, in French quotation marks.
    assert (
        "«\u00a0Nature\u00a0»" in text
        and "«\u00a0Max\u00a0»" in text
        and "«\u00a0Min\u00a0»" in text
    )


def test_every_error_is_reported_by_field(labels, article):
    with pytest.raises(Refused) as refusal:
        validate(labels["Casualty figure"], {"kind": "drowned", "min": -1}, article)
    assert set(refusal.value.errors) == {"kind", "min"}


# --- Which spans lack a required value -----------------------------------------------------


def test_missing_required_lists_live_spans_without_their_required_keys(
    figure, quote, assignment, analyst, labels
):
    # The quote has no required attribute; the deleted figure does not count.
    other = tag(assignment, labels["Casualty figure"], "deux morts")
    gone = tag(assignment, labels["Casualty figure"], "Vasselot")
    spans.delete_span(assignment.pk, analyst, gone.pk)
    write(other, {"kind": None})  # marked unknown: present
    assert list(Span.objects.missing_required()) == [figure]
    Attribute.objects.filter(label=labels["Casualty figure"], key="kind").update(is_active=False)
    assert not Span.objects.missing_required().exists()
