from pathlib import Path

import pytest

from annotator.articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
REAL_ARTICLE = Path(__file__).resolve().parents[3] / "shared" / "data" / "000_9a9b054ee487a721.txt"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_the_real_article_and_open_it(page, login_as, analyst):
    login_as(analyst)
    page.goto("/articles/upload/")
    page.set_input_files("#id_files", str(REAL_ARTICLE))
    assert "000_9a9b054ee487a721.txt" in page.locator("#chosen").inner_text()
    page.get_by_role("button", name="Upload").click()
    report = page.locator("#report table")
    report.wait_for()
    assert "Created" in report.inner_text()
    assert page.locator("#upload-progress").get_attribute("value") == "100"

    article = Article.objects.get()
    expected_title = REAL_ARTICLE.read_text(encoding="utf-8").split("\n", 1)[0].strip()
    assert article.title == expected_title
    report.get_by_role("link", name=expected_title).click()
    page.wait_for_url(f"**/articles/{article.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == expected_title
    assert page.locator("#doc .sent").count() == article.sentence_count
    # What the page shows is exactly the stored text, sentence by sentence.
    first = article.sentences.get(index=1)
    shown = page.locator(f"#s-{first.index}").inner_text()
    assert shown.strip() == article.text[first.start : first.end]
