"""The upload form, end to end: real files built here, rows checked in PostgreSQL."""

import hashlib
import io
import json

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotator.articles.models import Article, Sentence, SourceFile
from annotator.articles.segmentation import split_sentences
from tests.factories import make_zip

pytestmark = pytest.mark.django_db

FRENCH = (
    "Grève au port de Kerbrénec : les dockers réclament 6,5 % de hausse\n"
    "\n"
    "Les négociations ont échoué à l’aube. « Nous irons jusqu’au bout », a prévenu "
    "M. Le Goff, délégué syndical. Environ 1\u00a0200 conteneurs sont bloqués à quai.\n"
    "\n"
    "Publicité\n"
    "\n"
    "Le préfet a convoqué les deux parties lundi… sans succès pour l’instant."
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"


def upload(client, *files, htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("articles:upload"), {"files": list(files), **data}, headers=headers)


def text_file(name, content, encoding="utf-8"):
    return SimpleUploadedFile(
        name, content.encode(encoding) if isinstance(content, str) else content
    )


@pytest.fixture
def uploader(client, analyst):
    client.force_login(analyst)
    return analyst


def test_txt_upload_stores_text_sentences_original_and_removed_lines(client, uploader):
    response = upload(client, text_file("greve.txt", FRENCH))
    assert response.status_code == 200
    article = Article.objects.get()
    assert article.title == "Grève au port de Kerbrénec : les dockers réclament 6,5 % de hausse"
    assert "Publicité" not in article.text
    assert article.removed_lines == ["Publicité"]
    assert "1\u00a0200" in article.text and "« Nous irons jusqu’au bout »" in article.text
    assert article.language == "fr"
    stored = [(s.start, s.end) for s in Sentence.objects.filter(article=article)]
    assert stored == split_sentences(article.text)
    assert article.sentence_count == len(stored)
    original = article.source_file
    assert bytes(original.content) == FRENCH.encode()
    assert original.sha256 == hashlib.sha256(FRENCH.encode()).hexdigest()
    assert original.name == "greve.txt"
    assert article.get_absolute_url() in response.text


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp1252", "iso-8859-1", "iso-8859-15", "utf-16"]
)
def test_every_common_encoding_gives_the_same_text(client, uploader, encoding):
    # Representable in all of them: no ’ (not in Latin-1), no œ or €.
    text = FRENCH.replace("’", "'").replace("…", "...")
    upload(client, text_file("greve.txt", text, encoding=encoding))
    article = Article.objects.get()
    reference = text.replace("Publicité\n\n", "")
    assert article.text == reference


def test_html_page_keeps_article_paragraphs_and_drops_the_rest(client, uploader):
    page = """<!doctype html><html lang="fr"><head><title>Kerbrénec | Le Courrier</title>
    <script>window.track("page")</script></head><body>
    <nav><a href="/">Accueil</a> <a href="/sport">Sport</a></nav>
    <div class="cookie">Accepter les cookies</div>
    <article><h1>Grève au port de Kerbrénec</h1>
    <p>Les négociations entre la direction du port et les dockers ont échoué à l’aube, après
    une nuit entière de discussions dans les locaux de la capitainerie.</p>
    <p>« Nous irons jusqu’au bout », a prévenu M. Le Goff, délégué syndical, devant une
    centaine de grévistes rassemblés sur le quai principal du terminal.</p>
    <p>Environ 1 200 conteneurs sont bloqués à quai depuis lundi, selon la chambre de commerce,
    qui chiffre les pertes à plusieurs millions d’euros par semaine.</p></article>
    <section id="comments"><h2>Commentaires</h2><p>Super article !!</p></section>
    <footer>© Le Courrier</footer><script>alert("x")</script></body></html>"""
    upload(client, text_file("page.html", page))
    article = Article.objects.get()
    assert article.title == "Grève au port de Kerbrénec"
    assert "Les négociations" in article.text and "conteneurs sont bloqués" in article.text
    for junk in ["Accueil", "alert", "track", "Super article", "©", "<p>", "cookies"]:
        assert junk not in article.text
    assert article.text.count("\n\n") >= 2  # paragraphs kept


def test_docx_made_with_python_docx(client, uploader):
    document = docx.Document()
    document.add_paragraph("Un ours aperçu près de Sarlat")
    document.add_paragraph("")
    document.add_paragraph("Des randonneurs affirment avoir vu l’animal mardi soir.")
    buffer = io.BytesIO()
    document.save(buffer)
    upload(client, SimpleUploadedFile("ours.docx", buffer.getvalue()))
    article = Article.objects.get()
    assert article.title == "Un ours aperçu près de Sarlat"
    assert "l’animal mardi soir." in article.text


def test_jsonl_reports_bad_lines_and_keeps_good_ones(client, uploader):
    lines = [
        json.dumps(
            {
                "text": "Premier article.\nIl pleut.",
                "title": "Un",
                "source": "AFP",
                "url": "https://exemple.fr/un",
                "published_at": "2026-03-02",
            }
        ),
        "{pas du json",
        json.dumps({"title": "Sans texte"}),
        json.dumps({"text": "Deuxième article.", "url": "javascript:alert(1)"}),
        json.dumps({"text": "Troisième article.", "language": "fr"}),
    ]
    response = upload(client, text_file("lot.jsonl", "\n".join(lines)))
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Troisième article.", "Un"]
    first = Article.objects.get(title="Un")
    assert (first.source, first.url, str(first.published_at)) == (
        "AFP",
        "https://exemple.fr/un",
        "2026-03-02",
    )
    assert first.source_line == 1
    assert response.text.count("Rejected") == 3
    assert "line 2" in response.text and "line 4" in response.text
    assert SourceFile.objects.count() == 1


