"""Every main page in Chromium: zero CSP violations (the page fixture fails on any)."""

import pytest

from annotator.annotations.models import Assignment
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HOSTILE = (
    "Titre <script>document.title='pwned'</script>\n\n"
    "Un texte avec <img src=x onerror=\"document.title='pwned'\"> et des « guillemets »."
)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_script_in_article_text_is_shown_as_text(page, login_as, labels):
    from annotator.accounts.roles import Role

    user = make_user("sam", Role.ANALYST, Role.REVIEWER, Role.ADMIN)
    article = make_article(HOSTILE, by=user, title="Titre <script>alert(1)</script>")
    assignment = Assignment.objects.create(article=article, analyst=user)
    login_as(user)
    for url in [
        "/",
        "/articles/",
        "/articles/upload/",
        article.get_absolute_url(),
        f"/annotate/{assignment.pk}/",
        "/annotate/",
        "/review/",
        "/review/queue/",
        "/exports/",
        "/manage/",
        "/manage/labels/",
        "/manage/labels/new/",
        "/manage/users/",
        "/manage/users/new/",
        "/manage/workflow/",
    ]:
        page.goto(url)
        assert page.title() != "pwned", url
        assert page.locator("script:not([src])").count() == 0, url
    page.goto(f"/annotate/{assignment.pk}/")
    assert "<script>document.title='pwned'</script>" in page.locator("#doc").inner_text()
    assert page.locator("#doc img").count() == 0
    assert page.get_by_role("heading", level=1).inner_text() == "Titre <script>alert(1)</script>"
