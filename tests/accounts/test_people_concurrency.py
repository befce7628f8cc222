"""Two admins removing each other's admin role at the same moment: one of them stays admin."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from annotator.accounts.roles import Role
from tests.factories import make_user
from tests.security.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_admins_demoting_each_other_at_once_leave_one_admin(admin_user):
    ines = make_user("ines", Role.ADMIN)
    pairs = [(admin_user, ines), (ines, admin_user)]

    def demote(i):
        by, target = pairs[i]
        client = Client()
        client.force_login(by)
        return client.post(reverse("user_edit", args=[target.pk]), {"roles": []}).status_code

    done, refused = sorted(run_together(2, demote))
    assert done == 302
    # 409 when both passed the role check and the lock decided; 403 when the first demotion
    # committed before the second request's role check.
    assert refused in (403, 409)
    admins = Group.objects.get(name=Role.ADMIN).user_set.values_list("username", flat=True)
    assert len(admins) == 1
