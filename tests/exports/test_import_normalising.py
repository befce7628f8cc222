"""Imported texts are normalised as uploads are (NFC, "\\n"), their spans moving with them."""

import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.annotations.models import Assignment, Label, Span
from annotator.articles.models import Article
from annotator.articles.outcomes import Status
from tests.exports.test_import import label_studio_task, run, span_in

pytestmark = pytest.mark.django_db

NFC = "Le préfet a déclaré.\nLa maire répond : « Ça suffit »."
NFD = unicodedata.normalize("NFD", NFC)
CRLF = "Crue à Lyon\r\n\r\nLe préfet a parlé.\r\nLa maire répond.\r\n"


def doccano(text, *spans):
    """A doccano line in code points, its spans found in the text as the file has it."""
    labels = [[*span_in(text, snippet), label] for snippet, label in spans]
    return json.dumps({"text": text, "label": labels}, ensure_ascii=False)


def test_an_nfd_doccano_record_is_stored_in_nfc_with_its_spans(analyst, admin_user):
    snippet = unicodedata.normalize("NFD", "a déclaré")
    data = doccano(
        NFD, (snippet, "Claim"), (unicodedata.normalize("NFD", "« Ça suffit »"), "Quote")
    )
    (outcome,) = run("doccano", data.encode(), analyst, admin_user, offsets="codepoints")
    assert outcome.status == Status.IMPORTED, outcome.reason
    assert outcome.notes == "text normalised: Unicode NFC"
    article = Article.objects.get()
    assert article.text == NFC
    assert sorted(Span.objects.values_list("text", flat=True)) == ["a déclaré", "« Ça suffit »"]
    for span in Span.objects.all():
        assert article.text[span.start : span.end] == span.text


def test_an_nfd_label_studio_task_keeps_its_spans_and_its_stated_text(analyst, admin_user):
    snippet = unicodedata.normalize("NFD", "répond")
    task = label_studio_task(NFD, (snippet, "Claim"))
    task["data"]["title"] = unicodedata.normalize("NFD", "Déclaration")
    (outcome,) = run("labelstudio", json.dumps([task]).encode(), analyst, admin_user)
    assert outcome.status == Status.IMPORTED, outcome.reason
    span = Span.objects.get()
    assert (span.start, span.end, span.text) == (*span_in(NFC, "répond"), "répond")
    assert outcome.article.title == "Déclaration"  # the title is normalised too


def test_an_nfd_label_name_finds_our_label(analyst, admin_user):
    task = label_studio_task(NFC, ("préfet", "Claim"))
    name = "Déclaration rapportée"
    Label.objects.create(name=name, key="9", color=5, order=99)
    task["annotations"][0]["result"][0]["value"]["labels"] = [unicodedata.normalize("NFD", name)]
    (outcome,) = run("labelstudio", json.dumps([task]).encode(), analyst, admin_user)
    assert outcome.status == Status.IMPORTED, outcome.reason
    assert Span.objects.get().label.name == name


def test_windows_line_endings_become_newlines_and_spans_follow(analyst, admin_user):
    data = doccano(CRLF, ("Le préfet a parlé.\r\nLa maire", "Claim"), ("répond", "Claim"))
    (outcome,) = run("doccano", data.encode(), analyst, admin_user, offsets="codepoints")
    assert outcome.status == Status.IMPORTED, outcome.reason
    assert outcome.notes == "text normalised: 4 line endings"
    article = Article.objects.get()
    assert article.text == CRLF.replace("\r\n", "\n")
    assert article.title == "Crue à Lyon"
    texts = sorted(Span.objects.values_list("text", flat=True))
    assert texts == ["Le préfet a parlé.\nLa maire", "répond"]


def test_a_span_cutting_a_windows_line_ending_is_refused(analyst, admin_user):
    start = CRLF.index("\r\nLe")
    data = json.dumps({"text": CRLF, "label": [[start + 1, start + 5, "Claim"]]})
    (outcome,) = run("doccano", data.encode(), analyst, admin_user, offsets="codepoints")
    assert outcome.status == Status.REJECTED
    assert "cut(s) a character that normalising the text rewrites" in outcome.reason
    assert not Article.objects.exists()


def test_the_report_says_what_was_normalised(client, admin_user, analyst):
    client.force_login(admin_user)
    task = label_studio_task(unicodedata.normalize("NFD", CRLF), ("Lyon", "Claim"))
    upload = SimpleUploadedFile("work.json", json.dumps([task]).encode())
    response = client.post(
        reverse("exports:import"), {"file": upload, "format": "labelstudio", "analyst": "ana"}
    )
    assert response.status_code == 200
    assert "work.json, task 1 (id 1)" in response.text
    assert "1 new span; text normalised: 4 line endings, Unicode NFC" in response.text


def test_after_import_the_annotate_page_can_tag_across_a_line_break(client, admin_user, analyst):
    """The browser's text has no "\\r": its offsets and its selected text must fit the stored
    text, or every selection across a line break is "out of date"."""
    data = doccano(CRLF, ("répond", "Claim"))
    (outcome,) = run("doccano", data.encode(), analyst, admin_user, offsets="codepoints")
    assignment = Assignment.objects.get(article=outcome.article, analyst=analyst)
    shown = CRLF.replace("\r\n", "\n")  # what the page's JavaScript counts in
    start, end = span_in(shown, "parlé.\nLa maire")
    client.force_login(analyst)
    response = client.post(
        reverse("annotations:span_create", args=[assignment.pk]),
        {
            "label": Span.objects.get().label_id,
            "start": start,
            "end": end,
            "text": shown[start:end],
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    assert Span.objects.filter(text="parlé.\nLa maire").exists()
