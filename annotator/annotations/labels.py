"""Changing labels and the workflow switches, with their history (annotator.accounts.history).

A label is never deleted (spans point at it): it is switched off, and on again.
"""

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from annotator.accounts import history
from annotator.refusal import Refused

from .models import Label, Workflow

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def save_label(label: Label, fields: list[str], by: "User") -> Label:
    """Save a new or edited label (validated by LabelForm); `fields` name what changed."""
    is_new = label.pk is None
    label.save()
    if is_new:
        history.added(by, label)
    elif fields:
        history.changed(by, label, fields)
    return label


def set_label_active(label: Label, active: bool, by: "User") -> bool:
    """Switch `label` off or on again; False if it already was (nothing is written)."""
    if label.is_active == active:
        return False
    try:
        with transaction.atomic():
            # Conditional on the state read, so a double click writes one history row.
            if not Label.objects.filter(pk=label.pk, is_active=not active).update(is_active=active):
                return False
            history.switched(by, label, active=active)
    except IntegrityError as error:  # label_active_key_unique: its key was taken meanwhile
        raise Refused(
            _(
                "Another active label already uses the key %(key)s: change this label's key, "
                "or switch the other label off, first."
            )
            % {"key": label.key}
        ) from error
    label.is_active = active
    return True


@transaction.atomic
def save_workflow(workflow: Workflow, fields: list[str], by: "User") -> None:
    workflow.save()
    if fields:
        history.changed(by, workflow, fields)
