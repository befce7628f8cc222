"""Importing doccano and Label Studio files: their own files, bad records, who may."""

import hashlib
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from annotator.annotations.models import Assignment, Span
from annotator.articles.models import Article, Sentence
from annotator.articles.outcomes import Status
from annotator.exports.interchange import doccano, labelstudio
from annotator.exports.interchange.importer import import_file
from tests.factories import TEXT_ONE

pytestmark = pytest.mark.django_db

IMPORT = reverse("exports:import")
NEWS = "🌊 Selon l’ONU, -213 morts à Lyon.\nLa ministre a déclaré : « Il faut agir »."


def utf16(text, offset):
    return len(text[:offset].encode("utf-16-le")) // 2


def span_in(text, snippet):
    start = text.index(snippet)
    return start, start + len(snippet)


def doccano_line(text, *spans, **extra):
    """A line as doccano's own JSONL export writes it (UTF-16 offsets, "Comments")."""
    labels = []
    for snippet, label in spans:
        start, end = span_in(text, snippet)
        labels.append([utf16(text, start), utf16(text, end), label])
    return json.dumps({"id": 41, "text": text, "label": labels, "Comments": [], **extra})


def label_studio_task(text, *spans, annotations=1):
    """A task as Label Studio's JSON export writes it."""
    result = []
    for n, (snippet, label) in enumerate(spans):
        start, end = span_in(text, snippet)
        result.append(
            {
                "value": {"start": start, "end": end, "text": snippet, "labels": [label]},
                "id": f"r{n}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "origin": "manual",
            }
        )
    annotation = {
        "id": 9,
        "completed_by": 1,
        "result": result,
        "was_cancelled": False,
        "ground_truth": False,
        "created_at": "2024-05-02T10:00:00.000000Z",
        "lead_time": 12.5,
        "task": 1,
    }
    return {
        "id": 1,
        "annotations": [annotation] * annotations,
        "predictions": [],
        "data": {"text": text},
        "meta": {},
        "project": 3,
    }


def run(fmt, data, analyst, by, offsets="utf16"):
    reader = doccano.read(data, offsets=offsets) if fmt == "doccano" else labelstudio.read(data)
    return import_file("file", data, reader, analyst=analyst, by=by)


def test_a_doccano_file_imports_with_its_utf16_offsets(analyst, admin_user):
    data = doccano_line(NEWS, ("-213 morts", "Casualty figure"), ("« Il faut agir »", "quote"))
    (outcome,) = run("doccano", data.encode(), analyst, admin_user)
    assert (outcome.status, outcome.spans_created) == (Status.IMPORTED, 2), outcome.reason
    article = Article.objects.get(text=NEWS)
    assert article.title == "🌊 Selon l’ONU, -213 morts à Lyon."  # first line, text untouched
    assert Sentence.objects.filter(article=article).count() == 2
    assignment = Assignment.objects.get(article=article, analyst=analyst)
    assert (assignment.status, assignment.assigned_by) == ("in_progress", admin_user)
    assert sorted((s.text, s.label.name) for s in assignment.spans.all()) == [
        ("-213 morts", "Casualty figure"),
        ("« Il faut agir »", "Quote"),  # label names match whatever their case
    ]


def test_a_label_studio_export_imports(analyst, admin_user):
    tasks = [label_studio_task(NEWS, ("-213 morts", "Casualty figure"), ("Lyon", "Claim"))]
    (outcome,) = run("labelstudio", json.dumps(tasks, indent=2).encode(), analyst, admin_user)
    assert (outcome.status, outcome.spans_created) == (Status.IMPORTED, 2), outcome.reason
    spans = Span.objects.filter(annotator=analyst).order_by("start")
    assert [(s.start, s.end) for s in spans] == [span_in(NEWS, "-213 morts"), span_in(NEWS, "Lyon")]


