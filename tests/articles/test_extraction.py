import codecs
import datetime
import io
import json
import zipfile

import docx
import pytest

from annotator.articles import extraction
from annotator.articles.extraction import Extracted, Rejected, decode_text, extract, from_docx
from annotator.articles.ingest import prepare
from tests.factories import make_zip

NBSP = "\u00a0"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

# Fits every encoding under test: no ’ œ € (ISO-8859-1 lacks them).
FRENCH = (
    "Le pont de Saint-Fictif rouvre enfin\n"
    "\n"
    f"Le préfet de la Creuse a annoncé mercredi la réouverture du pont. «{NBSP}Ça n'a que trop"
    f" duré{NBSP}», a déclaré le maire, entouré de 1{NBSP}200 habitants. Où étaient passés les"
    " crédits ? Les élèves de l'école, côté rive gauche, ont dû faire un détour de 12 km.\n"
    "Même la boulangère, Noëlle Dufrêne, avait fermé à Noël ; « c'était îlot ou rien »."
)


def only(records):
    assert len(records) == 1
    assert isinstance(records[0], Extracted)
    return records[0]


ENCODED = {
    "utf-8": FRENCH.encode("utf-8"),
    "utf-8 with BOM": FRENCH.encode("utf-8-sig"),
    "cp1252": FRENCH.encode("cp1252"),
    "iso-8859-1": FRENCH.encode("iso-8859-1"),
    "iso-8859-15": FRENCH.encode("iso-8859-15"),
    "utf-16-le with BOM": codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"),
    "utf-16-be with BOM": codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"),
}


@pytest.mark.parametrize("encoding", ENCODED)
def test_the_same_french_text_decodes_identically_from_every_encoding(encoding):
    assert decode_text(ENCODED[encoding]) == FRENCH


@pytest.mark.parametrize("encoding", ENCODED)
def test_a_txt_file_is_its_whole_text_titled_by_its_first_line(encoding):
    article = only(extract("pont.txt", ENCODED[encoding]))
    assert article.text == FRENCH
    assert article.title == "Le pont de Saint-Fictif rouvre enfin"
    assert (article.language, article.source, article.url, article.line) == ("fr", "", "", None)


def test_cp1252_keeps_its_own_typographic_characters():
    text = "L’œuvre du sculpteur coûte 12 € — «\u00a0une folie\u00a0», dit l’Œil de Brive…"
    assert decode_text(text.encode("cp1252")) == text


def test_iso_8859_15_euro_and_oe_ligature_are_not_read_as_cp1252_fractions():
    text = "Le cœur du projet : une œuvre de 15 000 €, dévoilée par Œnologie & Cie."
    assert decode_text(text.encode("iso-8859-15")) == text


def test_fractions_in_a_latin_text_stay_fractions():
    text = "Il faut ½ litre de lait et 1 ¼ kilo de farine, précise la recette."
    assert decode_text(text.encode("iso-8859-1")) == text


def test_a_short_cp1252_text_is_not_mistaken_for_another_script():
    assert decode_text("Été à Nîmes.".encode("cp1252")) == "Été à Nîmes."


def test_a_non_western_legacy_encoding_is_left_to_the_detector():
    text = "Мэр города объявил о закрытии моста на три месяца из-за ремонта."
    assert decode_text(text.encode("cp1251")) == text


def test_text_full_of_control_characters_is_binary_data():
    with pytest.raises(Rejected, match="not text: it contains binary data"):
        extract("article.txt", b"\x01\x02\x03\x04 Bonjour \x05\x06\x07\x08\x0e\x0f")


def test_bytes_that_are_no_text_encoding_are_rejected():
    with pytest.raises(Rejected, match="could not work out the text encoding"):
        decode_text(bytes(range(0x80, 0x100)) * 4)


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n "])
@pytest.mark.parametrize("name", ["vide.txt", "vide.md", "vide.html", "vide.jsonl"])
def test_an_empty_text_file_is_rejected(name, data):
    with pytest.raises(Rejected, match=r"^The file is empty\.$"):
        extract(name, data)


