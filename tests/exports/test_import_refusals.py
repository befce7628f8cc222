"""Hostile or malformed span-import files: refused record by record, in words, never a 500,
and nothing written for the refused records."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.annotations.models import Span
from annotator.articles.outcomes import Status
from tests.exports.test_import import NEWS, doccano_line, label_studio_task, run
from tests.factories import digest

pytestmark = pytest.mark.django_db

IMPORT = reverse("exports:import")


def post(client, fmt, data, name="work.json"):
    upload = SimpleUploadedFile(name, data)
    return client.post(
        IMPORT,
        {"file": upload, "format": fmt, "analyst": "ana", "offsets": "codepoints"},
        headers={"HX-Request": "true"},
    )


def doccano_with(where):
    record = {"text": "Le préfet a parlé.", "label": [[3, 9, "Claim"]], "title": "Un titre"}
    if where == "text":
        record["text"] = "Le préfet a parlé" + "\ud800" + "."
    elif where == "label":
        record["label"] = [[3, 9, "Cl\ud800aim"]]
    else:
        record["title"] = "Un \ud800 titre"
    return json.dumps(record).encode()  # ensure_ascii: the surrogate goes out as \ud800


def label_studio_with(where):
    task = label_studio_task("Le préfet a parlé.", ("préfet", "Claim"))
    value = task["annotations"][0]["result"][0]["value"]
    if where == "text":
        task["data"]["text"] = "Le préfet a parlé\ud800."
    elif where == "label":
        value["labels"] = ["Cl\ud800aim"]
    else:
        task["data"]["title"] = "Un \ud800 titre"
    good = label_studio_task(NEWS, ("Lyon", "Claim"))
    return json.dumps([good, task]).encode()


@pytest.mark.parametrize("where", ["text", "label", "title"])
def test_a_lone_surrogate_refuses_its_doccano_line(client, admin_user, analyst, where):
    client.force_login(admin_user)
    before = digest()
    response = post(client, "doccano", doccano_with(where), "work.jsonl")
    assert response.status_code == 200
    assert "work.jsonl, line 1" in response.text
    assert "contains characters that are not valid text" in response.text
    assert digest() == before


@pytest.mark.parametrize("where", ["text", "label", "title"])
def test_a_lone_surrogate_refuses_its_label_studio_task_only(client, admin_user, analyst, where):
    client.force_login(admin_user)
    response = post(client, "labelstudio", label_studio_with(where))
    assert response.status_code == 200
    assert "1 records imported (1 new spans), 1 rejected." in response.text
    assert "work.json, task 2 (id 1)" in response.text
    assert "contains characters that are not valid text" in response.text
    assert Span.objects.get().text == "Lyon"  # the good task still imported


@pytest.mark.parametrize(("fmt", "name"), [("doccano", "deep.jsonl"), ("labelstudio", "deep.json")])
def test_deep_nesting_is_refused_in_words(client, admin_user, analyst, fmt, name):
    client.force_login(admin_user)
    before = digest()
    response = post(client, fmt, b"[" * 100_000, name)
    assert response.status_code == 200
    assert "nested more than 100 levels deep" in response.text
    assert digest() == before


def test_a_file_that_is_not_utf8_is_refused_whole(admin_user, analyst):
    data = json.dumps({"text": "Été à Nîmes.", "label": []}, ensure_ascii=False).encode("cp1252")
    (outcome,) = run("doccano", data, analyst, admin_user)
    assert (outcome.status, outcome.label) == (Status.REJECTED, "file")
    assert "not UTF-8" in outcome.reason


def test_the_command_is_bounded_as_the_page_is(admin_user, analyst, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1024 * 1024
    data = json.dumps([label_studio_task(NEWS * 30_000, ("Lyon", "Claim"))]).encode()
    (outcome,) = run("labelstudio", data, analyst, admin_user)
    assert "larger than 1 MB" in outcome.reason


def task_where(change):
    task = label_studio_task(NEWS, ("Lyon", "Claim"), ("-213 morts", "Casualty figure"))
    change(task, task["annotations"][0], task["annotations"][0]["result"][1]["value"])
    return task


WRONG_TYPES = [
    pytest.param(
        lambda t, a, v: t.update(annotations=5),
        '"annotations" must be a list',
        id="annotations a number",
    ),
    pytest.param(
        lambda t, a, v: t.update(annotations=["x"]),
        "must be a JSON object",
        id="annotations of strings",
    ),
    pytest.param(
        lambda t, a, v: (t.pop("annotations"), t.update(completions="x")),
        '"annotations" must be a list',
        id="completions a string",
    ),
    pytest.param(
        lambda t, a, v: a.update(result=3),
        '"result" must be a list',
        id="result a number",
    ),
    pytest.param(
        lambda t, a, v: a.update(result={"value": {}}),
        '"result" must be a list',
        id="result an object",
    ),
    pytest.param(
        lambda t, a, v: a["result"].append("Lyon"),
        "Result 3: a result must be a JSON object",
        id="a result a string",
    ),
    pytest.param(
        lambda t, a, v: a["result"][1].update(value=[0, 4]),
        'Result 2: a "labels" result needs a "value" object',
        id="value a list",
    ),
    pytest.param(
        lambda t, a, v: v.update(start="3"),
        "Result 2: value.start and value.end must be whole numbers",
        id="start a string",
    ),
    pytest.param(
        lambda t, a, v: v.update(end=9.0),
        "whole numbers",
        id="end a float",
    ),
    pytest.param(
        lambda t, a, v: v.update(start=True),
        "whole numbers",
        id="start true",
    ),
    pytest.param(
        lambda t, a, v: v.update(labels=[]),
        "Result 2: value.labels must be a non-empty list",
        id="labels empty",
    ),
    pytest.param(
        lambda t, a, v: v.update(labels="Claim"),
        "non-empty list of label names",
        id="labels a string",
    ),
    pytest.param(
        lambda t, a, v: v.update(labels=[1]),
        "non-empty list of label names",
        id="labels of numbers",
    ),
    pytest.param(
        lambda t, a, v: v.update(text=5),
        "Result 2: value.text must be the text",
        id="text a number",
    ),
    pytest.param(
        lambda t, a, v: t.update(data="texte"),
        'no "data.text"',
        id="data a string",
    ),
    pytest.param(
        lambda t, a, v: t["data"].update(text=["a"], other=1),
        'no "data.text"',
        id="data.text a list",
    ),
]


@pytest.mark.parametrize(("change", "message"), WRONG_TYPES)
def test_wrong_types_in_a_label_studio_task_are_refused_in_words(
    admin_user, analyst, change, message
):
    good = label_studio_task("Un autre texte.", ("autre", "Claim"))
    good["id"] = "abc"
    tasks = [good, task_where(change)]
    before = Span.objects.count()
    first, second = run("labelstudio", json.dumps(tasks).encode(), analyst, admin_user)
    assert first.status == Status.IMPORTED, first.reason
    assert (second.status, second.label) == (Status.REJECTED, "file, task 2 (id 1)")
    assert message in second.reason
    assert Span.objects.count() == before + 1


WRONG_DOCCANO = [
    ({"text": 5, "label": []}, 'no "text"'),
    ({"text": NEWS, "label": 5}, '"label" must be a list'),
    ({"text": NEWS, "label": [[0, 4]]}, 'Each label must be [start, end, "Label"]'),
    ({"text": NEWS, "label": [["0", 4, "Claim"]]}, "with whole numbers"),
    ({"text": NEWS, "label": [[0, 4, ["Claim"]]]}, "with whole numbers"),
    ({"text": NEWS, "entities": [{"start_offset": 0}]}, "with whole numbers"),
    ([NEWS], "not a JSON object"),
]


@pytest.mark.parametrize(("record", "message"), WRONG_DOCCANO)
def test_wrong_types_in_a_doccano_line_are_refused_in_words(admin_user, analyst, record, message):
    data = "\n".join([doccano_line(NEWS, ("Lyon", "Claim")), json.dumps(record)]).encode()
    first, second = run("doccano", data, analyst, admin_user)
    assert first.status == Status.IMPORTED, first.reason
    assert (second.status, second.label) == (Status.REJECTED, "file, line 2")
    assert message in second.reason


def test_the_page_answers_a_wrong_type_in_words(client, admin_user, analyst):
    client.force_login(admin_user)
    task = label_studio_task(NEWS, ("Lyon", "Claim"))
    task["annotations"] = 5
    before = digest()
    response = post(client, "labelstudio", json.dumps([task]).encode())
    assert response.status_code == 200
    assert "work.json, task 1 (id 1)" in response.text
    assert "&quot;annotations&quot; must be a list of annotations." in response.text
    assert digest() == before
