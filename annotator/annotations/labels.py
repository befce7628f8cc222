"""Changing labels, their attributes and the workflow switches, with their history
(annotator.accounts.history).

A label is never deleted (spans point at it): it is switched off, and on again. So is an
attribute, or a choice, in use; one never used may be deleted.
"""

from typing import TYPE_CHECKING, Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Count, F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from annotator.accounts import history
from annotator.refusal import Refused

from .attributes import Attribute, AttributeChoice
from .models import Label, Span, Workflow

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


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


# --- A label's attributes and their choices -------------------------------------------------
#
# Their changes go to the label's history, as the Django admin logs the rows of an inline:
# "Added attribute “Kind (kind)”.", "Changed name for choice “Kind › killed (killed)”.".
# The words are translated when the history is shown.
ATTRIBUTE = gettext_noop("attribute")
CHOICE = gettext_noop("choice")
SWITCHED_ON = gettext_noop("active (now on)")
SWITCHED_OFF = gettext_noop("active (now off)")
# The rule for required choice attributes, said by AttributeForm and save_attribute.
NO_ACTIVE_CHOICE = gettext_lazy(
    "“%(name)s” has no active choice yet, so it cannot be required: save it as optional, add "
    "its choices, then make it required."
)


def attribute_use() -> Func:
    """ "In use", as the database's triggers say it (migration 0007): a span of the label,
    or the label's history, holds a value for the attribute."""
    return Func(
        F("label_id"),
        F("key"),
        function="annotations_attribute_in_use",
        output_field=BooleanField(),
    )


def choice_use() -> Func:
    """ "In use" for a choice: a span or the history holds it as its attribute's value."""
    return Func(
        F("attribute_id"),
        F("key"),
        function="annotations_choice_in_use",
        output_field=BooleanField(),
    )