@pytest.mark.parametrize("data", [b"", b"  \n"])
def test_an_empty_word_file_is_rejected(data):
    with pytest.raises(Rejected, match=r"^The file is empty\.$"):
        extract("vide.docx", data)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("photo.txt", PNG, "PNG image"),
        ("scan.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        ("page.html", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG image"),
        ("export.jsonl", b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        ("notes.txt", b"{\\rtf1\\ansi Bonjour}", "RTF document"),
    ],
)
def test_a_binary_file_renamed_as_text_is_rejected_by_its_content(name, data, kind):
    with pytest.raises(Rejected, match=f"^This file is not text: it looks like an? {kind}"):
        extract(name, data)


def test_nul_bytes_without_a_utf16_bom_mean_binary_data():
    with pytest.raises(Rejected, match="not text: it contains binary data"):
        extract("article.txt", FRENCH.encode().replace(b"pont", b"po\x00nt", 1))
    with pytest.raises(Rejected, match="binary data"):
        extract("article.txt", FRENCH.encode("utf-16-le"))  # no BOM


@pytest.mark.parametrize(
    "name", ["rapport.pdf", "image.png", "notes.doc", "archive.zip", "LISEZMOI"]
)
def test_an_unsupported_type_is_rejected_naming_the_accepted_ones(name):
    with pytest.raises(Rejected) as caught:
        extract(name, b"Le contenu importe peu.")
    reason = str(caught.value)
    assert reason.startswith(f"“{name}” is not a type of file we accept.")
    assert all(t in reason for t in (".txt", ".md", ".html", ".htm", ".docx", ".jsonl"))
    assert caught.value.line is None


def test_the_extension_is_read_case_insensitively():
    assert only(extract("ARTICLE.TXT", b"Titre\n\nCorps.")).text == "Titre\n\nCorps."


MARKDOWN = """\
# Un **ours** aperçu à Sarlat ##

Publié par [La Gazette](https://gazette.example/) le *12 mai*, voir [ici][1].
![Photo de l'ours](ours.jpg)

> « Il mesurait près de 2 mètres », assure un _témoin_.
> > Cité par __Radio Fictive__.

## Réactions
-----------

- La mairie appelle au calme.
* Les randonneurs évitent la forêt de `Campagnac`.
1. Le fichier rapport_final_v2 reste, 2 * 3 aussi.

---
Fin de l'article \\*non confirmé\\*.

[1]: https://gazette.example/ours
"""


def test_markdown_is_reduced_to_its_words():
    article = only(extract("ours.md", MARKDOWN.encode()))
    assert article.title == "Un ours aperçu à Sarlat"
    assert article.text.split("\n") == [
        "Un ours aperçu à Sarlat",
        "",
        "Publié par La Gazette le 12 mai, voir ici.",
        "",
        "",
        "« Il mesurait près de 2 mètres », assure un témoin.",
        "Cité par Radio Fictive.",
        "",
        "Réactions",
        "",
        "La mairie appelle au calme.",
        "Les randonneurs évitent la forêt de Campagnac.",
        "1. Le fichier rapport_final_v2 reste, 2 * 3 aussi.",
        "",
        "Fin de l'article *non confirmé*.",
        "",
    ]


def test_markdown_without_a_heading_is_titled_by_its_first_line():
    article = only(extract("brève.md", b"\n**Brive** : la foire aux oies est annul\xc3\xa9e.\n"))
    assert article.title == "Brive : la foire aux oies est annulée."


