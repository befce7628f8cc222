"""Who changed what in the administration pages, and when: Django's admin log.

The app's admin pages write the same rows (`LogEntry`) as the Django admin does, in the
same transaction as the change, so both show one history. Messages use the admin's JSON
form (translated when shown); an on/off switch adds its own word, which the Django admin
ignores and `describe` reads.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The word for a user's roles in the log: translated when shown, like field names.
ROLE = gettext_noop("role")


def added(by: "User", obj: models.Model, *, extra: Sequence[Any] = ()) -> None:
    LogEntry.objects.log_actions(by.pk, [obj], ADDITION, [{"added": {}}, *extra])


def changed_fields(form: forms.ModelForm, *, exclude: Sequence[str] = ()) -> list[str]:  # type: ignore[type-arg]
    """The verbose names of the form's changed model fields, untranslated: the message is
    translated when shown, and the catalogues hold these names (not the forms' labels)."""
    fields = form._meta.model._meta
    with override(None):
        return [
            str(fields.get_field(name).verbose_name)
            for name in form.changed_data
            if name not in exclude
        ]


def changed(by: "User", obj: models.Model, fields: list[str], *, extra: Sequence[Any] = ()) -> None:
    """`fields`: the untranslated names of the fields that changed (changed_fields)."""
    message: list[Any] = [{"changed": {"fields": fields}}] if fields else []
    LogEntry.objects.log_actions(by.pk, [obj], CHANGE, [*message, *extra])


def switched(by: "User", obj: models.Model, *, active: bool) -> None:
    """`obj` was deactivated or reactivated."""
    word = "reactivated" if active else "deactivated"
    changed(by, obj, ["active"], extra=[{word: {}}])


def roles_changed(by: "User", user: "User", before: set[str], after: set[str]) -> None:
    extra = [{"added": {"name": ROLE, "object": role}} for role in sorted(after - before)]
    extra += [{"deleted": {"name": ROLE, "object": role}} for role in sorted(before - after)]
    changed(by, user, [], extra=extra)


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    target: str
    what: str


def recent(*kinds: type[models.Model], limit: int = 10) -> list[Change]:
    """The latest changes to rows of these models, newest first, by anyone."""
    types = ContentType.objects.get_for_models(*kinds, for_concrete_models=False).values()
    entries = (
        LogEntry.objects.filter(content_type__in=types)
        .select_related("user")
        .order_by("-action_time", "-id")[:limit]
    )
    return [
        Change(e.action_time, e.user.get_username(), e.object_repr, describe(e)) for e in entries
    ]


def describe(entry: LogEntry) -> str:
    """What the entry changed, in the reader's language."""
    try:
        parts = json.loads(entry.change_message or "[]")
    except json.JSONDecodeError:
        return entry.change_message
    if any("deactivated" in part for part in parts if isinstance(part, dict)):
        return _("Deactivated.")
    if any("reactivated" in part for part in parts if isinstance(part, dict)):
        return _("Reactivated.")
    return entry.get_change_message() or (_("Added.") if entry.is_addition() else _("Changed."))