def test_label_studio_utf16_offsets_of_old_versions_are_recognised(analyst, admin_user):
    task = label_studio_task(NEWS, ("Lyon", "Claim"))
    value = task["annotations"][0]["result"][0]["value"]
    value["start"], value["end"] = (utf16(NEWS, n) for n in span_in(NEWS, "Lyon"))
    (outcome,) = run("labelstudio", json.dumps([task]).encode(), analyst, admin_user)
    assert outcome.status == Status.IMPORTED, outcome.reason
    assert Span.objects.get(annotator=analyst).text == "Lyon"


def test_existing_article_is_found_by_its_text(corpus, other_analyst, admin_user):
    before = Article.objects.count()
    data = "\n".join(
        [
            doccano_line(TEXT_ONE, ("Lyon", "Claim"), title="ignored, the article exists"),
            doccano_line(NEWS, ("Lyon", "Claim"), title="Crue : le bilan"),
        ]
    ).encode()
    existing, new = run("doccano", data, other_analyst, admin_user)
    assert (existing.status, new.status) == (Status.IMPORTED, Status.IMPORTED)
    assert existing.article == corpus["articles"][0]
    assert existing.article.title == "=1+1 : la crue en chiffres"
    assert Article.objects.count() == before + 1
    # The new article keeps the imported file as its original, not another article's.
    assert new.article.title == "Crue : le bilan"
    assert new.article.source_file.sha256 == hashlib.sha256(data).hexdigest()
    assert new.article.source_line == 2


def test_bad_records_are_reported_by_line_and_import_nothing(
    corpus, analyst, other_analyst, admin_user
):
    good = doccano_line("Le préfet a parlé.", ("préfet", "Claim"))
    lines = [
        good,  # 1
        "{not json",  # 2
        doccano_line("Texte à part.", ("part", "Rumour"), ("Texte", "Claim")),  # 3
        json.dumps({"text": "Trop court.", "label": [[0, 40, "Claim"]]}),  # 4
        "",  # 5: blank lines are skipped, still counted
        json.dumps({"text": "Cafe\u0301 noir.", "label": [[0, 4, "Claim"]]}),  # 6: cuts the é
        json.dumps({"text": "🌊 vague.", "label": [[1, 3, "Claim"]]}),  # 7: inside the emoji
        json.dumps({"text": "   ", "label": []}),  # 8
        doccano_line(TEXT_ONE, ("Lyon", "Claim")),  # 9: ana's work there is approved
        json.dumps({"label": []}),  # 10
        doccano_line("Dernier texte.", ("Dernier", "Claim")),  # 11
    ]
    before = Article.objects.count()
    outcomes = run("doccano", "\n".join(lines).encode(), analyst, admin_user)
    report = {o.line: (o.status, o.reason) for o in outcomes}
    assert [o.line for o in outcomes] == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11]
    assert report[1][0] == report[11][0] == Status.IMPORTED
    assert "not valid JSON" in report[2][1]
    assert "Unknown label(s): Rumour" in report[3][1]
    assert "outside the text" in report[4][1]
    assert "[0, 4] cut(s) a character that normalising the text rewrites" in report[6][1]
    assert "do not fall between characters" in report[7][1]
    assert "empty" in report[8][1]
    assert "already submitted" in report[9][1]
    assert 'no "text"' in report[10][1]
    assert {status for line, (status, _) in report.items() if line not in (1, 11)} == {
        Status.REJECTED
    }
    # Only the two good records left rows behind.
    assert Article.objects.count() == before + 2
    assert not Article.objects.filter(text="Texte à part.").exists()
    assert set(
        Span.objects.filter(annotator=analyst, assignment__status="in_progress").values_list(
            "text", flat=True
        )
    ) == {"préfet", "Dernier"}


