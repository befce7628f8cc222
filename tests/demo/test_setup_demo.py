import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

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


@pytest.mark.django_db
def test_demo_users_only_exist_with_debug_on(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("setup_demo")
    assert not get_user_model().objects.filter(username="ana").exists()
