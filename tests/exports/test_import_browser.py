"""An imported text with Windows line endings, annotated in Chromium: the browser's text has
no "\\r", so its offsets must fit the stored text."""

import json

import pytest

from annotator.annotations.models import Assignment, Span
from annotator.exports.interchange import doccano
from annotator.exports.interchange.importer import import_file
from tests.annotations.test_annotate_browser import PHRASE_BOX

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

CRLF = "Crue à Lyon\r\n\r\nLe préfet a parlé mardi.\r\nLa maire répond ce soir.\r\n"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_selection_across_an_imported_line_break_is_tagged(
    page, login_as, analyst, admin_user, labels
):
    start = CRLF.index("soir")
    data = json.dumps({"text": CRLF, "label": [[start, start + 4, "Claim"]]}).encode()
    (outcome,) = import_file(
        "work.jsonl", data, doccano.read(data, offsets="codepoints"), analyst=analyst, by=admin_user
    )
    assignment = Assignment.objects.get(article=outcome.article, analyst=analyst)
    login_as(analyst)
    page.goto(f"/annotate/{assignment.pk}/")
    first = page.evaluate(PHRASE_BOX, ["parlé"])
    last = page.evaluate(PHRASE_BOX, ["maire"])
    page.mouse.move(first["x1"], first["y1"])
    page.mouse.down()
    page.mouse.move(last["x2"], last["y2"], steps=5)
    page.mouse.up()
    page.locator("#picker").get_by_role("button", name="Claim").click()
    page.wait_for_function(
        "() => document.querySelectorAll('#span-list .span-item').length === 2"
        " || document.querySelector('#messages').innerText.trim() !== ''"
    )
    assert "out of date" not in page.locator("#messages").inner_text()
    span = Span.objects.get(assignment=assignment, text__startswith="parlé")
    assert span.text == "parlé mardi.\nLa maire"
    assert outcome.article.text[span.start : span.end] == span.text
