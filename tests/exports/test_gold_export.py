"""Gold spans out: the export's `origin` choice, in every format; the CSV's last column says
which spans the file holds."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from annotator.agreement import gold
from annotator.exports import selection
from annotator.exports.downloads import Export
from annotator.exports.models import ExportLog
from annotator.exports.selection import SpanFilter
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(two_analysts, analyst):
    curator = make_user("carla", "reviewer")
    gold.claim(two_analysts.pk, curator)
    gold.accept_agreed(two_analysts.pk, curator)
    figure = two_analysts.spans.get(annotator=analyst, text="12 morts")
    gold.accept(two_analysts.pk, curator, figure.pk)
    gold.finish(two_analysts.pk, curator)
    return two_analysts


def rows(data: bytes):
    return list(csv.DictReader(io.StringIO(data.decode())))


def download(spans, fmt="csv"):
    return b"".join(Export(spans=spans, format=fmt).chunks())


def test_the_gold_csv_holds_the_finished_gold_spans(finished, labels):
    got = rows(download(SpanFilter(origin="gold")))
    assert [(r["label"], r["text"]) for r in got] == [
        ("Claim", "La mairie a ouvert trois gymnases pour les sinistrés."),
        ("Casualty figure", "12 morts"),
    ]
    for row in got:
        assert row["source"] == "gold"
        assert (row["annotator"], row["reviewer"], row["status"]) == ("carla", "carla", "gold")
        assert row["original_label"] == ""
    assert got[1]["casualty_figure.min"] == "12"
    assert selection.count(SpanFilter(origin="gold")) == (2, 1)
    # The analysts' export is unchanged but for its last column.
    analysts = rows(download(SpanFilter(statuses=("pending",))))
    assert len(analysts) == 6 and {r["source"] for r in analysts} == {"analysts"}


def test_an_unfinished_gold_version_is_not_exported(two_analysts):
    curator = make_user("carla", "reviewer")
    gold.claim(two_analysts.pk, curator)
    gold.accept_agreed(two_analysts.pk, curator)
    assert download(SpanFilter(origin="gold")).count(b"\n") == 1  # the header alone


def test_doccano_and_label_studio_export_gold_too(finished):
    lines = download(SpanFilter(origin="gold"), "doccano").decode().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert [label for _s, _e, label in record["label"]] == ["Claim", "Casualty figure"]
    tasks = json.loads(download(SpanFilter(origin="gold"), "labelstudio"))
    assert len(tasks) == 1
    regions = [r for r in tasks[0]["annotations"][0]["result"] if r["type"] == "labels"]
    assert len(regions) == 2


def test_the_page_offers_gold_and_the_download_is_logged(client, reviewer, finished):
    client.force_login(reviewer)
    page = client.get(reverse("exports:index")).text
    (analysts,) = re.findall(r'<input type="radio" name="origin" value="analysts"[^>]*>', page)
    assert "checked" in analysts
    assert 'name="origin" value="gold"' in page
    response = client.get(reverse("exports:download"), {"origin": "gold"})
    body = b"".join(response.streaming_content)
    assert body.count(b",gold\n") == 2
    assert ExportLog.objects.get().filters == {"status": ["approved"], "origin": "gold"}
