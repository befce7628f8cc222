"""The .docx reader: python-docx's paragraph texts, from a stream, under a cap (issue 15)."""

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK

from annotator.articles.extraction import Rejected, extract, from_docx
from annotator.articles.ingest import prepare

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 1024 * 1024


def docx_with_xml(document_xml):
    """A .docx holding only word/document.xml: all the reader needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def inflated(xml_bytes):
    """The attack: empty paragraphs by the megabyte, a few KB once zipped."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
    tail = b"<w:p><w:r><w:t>Bonjour.</w:t></w:r></w:p></w:body></w:document>"
    return docx_with_xml(head + b"<w:p/>" * (xml_bytes // 6) + tail)


def test_a_document_whose_text_would_unpack_past_the_cap_is_refused_naming_it():
    data = inflated(2 * MB)
    assert len(data) < 20_000
    with pytest.raises(Rejected, match=r"would unpack to more than 1 MB"):
        extract("gonfle.docx", data, max_docx_xml=MB)


def test_under_the_cap_the_same_document_is_read():
    article = from_docx(inflated(MB // 2), max_text_xml=MB)
    assert article.text.strip() == "Bonjour."
    assert article.title == "Bonjour."


@pytest.mark.django_db
def test_the_upload_passes_its_file_limit_as_the_cap(analyst, settings):
    settings.UPLOAD_MAX_FILE_BYTES = MB
    (outcome,) = prepare("gonfle.docx", inflated(2 * MB), analyst)
    assert "would unpack to more than 1 MB" in outcome.reason


def test_the_text_is_what_python_docx_reads_runs_hyperlinks_breaks_no_tables():
    document = docx.Document()
    document.core_properties.title = "Le titre"
    paragraph = document.add_paragraph("Un\tdeux ")
    paragraph.add_run("gras").bold = True
    run = paragraph.add_run("avant")
    run.add_break()
    run.add_text("après")
    run.add_break(WD_BREAK.PAGE)
    run.add_text("page")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Dans un tableau"
    document.add_paragraph("Fin")
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()

    expected = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    article = from_docx(data)
    assert article.text == "\n".join(expected)
    assert article.text == "Un\tdeux grasavant\naprèspage\nFin"
    assert article.title == "Le titre"


def test_a_hyperlink_gives_its_text():
    xml = (
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t xml:space="preserve">Voir </w:t>'
        "</w:r><w:hyperlink><w:r><w:t>le site</w:t></w:r></w:hyperlink></w:p></w:body>"
        "</w:document>"
    )
    assert from_docx(docx_with_xml(xml)).text == "Voir le site"


def test_a_document_declaring_entities_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "hahahahaha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body>'
        "</w:document>"
    )
    with pytest.raises(Rejected, match="not a valid Word document"):
        from_docx(docx_with_xml(laughs))


def test_malformed_xml_is_not_a_valid_document():
    with pytest.raises(Rejected, match="not a valid Word document"):
        from_docx(docx_with_xml(f'<w:document xmlns:w="{W}"><w:body><w:p>'))


def test_a_package_of_more_parts_than_word_ever_writes_is_refused_before_opening():
    document = docx.Document()
    document.add_paragraph("Un paragraphe.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer, "a") as package:
        for i in range(10_001):
            package.writestr(f"customXml/{i}.xml", b"")
    with pytest.raises(Rejected, match="not a valid Word document"):
        from_docx(buffer.getvalue())
