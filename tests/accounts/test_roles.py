import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from annotator.accounts.roles import Role, has_role, role_required, user_roles
from tests.conftest import make_user


@pytest.mark.django_db
def test_migration_creates_one_group_per_role():
    assert set(Group.objects.values_list("name", flat=True)) >= {"analyst", "reviewer", "admin"}


@pytest.mark.django_db
def test_a_user_may_hold_several_roles():
    user = make_user("sam", Role.ANALYST, Role.REVIEWER)
    assert user_roles(user) == {Role.ANALYST, Role.REVIEWER}
    assert not has_role(user, Role.ADMIN)


@pytest.mark.django_db
def test_superuser_holds_every_role():
    user = make_user("root")
    user.is_superuser = True
    assert user_roles(user) == set(Role)


@pytest.mark.django_db
def test_inactive_user_holds_no_role():
    user = make_user("gone", Role.ADMIN)
    user.is_active = False
    assert user_roles(user) == frozenset()


@pytest.mark.django_db
def test_role_required_refuses_other_roles(analyst, reviewer):
    @role_required(Role.REVIEWER)
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = analyst
    with pytest.raises(PermissionDenied):
        view(request)
    request.user = reviewer
    assert view(request).status_code == 200