def test_label_studio_problems(analyst, admin_user):
    wrong_text = label_studio_task(NEWS, ("Lyon", "Claim"))
    wrong_text["annotations"][0]["result"][0]["value"]["text"] = "Paris"
    tasks = [
        label_studio_task(NEWS, ("Lyon", "Claim")),
        wrong_text,
        label_studio_task("Deux avis.", ("avis", "Claim"), annotations=2),
        {"data": {"text": "Sans annotation."}, "annotations": []},
        "not a task",
    ]
    outcomes = run("labelstudio", json.dumps(tasks, indent=1).encode(), analyst, admin_user)
    reasons = [o.reason for o in outcomes]
    assert outcomes[0].status == Status.IMPORTED
    assert "covers « Lyon », but the file says « Paris »" in reasons[1]
    assert "2 annotations" in reasons[2]
    assert "no annotation" in reasons[3]
    assert "JSON object" in reasons[4]
    # Label Studio writes its export on one line: tasks are named by their place and id.
    assert [o.label for o in outcomes] == [
        "file, task 1 (id 1)",
        "file, task 2 (id 1)",
        "file, task 3 (id 1)",
        "file, task 4",
        "file, task 5",
    ]


def test_import_page_is_for_admins(client, reviewer, analyst):
    client.force_login(reviewer)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT).status_code == 403


def test_import_needs_the_csrf_token(admin_user, analyst):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    upload = SimpleUploadedFile("x.jsonl", doccano_line(NEWS, ("Lyon", "Claim")).encode())
    response = client.post(IMPORT, {"file": upload, "format": "doccano", "analyst": "ana"})
    assert response.status_code == 403
    assert not Span.objects.exists()


def test_import_through_the_page(client, admin_user, analyst):
    client.force_login(admin_user)
    assert client.get(IMPORT).status_code == 200
    data = "\n".join([doccano_line(NEWS, ("Lyon", "Claim")), "{oops"]).encode()
    response = client.post(
        IMPORT,
        {"file": SimpleUploadedFile("work.jsonl", data), "format": "doccano", "analyst": "ana"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 records imported (1 new spans), 1 rejected." in html
    assert "not valid JSON" in html
    assert Span.objects.get().annotator == analyst


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"format": "doccano", "analyst": "nobody"}, "Choose one of the analysts listed."),
        ({"format": "csv", "analyst": "ana"}, "Select a valid choice"),
        ({"format": "doccano", "analyst": "rita"}, "Choose one of the analysts listed."),
    ],
)
def test_import_form_errors(client, admin_user, analyst, reviewer, form, message):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("x.jsonl", b"{}")
    response = client.post(IMPORT, {"file": upload, **form})
    assert response.status_code == 422
    assert message in response.content.decode()


def test_import_file_size_is_bounded(client, admin_user, analyst, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 10
    client.force_login(admin_user)
    upload = SimpleUploadedFile("x.jsonl", doccano_line(NEWS).encode())
    response = client.post(IMPORT, {"file": upload, "format": "doccano", "analyst": "ana"})
    assert response.status_code == 422
    assert "too large" in response.content.decode()


def test_import_spans_command(analyst, tmp_path):
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([label_studio_task(NEWS, ("Lyon", "Claim"))]), encoding="utf-8")
    out = StringIO()
    call_command(
        "import_spans", str(path), "--format", "labelstudio", "--analyst", "ana", stdout=out
    )
    assert "task 1 (id 1): imported, 1 new spans" in out.getvalue()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(doccano_line(NEWS, ("Lyon", "Rumeur")), encoding="utf-8")
    with pytest.raises(CommandError, match="1 records rejected"):
        call_command(
            "import_spans", str(bad), "--format", "doccano", "--analyst", "ana", stdout=StringIO()
        )
    with pytest.raises(CommandError, match="not an active analyst"):
        call_command("import_spans", str(bad), "--format", "doccano", "--analyst", "rita")


def test_doccano_relation_projects_entities_are_read(analyst, admin_user):
    start, end = span_in(NEWS, "Lyon")
    line = {
        "id": 3,
        "text": NEWS,
        "entities": [{"id": 0, "label": "Claim", "start_offset": start + 1, "end_offset": end + 1}],
        "relations": [],
    }
    (outcome,) = run("doccano", json.dumps(line).encode(), analyst, admin_user)
    assert outcome.status == Status.IMPORTED, outcome.reason
    assert Span.objects.get(annotator=analyst).text == "Lyon"  # +1: the 🌊 is two UTF-16 units
