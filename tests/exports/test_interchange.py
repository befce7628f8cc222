"""doccano JSONL and Label Studio JSON: what we write, and that it comes back unchanged."""

import json

import pytest

from annotator.annotations.models import Assignment, Span, SpanEvent
from annotator.articles.outcomes import Status
from annotator.exports.interchange import doccano, labelstudio
from annotator.exports.interchange.importer import import_file
from annotator.exports.interchange.offsets import from_utf16, to_utf16, utf16_table
from annotator.exports.interchange.records import records
from annotator.exports.selection import SpanFilter
from tests.factories import EXPORTABLE_APPROVED, make_user

pytestmark = pytest.mark.django_db


def js_slice(text, start, end):
    """What JavaScript's text.slice(start, end) returns: UTF-16 code units."""
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def spans_of(assignment):
    return sorted(
        (s.start, s.end, s.label.name, s.text)
        for s in assignment.spans.filter(deleted_at__isnull=True).select_related("label")
    )


def exported_spans(corpus):
    return sorted(
        (s.article_id, s.start, s.end, s.label.name, s.text)
        for s in Span.objects.filter(
            pk__in=[corpus["spans"][n].pk for n in EXPORTABLE_APPROVED]
        ).select_related("label")
    )


def test_offset_units():
    text = "🌊 « Il faut agir »"
    assert to_utf16(text, 2) == 3
    assert from_utf16(text, 3) == 2
    assert from_utf16(text, 1) is None  # inside the surrogate pair
    assert utf16_table("abc") == {0: 0, 1: 1, 2: 2, 3: 3}


def test_doccano_lines_count_utf16_like_doccano(corpus):
    lines = b"".join(doccano.export_lines(records(SpanFilter()))).decode().splitlines()
    first = json.loads(lines[0])
    article = corpus["articles"][0]
    assert list(first)[:3] == ["id", "text", "label"]
    assert first["text"] == article.text
    assert first["annotator"] == "ana"
    assert first["article_id"] == first["id"] == article.pk
    assert first["title"] == article.title
    assert first["published_at"] == "2024-05-02"
    for start, end, label in first["label"]:
        covered = js_slice(article.text, start, end)
        span = Span.objects.get(article=article, label__name=label, text=covered)
        assert (start, end) == (span.start + 1, span.end + 1)  # the 🌊 counts twice


def test_doccano_code_point_offsets_index_python_strings(corpus):
    lines = b"".join(doccano.export_lines(records(SpanFilter()), offsets="codepoints"))
    first = json.loads(lines.decode().splitlines()[0])
    assert all(first["text"][s:e] for s, e, _label in first["label"])
    covered = [first["text"][s:e] for s, e, _label in first["label"]]
    assert "« Il faut agir »" in covered


def test_label_studio_tasks_carry_code_points_and_text(corpus):
    tasks = json.loads(b"".join(labelstudio.export_chunks(records(SpanFilter()))))
    assert len(tasks) == 2
    task = tasks[0]
    assert set(task) == {"data", "annotations"}
    (annotation,) = task["annotations"]
    for result in annotation["result"]:
        names = (result["from_name"], result["to_name"], result["type"])
        assert names == ("label", "text", "labels")
        value = result["value"]
        assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
        assert len(value["labels"]) == 1
        assert result["id"].startswith("span")


@pytest.mark.parametrize("fmt", ["doccano", "doccano-codepoints", "labelstudio"])
def test_export_then_import_gives_the_same_spans(corpus, admin_user, fmt):
    offsets = "codepoints" if fmt.endswith("codepoints") else "utf16"

    def read(data):
        if fmt == "labelstudio":
            return labelstudio.read(data)
        return doccano.read(data, offsets=offsets)

    if fmt == "labelstudio":
        data = b"".join(labelstudio.export_chunks(records(SpanFilter())))
    else:
        data = b"".join(doccano.export_lines(records(SpanFilter()), offsets=offsets))
    zoe = make_user("zoe", "analyst")
    outcomes = import_file("export", data, read(data), analyst=zoe, by=admin_user)
    assert [o.status for o in outcomes] == [Status.IMPORTED, Status.IMPORTED]
    imported = sorted(
        (s.article_id, s.start, s.end, s.label.name, s.text)
        for s in Span.objects.filter(annotator=zoe).select_related("label")
    )
    assert imported == exported_spans(corpus)
    # Same articles, not copies; work left in progress, with its history.
    assert {a.article_id for a in Assignment.objects.filter(analyst=zoe)} == {
        a.pk for a in corpus["articles"]
    }
    assert set(Assignment.objects.filter(analyst=zoe).values_list("status", flat=True)) == {
        "in_progress"
    }
    assert SpanEvent.objects.filter(actor=zoe, kind="created").count() == len(imported)
    # Importing again adds nothing.
    again = import_file("export", data, read(data), analyst=zoe, by=admin_user)
    assert sum(o.spans_created for o in again) == 0
    assert Span.objects.filter(annotator=zoe).count() == len(imported)


def test_interchange_exports_follow_the_filters_and_skip_drafts(corpus):
    everything = SpanFilter(statuses=("pending", "approved", "rejected"))
    lines = b"".join(doccano.export_lines(records(everything))).decode().splitlines()
    exported = {(json.loads(line)["annotator"], json.loads(line)["article_id"]) for line in lines}
    one, two = (article.pk for article in corpus["articles"])
    assert exported == {("ana", one), ("ana", two)}  # not alex's draft, not noa's returned work
    quotes = SpanFilter(label_ids=(corpus["spans"]["quote"].label_id,))
    (task,) = json.loads(b"".join(labelstudio.export_chunks(records(quotes))))
    labels = {r["value"]["labels"][0] for r in task["annotations"][0]["result"]}
    assert labels == {"Quote"}