NEWS_PAGE = """<!DOCTYPE html>
<html lang="fr-FR"><head><meta charset="utf-8">
<title>Crue de la Vézère : Montignac évacué | La Gazette du Périgord</title>
<meta property="og:title" content="Crue de la Vézère : Montignac évacué">
<meta property="og:site_name" content="La Gazette du Périgord">
<meta property="article:published_time" content="2023-03-14T08:30:00+01:00">
<link rel="canonical" href="https://www.gazette-perigord.example/societe/crue-vezere">
<script>window.dataLayer = [{"page": "article"}]; console.log("suivi");</script>
<style>body { font-family: serif }</style>
</head><body>
<div id="cookie-banner"><p>Nous utilisons des cookies pour améliorer votre expérience.</p>
<button>Accepter les cookies</button></div>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Crue de la Vézère : Montignac évacué</h1>
<p>La Vézère est sortie de son lit dans la nuit de mardi à mercredi, obligeant la préfecture
à évacuer près de 1&nbsp;200 habitants du centre de Montignac. « Nous n’avions jamais vu
l’eau monter aussi vite », témoigne une boulangère de la rue du Quatre-Septembre.</p>
<p>Selon Vigicrues, le niveau a atteint 6,40 mètres à l’échelle de Montignac vers 4 heures du
matin, un record depuis la crue fictive de 1960. Les pompiers ont mené plus de quatre-vingts
interventions pendant la nuit.</p>
<div class="ad">Publicité</div>
<p>Le maire, Gérard Lafond, a ouvert le gymnase municipal pour accueillir les familles
sinistrées. Des lits de camp et des repas chauds y ont été installés par la Croix-Rouge.</p>
<p>La décrue est attendue en fin de semaine, mais Météo-France maintient la vigilance orange
pour la Dordogne jusqu’à jeudi soir. Les habitants sont invités à ne pas circuler.</p>
</article>
<section id="comments" class="comments"><h2>Commentaires</h2>
<div class="comment"><p>Jean-Pierre : courage aux Montignacois, c’est terrible !</p></div>
<form><textarea></textarea><button>Envoyer</button></form></section>
</main>
<aside><h3>Les plus lus</h3><ul><li><a href="/a">Un ours aperçu à Sarlat</a></li></ul></aside>
<footer><p>© 2023 La Gazette du Périgord — Mentions légales</p></footer>
<script>document.write("publicité")</script>
</body></html>"""


def test_a_saved_news_page_gives_the_article_paragraphs_only():
    article = only(extract("crue.html", NEWS_PAGE.encode()))
    assert article.text.split("\n\n") == [
        "Crue de la Vézère : Montignac évacué",
        "La Vézère est sortie de son lit dans la nuit de mardi à mercredi, obligeant la"
        f" préfecture à évacuer près de 1{NBSP}200 habitants du centre de Montignac. « Nous"
        " n’avions jamais vu l’eau monter aussi vite », témoigne une boulangère de la rue du"
        " Quatre-Septembre.",
        "Selon Vigicrues, le niveau a atteint 6,40 mètres à l’échelle de Montignac vers 4 heures"
        " du matin, un record depuis la crue fictive de 1960. Les pompiers ont mené plus de"
        " quatre-vingts interventions pendant la nuit.",
        "Le maire, Gérard Lafond, a ouvert le gymnase municipal pour accueillir les familles"
        " sinistrées. Des lits de camp et des repas chauds y ont été installés par la"
        " Croix-Rouge.",
        "La décrue est attendue en fin de semaine, mais Météo-France maintient la vigilance"
        " orange pour la Dordogne jusqu’à jeudi soir. Les habitants sont invités à ne pas"
        " circuler.",
    ]
    for furniture in ("cookies", "Accueil", "suivi", "courage", "Les plus lus", "Mentions", "<"):
        assert furniture not in article.text
    assert article.title == "Crue de la Vézère : Montignac évacué"
    assert article.source == "La Gazette du Périgord"
    assert article.url == "https://www.gazette-perigord.example/societe/crue-vezere"
    assert article.published_at == datetime.date(2023, 3, 14)
    assert article.language == "fr"


def test_a_page_in_cp1252_is_decoded():
    page = NEWS_PAGE.replace('charset="utf-8"', 'charset="windows-1252"')
    article = only(extract("crue.htm", page.encode("cp1252")))
    assert "près de 1\u00a0200 habitants" in article.text
    assert article.title == "Crue de la Vézère : Montignac évacué"


def test_a_date_only_mentioned_in_the_text_is_not_the_publication_date():
    page = NEWS_PAGE.replace(
        '<meta property="article:published_time" content="2023-03-14T08:30:00+01:00">', ""
    ).replace("canonical", "x")
    page = page.replace("Selon Vigicrues,", "Publié le 2 janvier 2021. Selon Vigicrues,")
    article = only(extract("crue.html", page.encode()))
    assert article.published_at is None
    assert article.url == ""


def test_a_page_holding_the_no_break_space_stand_in_keeps_it_as_written():
    page = NEWS_PAGE.replace("record depuis", "record (\u2420) depuis")
    article = only(extract("crue.html", page.encode()))
    assert "record (\u2420) depuis" in article.text


