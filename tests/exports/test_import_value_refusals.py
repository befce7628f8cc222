"""Hostile or wrong values in a Label Studio file: the task is refused in words an analyst
understands, and nothing at all is written for it."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.annotations.models import Span
from annotator.articles.outcomes import Status
from tests.exports.test_import import NEWS, label_studio_task, run
from tests.factories import digest

pytestmark = pytest.mark.django_db

QUOTE = "« Il faut agir »"


def task_with(*values, spans=(("-213 morts", "Casualty figure"), (QUOTE, "Quote"))):
    """A Label Studio task over NEWS (regions "r0", "r1", …) with per-region results."""
    task = label_studio_task(NEWS, *spans)
    result = task["annotations"][0]["result"]
    for region, from_name, kind, value, *meta in values:
        item = {"id": region, "from_name": from_name, "to_name": "text", "type": kind}
        item["value"] = value
        if meta:
            item["meta"] = meta[0]
        result.append(item)
    return task


def number(n):
    return {"number": n}


def choices(*keys):
    return {"choices": list(keys)}


def texts(*words):
    return {"text": list(words)}


GOOD = [("r0", "casualty_figure.kind", "choices", choices("killed"))]

HOSTILE = [
    pytest.param(
        ("r0", "casualty_figure.min", "choices", choices("12")),
        "“Min” is a field of type “Whole number”, written as a “number” result; the file "
        "gives a “choices” result.",
        id="wrong type",
    ),
    pytest.param(
        ("r0", "casualty_figure.colour", "number", number(3)),
        "“colour” is not a field of the label “Casualty figure”.",
        id="unknown key",
    ),
    pytest.param(
        ("r0", "quote.kind", "choices", choices("direct")),
        "“quote.kind” is not a field of the label “Casualty figure”.",
        id="another label's field",
    ),
    pytest.param(
        ("r0", "casualty_figure.kind", "choices", choices("dead")),
        "“dead” is not one of the answers to “Kind”.",
        id="unknown choice",
    ),
    pytest.param(
        ("r0", "casualty_figure.kind", "choices", choices("killed", "injured")),
        "“Kind” takes one answer; the file gives 2.",
        id="two choices",
    ),
    pytest.param(
        ("r0", "casualty_figure.min", "number", number(12.5)),
        "“Min” must be a whole number.",
        id="non-integer",
    ),
    pytest.param(
        ("r0", "casualty_figure.min", "number", number("douze")),
        "“Min” must be a whole number written with the digits 0 to 9.",
        id="number as words",
    ),
    pytest.param(
        ("r0", "casualty_figure.min", "number", number(True)),
        "“Min” must be a whole number.",
        id="number true",
    ),
    pytest.param(
        ("r0", "casualty_figure.min", "number", number(2**40)),
        "“Min” is beyond the numbers that can be stored",
        id="number too large",
    ),
    pytest.param(
        ("r0", "casualty_figure.min", "number", number(-3)),
        "“Min” cannot be less than 0.",
        id="below the bound",
    ),
    pytest.param(
        ("r1", "quote.speaker", "textarea", texts("x" * 201)),
        "“Speaker” is too long: at most 200 characters.",
        id="text past the bound",
    ),
    pytest.param(
        ("r1", "quote.speaker", "textarea", texts("la ministre", "le maire")),
        "“Speaker” takes one text; the file gives 2.",
        id="two texts",
    ),
    pytest.param(
        ("r1", "quote.speaker", "textarea", texts("La ministre"), {"start": 0, "end": 11}),
        "meta.start and meta.end [0, 11] cover « 🌊 Selon l’O », not these words.",
        id="offsets elsewhere",
    ),
    pytest.param(
        ("r1", "quote.speaker", "textarea", texts("La ministre"), {"start": 0, "end": 900}),
        "The words of “Speaker” are not within the article.",
        id="offsets outside",
    ),
    pytest.param(
        ("r1", "quote.speaker", "textarea", texts("La ministre"), {"start": "0", "end": 11}),
        "meta.start and meta.end of “quote.speaker” must be whole numbers.",
        id="offsets as strings",
    ),
    pytest.param(
        ("r1", "quote.speaker", "textarea", {"text": [3]}),
        "value.text of “quote.speaker” must be a list of texts.",
        id="text a number",
    ),
    pytest.param(
        ("r1", "quote.kind", "choices", "direct"),
        'a value for “quote.kind” needs a "value" object.',
        id="value a string",
    ),
    pytest.param(
        ("nowhere", "quote.kind", "choices", choices("direct")),
        "“quote.kind” is a value of the region “nowhere”, which this task does not label.",
        id="no such region",
    ),
]


@pytest.mark.parametrize(("value", "message"), HOSTILE)
def test_a_bad_value_refuses_its_task_in_words(admin_user, analyst, value, message):
    before = digest()
    (outcome,) = run(
        "labelstudio", json.dumps([task_with(*GOOD, value)]).encode(), analyst, admin_user
    )
    assert outcome.status == Status.REJECTED
    assert message in outcome.reason
    assert digest() == before


def test_the_same_task_with_good_values_imports(admin_user, analyst):
    speaker_start = NEWS.index("La ministre")
    good = task_with(
        *GOOD,
        ("r0", "casualty_figure.min", "number", number(213)),
        ("r0", "casualty_figure.max", "number", {}, {"unknown": True}),
        (
            "r1",
            "quote.speaker",
            "textarea",
            texts("La ministre"),
            {"start": speaker_start, "end": speaker_start + 11},
        ),
    )
    (outcome,) = run("labelstudio", json.dumps([good]).encode(), analyst, admin_user)
    assert outcome.status == Status.IMPORTED, outcome.reason
    toll = Span.objects.get(label__name="Casualty figure")
    assert toll.attributes == {"kind": "killed", "min": 213, "max": None}
    speaker = Span.objects.get(label__name="Quote").attributes["speaker"]
    assert speaker == {"text": "La ministre", "start": speaker_start, "end": speaker_start + 11}


def test_other_projects_controls_are_ignored_as_before(admin_user, analyst):
    task = task_with(("r0", "sentiment", "choices", choices("Positive")))
    (outcome,) = run("labelstudio", json.dumps([task]).encode(), analyst, admin_user)
    assert outcome.status == Status.IMPORTED, outcome.reason
    assert {span.attributes.get("kind") for span in Span.objects.all()} == {None}


def test_a_lone_surrogate_in_a_value_refuses_its_task_only(client, admin_user, analyst):
    client.force_login(admin_user)
    bad = task_with(("r1", "quote.speaker", "textarea", texts("la mini\ud800stre")))
    good = label_studio_task("Un autre texte.", ("autre", "Claim"))
    response = client.post(
        reverse("exports:import"),
        {
            "file": SimpleUploadedFile("work.json", json.dumps([good, bad]).encode()),
            "format": "labelstudio",
            "analyst": "ana",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "1 records imported (1 new spans), 1 rejected." in response.text
    assert "work.json, task 2 (id 1)" in response.text
    assert "contains characters that are not valid text" in response.text
    assert Span.objects.get().text == "autre"


def test_the_page_reports_a_bad_value_in_words(client, admin_user, analyst):
    client.force_login(admin_user)
    before = digest()
    task = task_with(("r0", "casualty_figure.kind", "choices", choices("dead")))
    response = client.post(
        reverse("exports:import"),
        {
            "file": SimpleUploadedFile("work.json", json.dumps([task]).encode()),
            "format": "labelstudio",
            "analyst": "ana",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "work.json, task 1 (id 1)" in response.text
    assert "Casualty figure: “dead” is not one of the answers to “Kind”." in response.text
    assert digest() == before


def test_words_of_the_article_move_with_a_normalised_text(admin_user, analyst):
    text = "Le pre\u0301fet a parlé. La ministre a dit « oui »."  # "é" decomposed (NFD)
    task = label_studio_task(text, ("« oui »", "Quote"))
    start = text.index("La ministre")
    speaker = ("r0", "quote.speaker", "textarea", texts("La ministre"))
    task["annotations"][0]["result"].append(
        {"id": speaker[0], "from_name": speaker[1], "to_name": "text", "type": speaker[2]}
        | {"value": speaker[3], "meta": {"start": start, "end": start + 11}}
    )
    (outcome,) = run("labelstudio", json.dumps([task]).encode(), analyst, admin_user)
    assert outcome.status == Status.IMPORTED, outcome.reason
    span = Span.objects.get()
    stored = span.attributes["speaker"]
    assert stored["start"] == start - 1  # the composed "é" is one character
    assert span.article.text[stored["start"] : stored["end"]] == "La ministre"
