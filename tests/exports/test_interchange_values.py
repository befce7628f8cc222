"""Spans' values in the interchange formats: Label Studio carries them as per-region results
(and its labeling config shows them); doccano cannot, and says so (issue 16)."""

import html
import json
import re
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotator.annotations.models import Label, Span
from annotator.articles.outcomes import Status
from annotator.exports.interchange import doccano, labelstudio
from annotator.exports.interchange.importer import import_file
from annotator.exports.interchange.records import records
from annotator.exports.selection import SpanFilter
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def label_studio_export(spans=None):
    return b"".join(labelstudio.export_chunks(records(spans or SpanFilter())))


def results_by_region(data):
    regions = {}
    for task in json.loads(data):
        for result in task["annotations"][0]["result"]:
            regions.setdefault(result["id"], []).append(result)
    return regions


def test_values_become_per_region_results_bound_to_their_region(valued):
    regions = results_by_region(label_studio_export())
    toll = valued["spans"]["toll"]
    labels, *values = regions[f"span{toll.pk}"]
    assert labels["type"] == "labels"
    region = {"start": toll.start, "end": toll.end}
    assert values == [
        {
            "id": f"span{toll.pk}",
            "from_name": "casualty_figure.kind",
            "to_name": "text",
            "type": "choices",
            "value": {**region, "text": "-213 morts", "choices": ["killed"]},
        },
        {
            "id": f"span{toll.pk}",
            "from_name": "casualty_figure.min",
            "to_name": "text",
            "type": "number",
            "value": {**region, "text": "-213 morts", "number": 213},
        },
        {
            "id": f"span{toll.pk}",
            "from_name": "casualty_figure.max",
            "to_name": "text",
            "type": "number",
            "value": {**region, "text": "-213 morts"},
            "meta": {"unknown": True},
        },
        {
            "id": f"span{toll.pk}",
            "from_name": "casualty_figure.precision",
            "to_name": "text",
            "type": "choices",
            "value": {**region, "text": "-213 morts", "choices": ["exact"]},
        },
    ]


def test_texts_and_words_are_text_areas_with_offsets_in_meta(valued):
    regions = results_by_region(label_studio_export())
    quote = valued["spans"]["quote"]
    _labels, kind, speaker, cue = regions[f"span{quote.pk}"]
    assert kind["value"]["choices"] == ["direct"]
    assert (speaker["type"], speaker["value"]["text"]) == ("textarea", ["la ministre"])
    offsets = valued["values"]["quote"]["speaker"]
    assert speaker["meta"] == {"start": offsets["start"], "end": offsets["end"]}
    assert (cue["value"]["text"], "meta" in cue) == (["a déclaré"], False)
    handle = regions[f"span{valued['spans']['handle'].pk}"]
    target = next(r for r in handle if r["from_name"] == "policy_stance.target")
    assert target["value"]["text"] == ["=SOMME(A1:A9) réforme"]  # exact: no formula escape


def test_yes_or_no_is_a_choice_of_true_or_false(valued):
    regions = results_by_region(label_studio_export())
    verified = {}
    for name in ("formula", "phone"):
        for result in regions[f"span{valued['spans'][name].pk}"]:
            if result["from_name"] == "claim.verified":
                verified[name] = result["value"]["choices"]
    assert verified == {"formula": ["true"], "phone": ["false"]}
    phone = regions[f"span{valued['spans']['phone'].pk}"]
    unknown = next(r for r in phone if r["from_name"] == "claim.checkworthy")
    assert (unknown["value"]["choices"], unknown["meta"]) == ([], {"unknown": True})


def stored_values(analyst):
    return {
        (s.article_id, s.start, s.end, s.label.name): s.attributes
        for s in Span.objects.filter(annotator=analyst).select_related("label")
    }