TABLE_PAGE = """<html><head><title>Mairie de Bourg-Fictif</title>
<script>var x = 1;</script></head><body><table>
<tr><td><nav><a href="/">Accueil</a></nav></td></tr>
<tr><td>Le conseil municipal se   réunira
jeudi à 20&nbsp;heures.<br>Ordre du jour : budget, voirie.</td></tr>
<tr><td><p>Salle des fêtes, entrée libre.</p></td></tr>
</table></body></html>"""


def test_a_page_trafilatura_finds_nothing_in_falls_back_to_its_visible_text():
    article = only(extract("mairie.html", TABLE_PAGE.encode()))
    assert article.text == (
        f"Le conseil municipal se réunira jeudi à 20{NBSP}heures.\n"
        "Ordre du jour : budget, voirie.\n\nSalle des fêtes, entrée libre."
    )
    assert article.title == "Mairie de Bourg-Fictif"


def test_a_page_without_any_text_is_rejected():
    page = b"<html><head><script>suivi()</script></head><body><nav>Menu</nav></body></html>"
    with pytest.raises(Rejected, match="No article text"):
        extract("vide.html", page)


def make_docx(paragraphs, title=""):
    document = docx.Document()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_PARAGRAPHS = [
    "",
    "Un ours aperçu près de Sarlat",
    "",
    "Des randonneurs affirment avoir croisé l’animal dimanche, à 1\u00a0200 mètres du bourg.",
    "« Il était énorme », assure l’un d’eux.",
]


def test_a_word_document_gives_its_paragraphs_one_per_line():
    article = only(extract("ours.docx", make_docx(DOCX_PARAGRAPHS)))
    assert article.text == "\n".join(DOCX_PARAGRAPHS)
    assert article.title == "Un ours aperçu près de Sarlat"


def test_a_word_document_title_comes_from_its_properties_when_set():
    data = make_docx(DOCX_PARAGRAPHS, title="L’ours de Sarlat")
    assert only(extract("ours.docx", data)).title == "L’ours de Sarlat"


def stored_zip(members):
    return make_zip(members, zipfile.ZIP_STORED)


@pytest.mark.parametrize(
    "data",
    [PNG, b"Ceci est du texte, pas un document Word.", stored_zip({"word/autre.xml": "<x/>"})],
    # Named, not shown: the zip's bytes hold the time it was made, which differs between
    # the xdist workers that each collect it.
    ids=["png", "text", "zip-without-document"],
)
def test_a_file_that_is_not_a_word_document_is_rejected(data):
    with pytest.raises(Rejected, match="not a valid Word document"):
        extract("faux.docx", data)


def test_a_word_document_without_text_is_rejected():
    with pytest.raises(Rejected, match="no text"):
        extract("vide.docx", make_docx(["", "  "]))


def test_a_word_document_that_would_expand_too_far_is_refused_before_opening():
    data = make_docx(DOCX_PARAGRAPHS)
    declared = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert from_docx(data, max_uncompressed=declared).text == "\n".join(DOCX_PARAGRAPHS)
    with pytest.raises(Rejected, match="expand to more than"):
        from_docx(data, max_uncompressed=declared - 1)


GOOD = {
    "text": "La mairie de Bourg-Fictif ferme la piscine.",
    "title": "  Piscine fermée  ",
    "source": "Le Courrier fictif",
    "url": " https://courrier.example/piscine ",
    "published_at": "2024-03-14",
    "language": "fr",
}
JSONL_LINES = [
    json.dumps(GOOD, ensure_ascii=False),
    "",
    "{pas du json",
    json.dumps({"title": "Sans texte"}),
    json.dumps({"text": 42}),
    json.dumps({"text": "Texte", "url": "ftp://courrier.example/x"}),
    json.dumps({"text": "Texte", "published_at": "14/03/2024"}),
    json.dumps(["une", "liste"]),
    json.dumps({"text": "Texte", "title": 5}),
    json.dumps(
        {
            "text": "Deux lignes\u2028dans un seul texte",
            "url": "HTTPS://Courrier.example/Deux",
            "published_at": "2024-03-14T23:30:00+01:00",
            "language": "FR",
            "title": None,
        },
        ensure_ascii=False,
    ),
    "   ",
]


