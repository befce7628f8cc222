import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_creates_user_with_roles_from_environment_password(monkeypatch):
    monkeypatch.setenv("ANNOTATOR_PASSWORD", "a-long-enough-passphrase")
    call_command("create_user", "nadia", "--role", "analyst", "--role", "reviewer")
    user = get_user_model().objects.get(username="nadia")
    assert set(user.groups.values_list("name", flat=True)) == {"analyst", "reviewer"}
    assert user.check_password("a-long-enough-passphrase")


@pytest.mark.django_db
def test_prompts_for_password_when_not_in_environment(monkeypatch):
    monkeypatch.delenv("ANNOTATOR_PASSWORD", raising=False)
    answers = iter(["prompted-passphrase-1", "prompted-passphrase-1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_user", "paul", "--role", "admin")
    assert get_user_model().objects.get(username="paul").check_password("prompted-passphrase-1")


@pytest.mark.django_db
def test_refuses_weak_password_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("ANNOTATOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_user", "weak", "--role", "analyst")
    assert not get_user_model().objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_refuses_unknown_role():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_user", "x", "--role", "editor")


@pytest.mark.django_db
def test_refuses_existing_username(analyst, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_PASSWORD", "a-long-enough-passphrase")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_user", analyst.username, "--role", "analyst")