def test_values_of_every_type_come_back_from_label_studio(valued, analyst, admin_user):
    data = label_studio_export()
    zoe = make_user("zoe", "analyst")
    outcomes = import_file("export.json", data, labelstudio.read(data), analyst=zoe, by=admin_user)
    assert [o.status for o in outcomes] == [Status.IMPORTED, Status.IMPORTED], outcomes
    theirs = stored_values(zoe)
    ours = {
        key: value
        for key, value in stored_values(analyst).items()
        if key in theirs  # ana's exported (approved) spans
    }
    assert len(theirs) == 7
    assert theirs == ours
    assert theirs[next(k for k in theirs if k[3] == "Casualty figure")]["max"] is None
    # Stored through create_span: each creation event carries its values.
    span = Span.objects.get(annotator=zoe, label__name="Quote", attributes__has_key="speaker")
    assert span.events.get().attributes_after == valued["values"]["quote"]


def shown_config(client):
    """The labeling config the export page shows, as Label Studio would read it."""
    page = client.get(reverse("exports:index")).text
    shown = re.search(r'<pre id="labelstudio-config"><code>(.*?)</code></pre>', page, re.S)
    assert shown is not None
    return html.unescape(shown.group(1))


def parsed(config):
    # Our own page's XML, which we just generated: not untrusted input.
    return ET.fromstring(config)  # noqa: S314


def test_the_labeling_config_has_a_control_for_every_exported_value(client, valued, reviewer):
    client.force_login(reviewer)
    root = parsed(shown_config(client))
    controls = {element.get("name"): element for element in root.iter() if element.get("name")}
    assert [label.get("value") for label in controls["label"]] == [
        "Claim",
        "Quote",
        "Casualty figure",
        "Policy stance",
    ]
    tags = {"choices": "Choices", "number": "Number", "textarea": "TextArea"}
    for results in results_by_region(label_studio_export()).values():
        label = results[0]["value"]["labels"][0]
        for result in results[1:]:
            control = controls[result["from_name"]]
            assert control.tag == tags[result["type"]]
            assert (control.get("perRegion"), control.get("toName")) == ("true", "text")
            assert control.get("whenLabelValue") == label
            answers = {choice.get("value") for choice in control}
            assert set(result["value"].get("choices", [])) <= answers
    assert controls["casualty_figure.min"].get("min") == "0"


def test_the_export_page_says_doccano_cannot_carry_values(client, corpus, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("exports:index")).text
    assert "doccano JSONL cannot carry the spans’ values" in page
    assert page.index("doccano JSONL cannot") > page.index('name="format"')  # by the choice


def test_label_names_are_escaped_in_the_config_and_the_page(client, labels, reviewer):
    Label.objects.create(name='Rumeur "<b>" & co', key="5", color=1, order=9)
    client.force_login(reviewer)
    assert "<b>" not in client.get(reverse("exports:index")).text
    root = parsed(shown_config(client))
    assert root.find("Labels")[-1].get("value") == 'Rumeur "<b>" & co'
    # No attributes: no per-region controls for it, and the stock names.
    assert root.find("Text").attrib == {"name": "text", "value": "$text"}


def test_doccano_export_leaves_values_out_and_the_command_says_so(valued, tmp_path):
    lines = b"".join(doccano.export_lines(records(SpanFilter()))).decode().splitlines()
    assert all(set(json.loads(line)) >= {"text", "label"} for line in lines)
    assert "attributes" not in lines[0] and "killed" not in lines[0]
    err = StringIO()
    call_command("export_spans", "--format", "doccano", "-o", str(tmp_path / "x"), stderr=err)
    assert "5 exported span(s) hold values (attributes), which doccano's format cannot" in (
        err.getvalue()
    )
    # Nothing said where no exported span has values, nor for the other formats.
    for args in (["--format", "doccano", "--label", "Quote", "--status", "rejected"], []):
        err = StringIO()
        call_command("export_spans", *args, "-o", str(tmp_path / "y"), stderr=err)
        assert "hold values" not in err.getvalue()


def test_doccano_import_leaves_values_empty(valued, admin_user):
    data = b"".join(doccano.export_lines(records(SpanFilter())))
    zoe = make_user("zoe", "analyst")
    outcomes = import_file("export.jsonl", data, doccano.read(data), analyst=zoe, by=admin_user)
    assert [o.status for o in outcomes] == [Status.IMPORTED, Status.IMPORTED]
    imported = Span.objects.filter(annotator=zoe).values_list("attributes", flat=True)
    assert len(imported) == 7
    assert all(values == {} for values in imported)
