"""Demo logins for a development machine; `make run` creates them when DEBUG is on.

None is staff: `adam` manages the app from its own Administration pages, like any user
holding the admin role (the Django admin is for superusers).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from annotator.accounts.roles import Role

DEMO_PASSWORD = "demo-pass"  # noqa: S105 - printed by `make run`, DEBUG only
DEMO_USERS = [
    ("ana", [Role.ANALYST]),
    ("alex", [Role.ANALYST]),
    ("rita", [Role.REVIEWER]),
    ("adam", [Role.ADMIN, Role.REVIEWER, Role.ANALYST]),
]


@transaction.atomic
def ensure_demo_users() -> list[str]:
    """Create the demo users once; running it again changes nothing."""
    User = get_user_model()
    created = []
    for username, roles in DEMO_USERS:
        user, was_created = User.objects.get_or_create(username=username)
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set(Group.objects.filter(name__in=roles))
            created.append(username)
    return created
