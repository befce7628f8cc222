"""Managing people: creating users, their roles, switching accounts off and on.

Nobody is deleted (their work points at them); an account is deactivated instead. Rules
keep the app manageable: an admin never removes their own admin role or account, the last
active admin keeps the role, and only a superuser changes a superuser's account. Each
change and its history entry are one transaction.
"""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from annotator.refusal import Refused

from . import history
from .roles import Role, holders

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def roles_of(user: "User") -> set[Role]:
    """The roles the user's groups give (not the superuser's implied ones)."""
    return {
        Role(name)
        for name in user.groups.filter(name__in=Role.values).values_list("name", flat=True)
    }


def _lock_admins() -> None:
    # Two admins demoting each other at the same moment would each see the other as "another
    # admin" and both succeed; taking the admin group's row lock makes them wait in turn.
    list(Group.objects.select_for_update().filter(name=Role.ADMIN))


def _may_stop_being_admin(user: "User", by: "User", *, yourself: str) -> None:
    if user.pk == by.pk:
        raise Refused(yourself)
    if not holders(Role.ADMIN).exclude(pk=user.pk).exists():
        raise Refused(
            _("%(name)s is the last active admin: give the admin role to someone else first.")
            % {"name": user.get_username()}
        )


def _may_change(user: "User", by: "User") -> None:
    # A superuser outranks the admin role: an admin must not lock the Django admin's account.
    if user.is_superuser and not by.is_superuser:
        raise Refused(
            _("%(name)s is a superuser: only a superuser can change that account.")
            % {"name": user.get_username()},
            status=403,
        )


def _set_roles(user: "User", roles: Iterable[Role]) -> None:
    """Give exactly `roles`; groups that are not roles stay as they are."""
    roles = list(roles)
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name__in=roles))
    # get_or_create: a role's group deleted (in the Django admin, say) must not make the
    # role silently not given.
    user.groups.add(*(Group.objects.get_or_create(name=role)[0] for role in roles))


@transaction.atomic
def create(user: "User", roles: Iterable[Role], by: "User") -> "User":
    """Save the new `user` (password already set) with `roles`."""
    roles = set(roles)
    user.save()
    _set_roles(user, roles)
    extra = [{"added": {"name": history.ROLE, "object": role.value}} for role in sorted(roles)]
    history.added(by, user, extra=extra)
    return user


@transaction.atomic
def update(user: "User", fields: list[str], roles: Iterable[Role], by: "User") -> None:
    """Save `user`'s edited details (`fields` name them) and give it exactly `roles`."""
    roles = set(roles)
    _may_change(user, by)
    _lock_admins()
    before = roles_of(user)
    if Role.ADMIN in before and Role.ADMIN not in roles:
        _may_stop_being_admin(
            user, by, yourself=_("You cannot remove your own admin role; ask another admin.")
        )
    user.save()
    _set_roles(user, roles)
    if fields:
        history.changed(by, user, fields)
    if before != roles:
        history.roles_changed(by, user, {r.value for r in before}, {r.value for r in roles})


@transaction.atomic
def set_active(user: "User", active: bool, by: "User") -> bool:
    """Deactivate or reactivate `user`; False if it already was so (nothing is written)."""
    _may_change(user, by)
    _lock_admins()
    if user.is_active == active:
        return False
    if not active and (user.pk == by.pk or Role.ADMIN in roles_of(user)):
        _may_stop_being_admin(user, by, yourself=_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    history.switched(by, user, active=active)
    return True
