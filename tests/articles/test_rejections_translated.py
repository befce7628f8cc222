"""An upload's refusals in the reader's language: extraction only marks its messages, the
upload translates them, placeholders and named file kinds included."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.articles.extraction import Rejected
from tests.factories import make_zip

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}
NBSP = "\u00a0"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def upload_in_french(client, name, content):
    files = [SimpleUploadedFile(name, content)]
    return client.post(reverse("articles:upload"), {"files": files}, **FRENCH).text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("vide.txt", b"  \n", "Le fichier est vide."),
        ("image.txt", PNG, f"Ce fichier n’est pas du texte{NBSP}: il ressemble à une image PNG."),
        (
            "notes.pages",
            b"du texte",
            f"«{NBSP}notes.pages{NBSP}» n’est pas un type de fichier accepté.",
        ),
        (
            "lot.jsonl",
            json.dumps({"text": "Un texte.", "title": 3}).encode(),
            f"Le champ «{NBSP}title{NBSP}» doit être une chaîne de caractères.",
        ),
        (
            "lot.zip",
            make_zip({"a.txt": "Un texte.", "b.zip": b"PK"}),
            "Les archives contenues dans une archive ne sont pas acceptées.",
        ),
    ],
)
def test_a_refused_file_says_why_in_french(client, analyst, name, content, reason):
    client.force_login(analyst)
    assert reason in upload_in_french(client, name, content)


def test_the_english_reason_stays_filled_in_for_logs_and_commands():
    error = Rejected("The url is longer than %(max)d characters.", 3, {"max": 2000})
    assert str(error) == "The url is longer than 2000 characters."
    assert error.line == 3
