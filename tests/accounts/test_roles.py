import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpResponse
from django.test import RequestFactory

from annotator.accounts.roles import Role, has_role, role_required, user_roles
from tests.factories import make_user


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


@pytest.mark.django_db
def test_backend_loads_the_roles_with_the_user_in_one_query(django_assert_num_queries):
    from annotator.accounts.backends import RoleBackend

    sam = make_user("sam", Role.ANALYST, Role.REVIEWER)
    make_user("max", Role.ADMIN)  # another user's groups must not leak in
    with django_assert_num_queries(1):
        user = RoleBackend().get_user(sam.pk)
        assert user_roles(user) == {Role.ANALYST, Role.REVIEWER}
    assert RoleBackend().get_user(10**9) is None


@pytest.mark.django_db
def test_a_role_taken_away_applies_at_the_next_request(client, analyst):
    client.force_login(analyst)
    assert client.get("/annotate/").status_code == 200
    analyst.groups.remove(Group.objects.get(name=Role.ANALYST))
    assert client.get("/annotate/").status_code == 403


@pytest.mark.django_db  # the models' checks read the server's version
def test_an_unknown_export_role_stops_the_start_not_every_page(settings):
    settings.EXPORT_ROLES = ["admin", "reviewr"]
    with pytest.raises(SystemCheckError, match="EXPORT_ROLES holds an unknown role"):
        call_command("check")
    settings.EXPORT_ROLES = ["admin", "reviewer"]
    call_command("check")
    settings.AGREEMENT_ROLES = ["curator"]
    with pytest.raises(SystemCheckError, match="AGREEMENT_ROLES holds an unknown role"):
        call_command("check")
