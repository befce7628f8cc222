import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from annotator.annotations.models import Assignment
from annotator.articles.models import Article
from annotator.demo.management.commands.setup_demo import DEMO_ARTICLES
from annotator.demo.users import DEMO_USERS


@pytest.mark.django_db
def test_setup_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("setup_demo")
    call_command("setup_demo")
    users = get_user_model().objects.filter(username__in=[name for name, _ in DEMO_USERS])
    assert users.count() == len(DEMO_USERS)
    ana = users.get(username="ana")
    assert list(ana.groups.values_list("name", flat=True)) == ["analyst"]
    # ana and alex each have every demo article, once, however often it runs.
    demo = Article.objects.filter(source="Démo")
    assert demo.count() == len(list(DEMO_ARTICLES.glob("*.txt")))
    pairs = list(Assignment.objects.values_list("article_id", "analyst__username"))
    assert sorted(pairs) == sorted(
        (a, u) for a in demo.values_list("pk", flat=True) for u in ("alex", "ana")
    )


@pytest.mark.django_db
def test_demo_users_only_exist_with_debug_on(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("setup_demo")
    assert not get_user_model().objects.filter(username="ana").exists()


@pytest.mark.django_db
def test_demo_admin_manages_the_app_like_a_create_user_admin(settings, client, monkeypatch):
    """adam holds the admin role and no staff flag, as `create_user --role admin` makes."""
    settings.DEBUG = True
    call_command("setup_demo")
    monkeypatch.setenv("ANNOTATOR_PASSWORD", "a-long-enough-passphrase")
    call_command("create_user", "nadia", "--role", "admin")
    for name in ("adam", "nadia"):
        user = get_user_model().objects.get(username=name)
        assert not user.is_staff and not user.is_superuser
        client.force_login(user)
        for url in ("/manage/", "/manage/labels/", "/manage/users/", "/manage/workflow/"):
            assert client.get(url).status_code == 200, (name, url)