def test_zip_mixing_good_and_bad_files(client, uploader):
    data = make_zip(
        [
            ("lot/greve.txt", FRENCH.encode()),
            ("lot/photo.txt", PNG),
            ("lot/vide.txt", b""),
            ("lot/notes.pdf", b"%PDF-1.7"),
            ("lot/inner.zip", make_zip([("a.txt", b"Texte.")])),
            ("lot/autre.md", b"# Un titre\n\nUn **paragraphe** avec du texte."),
        ]
    )
    response = upload(client, SimpleUploadedFile("lot.zip", data))
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Grève au port de Kerbrénec : les dockers réclament 6,5 % de hausse",
        "Un titre",
    }
    assert Article.objects.get(title="Un titre").text == "Un titre\n\nUn paragraphe avec du texte."
    assert response.text.count("Rejected") == 4
    assert "lot.zip/lot/photo.txt" in response.text
    # Each member's own bytes are kept, named inside the archive.
    assert set(SourceFile.objects.values_list("name", flat=True)) == {
        "lot.zip/lot/greve.txt",
        "lot.zip/lot/autre.md",
    }


def test_zip_bomb_is_refused_before_expansion(client, uploader, settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
    bomb = make_zip([("zeros.txt", b"0" * (30 * 1024 * 1024))])
    assert len(bomb) < 100_000
    response = upload(client, SimpleUploadedFile("bombe.zip", bomb))
    assert "Rejected" in response.text and "20 MB" in response.text
    assert not Article.objects.exists() and not SourceFile.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("photo.txt", PNG, "not text"),
        ("vide.txt", b"", "empty"),
        ("blancs.txt", b"  \n\n \t", "empty"),
        ("binaire.txt", b"abc\x00def", "not text"),
        ("script.exe", b"MZ\x90\x00", "type"),
        ("cassé.zip", b"PK\x03\x04 pas une archive", "corrupt"),
        ("faux.docx", b"PK\x03\x04 pas un docx", "Word"),
    ],
)
def test_bad_files_are_rejected_in_plain_words_and_leave_no_rows(
    client, uploader, name, content, reason
):
    response = upload(client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert "Rejected" in response.text
    assert reason.lower() in response.text.lower()
    assert not Article.objects.exists() and not SourceFile.objects.exists()


def test_file_over_the_size_limit(client, uploader, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1000
    response = upload(client, text_file("long.txt", "Une phrase assez longue. " * 100))
    assert "too large" in response.text
    assert not Article.objects.exists()


def test_request_over_the_limit_is_refused_unread(client, uploader, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1000
    response = upload(client, text_file("long.txt", "Une phrase assez longue. " * 100))
    assert response.status_code == 413
    assert "at most 1000\xa0bytes per request" in response.text
    assert not Article.objects.exists()


def test_duplicate_names_the_existing_article(client, uploader):
    upload(client, text_file("greve.txt", FRENCH))
    first = Article.objects.get()
    response = upload(client, text_file("copie.txt", FRENCH.replace("\n", "\r\n") + "\n\n"))
    assert Article.objects.count() == 1
    assert "Duplicate" in response.text and first.get_absolute_url() in response.text


def test_one_bad_file_does_not_lose_the_good_ones(client, uploader):
    response = upload(client, text_file("greve.txt", FRENCH), SimpleUploadedFile("photo.txt", PNG))
    assert Article.objects.count() == 1
    assert "1 created, 0 already there, 1 rejected." in response.text


def test_plain_form_post_renders_the_report(client, uploader):
    response = upload(client, text_file("greve.txt", FRENCH), htmx=False)
    assert response.status_code == 200
    assert "<h1>Upload articles</h1>" in response.text and "Created" in response.text


def test_form_without_files_says_so(client, uploader):
    response = client.post(reverse("articles:upload"), {}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "Choose at least one file" in response.text or "required" in response.text


def test_reviewer_cannot_upload(client, reviewer):
    client.force_login(reviewer)
    assert upload(client, text_file("greve.txt", FRENCH)).status_code == 403
    assert not Article.objects.exists()


def test_limits_are_shown_on_the_form(client, uploader, settings):
    settings.UPLOAD_MAX_FILE_BYTES = 3 * 1024 * 1024
    page = client.get(reverse("articles:upload"))
    assert "3 MB per file" in page.text


@pytest.mark.parametrize(
    "line",
    [
        r'{"text": "Bonjour \ud800 le monde"}',
        r'{"text": "Bonjour le monde", "title": "x\u0000y"}',
        r'{"text": "Bonjour le monde", "source": "\udfff"}',
    ],
)
def test_jsonl_with_nul_or_lone_surrogates_is_rejected_in_words(client, uploader, line):
    response = upload(client, text_file("lot.jsonl", line))
    assert response.status_code == 200
    assert "not valid text" in response.text
    assert not Article.objects.exists() and not SourceFile.objects.exists()