def with_use(attributes: "QuerySet[Attribute]") -> "QuerySet[Attribute]":
    """Each attribute with `n_spans` (spans of its label holding a value for it, deleted
    ones too: they still hold it) and `in_use` (then its key and type stay, and it is
    switched off rather than deleted). One query, whatever the number of attributes."""
    holding = (
        Span.objects.filter(label_id=OuterRef("label_id"), attributes__has_key=OuterRef("key"))
        .order_by()
        .values("label_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return attributes.annotate(
        n_spans=Coalesce(Subquery(holding, output_field=IntegerField()), 0),
        in_use=attribute_use(),
    )


def attribute_in_use(attribute: Attribute) -> bool:
    return bool(
        Attribute.objects.filter(pk=attribute.pk).values_list(attribute_use(), flat=True).first()
    )


def choice_in_use(choice: AttributeChoice) -> bool:
    return bool(
        AttributeChoice.objects.filter(pk=choice.pk).values_list(choice_use(), flat=True).first()
    )


def attribute_repr(attribute: Attribute) -> str:
    return f"{attribute.name} ({attribute.key})"


def choice_repr(attribute: Attribute, choice: AttributeChoice) -> str:
    return f"{attribute.name} › {choice.name} ({choice.key})"


def label_history(label: Label, limit: int = 10) -> list[history.Change]:
    """The latest changes to this label and its attributes, newest first."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Label), object_id=str(label.pk)
        )
        .select_related("user")
        .order_by("-action_time", "-id")[:limit]
    )
    return [
        history.Change(e.action_time, e.user.get_username(), e.object_repr, history.describe(e))
        for e in entries
    ]


def _hold_span_writes() -> None:
    # A key, a type or a row changed or deleted while a span's value for it is being written
    # (not committed yet) would pass the trigger, which cannot see that value: wait for such
    # writes to end (SHARE conflicts with their ROW EXCLUSIVE), so that the trigger sees them.
    # Held to the end of this short transaction; analysts' writes wait for it in turn.
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE annotations_span, annotations_spanevent IN SHARE MODE")


def _refusal(error: IntegrityError, name: str) -> Refused:
    """The database's refusal (a trigger or a constraint, e.g. after a race), in words."""
    text = str(error)
    if "in use" in text:
        message = _(
            "Spans now hold values for “%(name)s”: its key and type stay as they are, and it "
            "cannot be deleted (switch it off instead). Nothing was saved."
        )
    elif "_key_unique" in text:
        message = _(
            "Another row took the key of “%(name)s” meanwhile: choose another key. Nothing was "
            "saved."
        )
    else:
        message = _("The database refused the change to “%(name)s”, so nothing was saved: %(why)s")
    return Refused(message % {"name": name, "why": text.splitlines()[0]}, status=422)


def save_attribute(attribute: Attribute, fields: list[str], by: "User") -> Attribute:
    """Save a new or edited attribute (validated by AttributeForm); `fields`: what changed
    (history.changed_fields). Refused (422) if the database refuses it, e.g. a value of the
    attribute stored since the form was checked: nothing is saved then."""
    is_new = attribute.pk is None
    try:
        with transaction.atomic():
            if not is_new:
                # Locked: two admins saving the same row one after the other, not interleaved.
                old = Attribute.objects.select_for_update().get(pk=attribute.pk)
                if (old.key, old.type) != (attribute.key, attribute.type):
                    _hold_span_writes()
            # Checked by the form too; again here, the row locked, in case the last active
            # choice was switched off meanwhile (set_choice_active locks the row as well).
            if (
                attribute.required
                and attribute.type == Attribute.Type.CHOICE
                and not (not is_new and attribute.choices.filter(is_active=True).exists())
            ):
                raise Refused(NO_ACTIVE_CHOICE % {"name": attribute.display_name}, status=422)
            attribute.save()
            if is_new:
                part: dict[str, Any] = {
                    "added": {"name": ATTRIBUTE, "object": attribute_repr(attribute)}
                }
            elif fields:
                part = {
                    "changed": {
                        "name": ATTRIBUTE,
                        "object": attribute_repr(attribute),
                        "fields": fields,
                    }
                }
            else:
                return attribute
            history.changed(by, attribute.label, [], extra=[part])
    except IntegrityError as error:
        if is_new:
            attribute.pk = None
        raise _refusal(error, attribute.display_name) from error
    return attribute


def set_attribute_active(attribute: Attribute, active: bool, by: "User") -> bool:
    """Switch `attribute` off or on again; False if it already was (nothing is written).

    Switched off, analysts no longer see it; the values stored stay (and the exports)."""
    with transaction.atomic():
        # Conditional on the state read, so a double click writes one history row.
        if not Attribute.objects.filter(pk=attribute.pk, is_active=not active).update(
            is_active=active
        ):
            return False
        field = SWITCHED_ON if active else SWITCHED_OFF
        part = {
            "changed": {"name": ATTRIBUTE, "object": attribute_repr(attribute), "fields": [field]}
        }
        history.changed(by, attribute.label, [], extra=[part])
    attribute.is_active = active
    return True


def delete_attribute(attribute: Attribute, by: "User") -> None:
    """Delete an attribute no span (nor the history) ever used, with its choices; Refused
    (409) if it is in use (switch it off instead) or another attribute is "not below" it."""
    with transaction.atomic():
        _hold_span_writes()
        locked = Attribute.objects.select_for_update().filter(pk=attribute.pk).first()
        if locked is None:
            return  # deleted meanwhile (a double click): nothing more to do
        if attribute_in_use(locked):
            raise Refused(
                _(
                    "“%(name)s” is in use (spans or their history hold values for it): it "
                    "cannot be deleted. Switch it off instead."
                )
                % {"name": attribute.display_name}
            )
        above = Attribute.objects.filter(not_below=locked).first()
        if above is not None:
            raise Refused(
                _("“%(above)s” may not be below “%(name)s”: change that attribute first.")
                % {"above": above.display_name, "name": attribute.display_name}
            )
        locked.delete()  # its choices with it (none is in use if the attribute is not)
        part = {"deleted": {"name": ATTRIBUTE, "object": attribute_repr(locked)}}
        history.changed(by, attribute.label, [], extra=[part])


def save_choice(choice: AttributeChoice, fields: list[str], by: "User") -> AttributeChoice:
    """Save a new or edited choice (validated by ChoiceForm); Refused (422) as save_attribute."""
    is_new = choice.pk is None
    attribute = choice.attribute
    try:
        with transaction.atomic():
            if not is_new:
                old = AttributeChoice.objects.select_for_update().get(pk=choice.pk)
                if old.key != choice.key:
                    _hold_span_writes()
            choice.save()
            name = choice_repr(attribute, choice)
            if is_new:
                part: dict[str, Any] = {"added": {"name": CHOICE, "object": name}}
            elif fields:
                part = {"changed": {"name": CHOICE, "object": name, "fields": fields}}
            else:
                return choice
            history.changed(by, attribute.label, [], extra=[part])
    except IntegrityError as error:
        if is_new:
            choice.pk = None
        raise _refusal(error, choice.display_name) from error
    return choice


def _lock_attribute(choice: AttributeChoice) -> Attribute:
    # Locked before its choices are switched off or deleted: two admins switching off its
    # last two active choices at once would each see the other one still on.
    return Attribute.objects.select_for_update().get(pk=choice.attribute_id)


def _keep_an_active_choice(attribute: Attribute, choice: AttributeChoice) -> None:
    """Refused unless a required attribute keeps an active choice besides `choice`: an
    analyst could only mark it "unknown"."""
    if not attribute.required:
        return
    if not attribute.choices.filter(is_active=True).exclude(pk=choice.pk).exists():
        raise Refused(
            _(
                "“%(attribute)s” is required and “%(choice)s” is its last active choice: add or "
                "switch on another choice first, or make the attribute optional."
            )
            % {"attribute": attribute.display_name, "choice": choice.display_name}
        )


def set_choice_active(choice: AttributeChoice, active: bool, by: "User") -> bool:
    """Switch a choice off or on again; False if it already was (nothing is written)."""
    with transaction.atomic():
        attribute = _lock_attribute(choice)
        if not active:
            _keep_an_active_choice(attribute, choice)
        if not AttributeChoice.objects.filter(pk=choice.pk, is_active=not active).update(
            is_active=active
        ):
            return False
        field = SWITCHED_ON if active else SWITCHED_OFF
        name = choice_repr(choice.attribute, choice)
        part = {"changed": {"name": CHOICE, "object": name, "fields": [field]}}
        history.changed(by, choice.attribute.label, [], extra=[part])
    choice.is_active = active
    return True


def delete_choice(choice: AttributeChoice, by: "User") -> None:
    """Delete a choice no span (nor the history) ever held; Refused (409) if one did."""
    with transaction.atomic():
        _hold_span_writes()
        attribute = _lock_attribute(choice)
        locked = AttributeChoice.objects.select_for_update().filter(pk=choice.pk).first()
        if locked is None:
            return  # deleted meanwhile (a double click): nothing more to do
        if locked.is_active:
            _keep_an_active_choice(attribute, locked)
        if choice_in_use(locked):
            raise Refused(
                _(
                    "The choice “%(name)s” is in use (spans or their history hold it): it "
                    "cannot be deleted. Switch it off instead."
                )
                % {"name": choice.display_name}
            )
        locked.delete()
        part = {"deleted": {"name": CHOICE, "object": choice_repr(choice.attribute, locked)}}
        history.changed(by, choice.attribute.label, [], extra=[part])