def test_jsonl_keeps_good_lines_and_rejects_bad_ones_by_line_number():
    records = extract("lot.jsonl", "\r\n".join(JSONL_LINES).encode())
    assert [(type(r).__name__, r.line) for r in records] == [
        ("Extracted", 1),
        ("Rejected", 3),
        ("Rejected", 4),
        ("Rejected", 5),
        ("Rejected", 6),
        ("Rejected", 7),
        ("Rejected", 8),
        ("Rejected", 9),
        ("Extracted", 10),
    ]
    assert records[0] == Extracted(
        text=GOOD["text"],
        title="Piscine fermée",
        source="Le Courrier fictif",
        url="https://courrier.example/piscine",
        published_at=datetime.date(2024, 3, 14),
        language="fr",
        line=1,
    )
    reasons = [str(r) for r in records[1:-1]]
    assert reasons == [
        "This line is not valid JSON.",
        "The “text” field is missing or empty.",
        "The “text” field is missing or empty.",
        "The url must start with http:// or https://.",
        "The “published_at” field must be a date such as 2024-03-14.",
        'Each line must be a JSON object, like {"text": "…"}.',
        "The “title” field must be a string.",
    ]
    last = records[-1]
    assert last.text == "Deux lignes\u2028dans un seul texte"
    assert (last.url, last.published_at) == (
        "https://Courrier.example/Deux",
        datetime.date(2024, 3, 14),
    )
    assert (last.title, last.language) == ("", "fr")


def test_jsonl_titles_and_sources_are_capped_to_their_columns():
    line = json.dumps({"text": "Texte", "title": "T" * 400, "source": "S" * 250})
    article = only(extract("lot.jsonl", line.encode()))
    assert (len(article.title), len(article.source)) == (300, 200)


# Bounded work (issue 15): pages and .jsonl files made to hold a worker.


def test_a_page_nested_past_what_the_parser_builds_is_refused_naming_the_depth():
    page = b"<html><body>" + b"<div>" * 100_000 + b"Un mot." + b"</div>" * 100_000
    with pytest.raises(Rejected, match="more than 256 levels deep"):
        extract("profond.html", page)


def test_a_page_nested_within_the_limit_is_read():
    page = b"<html><body>" + b"<div>" * 200 + b"<p>Un mot au fond.</p>" + b"</div>" * 200
    assert only(extract("profond.html", page)).text == "Un mot au fond."


def test_a_page_with_more_elements_than_the_budget_is_read_as_its_visible_text(monkeypatch):
    # Past the budget trafilatura is skipped: it would have dropped the cookie banner.
    monkeypatch.setattr(extraction, "HTML_ELEMENTS_PER_MB", 20)
    article = only(extract("crue.html", NEWS_PAGE.encode()))
    assert article.text.startswith(
        "Nous utilisons des cookies pour améliorer votre expérience.\n\n"
        "Crue de la Vézère : Montignac évacué\n\nLa Vézère est sortie de son lit"
    )
    assert "Accueil" not in article.text  # menus and forms still go
    assert article.title == "Crue de la Vézère : Montignac évacué | La Gazette du Périgord"


def test_a_jsonl_file_with_more_bad_lines_than_the_limit_is_refused_as_a_whole():
    lines = [json.dumps(GOOD)] + ["{}"] * (extraction.JSONL_MAX_BAD_LINES + 1)
    with pytest.raises(Rejected, match="More than 100 lines of this file are not valid"):
        extract("lot.jsonl", "\n".join(lines).encode())
    records = extract("lot.jsonl", "\n".join(lines[:-1]).encode())
    assert sum(isinstance(r, Rejected) for r in records) == extraction.JSONL_MAX_BAD_LINES


def test_a_jsonl_file_with_more_articles_than_the_limit_is_refused():
    lines = [json.dumps({"text": f"Article {i}."}) for i in range(6)]
    with pytest.raises(Rejected, match="more than 5 articles; at most 5 are accepted"):
        extract("lot.jsonl", "\n".join(lines).encode(), max_jsonl_lines=5)
    assert len(extract("lot.jsonl", "\n".join(lines[:5]).encode(), max_jsonl_lines=5)) == 5


@pytest.mark.django_db
def test_the_upload_allows_a_jsonl_as_many_articles_as_a_zip_files(analyst, settings):
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 3
    lines = [json.dumps({"text": f"Article {i}."}) for i in range(4)]
    (outcome,) = prepare("lot.jsonl", "\n".join(lines).encode(), analyst)
    assert "more than 3 articles" in outcome.reason
