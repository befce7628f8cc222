"""What the tests of the attribute administration pages share: URLs, the forms' data, and
reading the pages."""

import re

from django.contrib.admin.models import LogEntry
from django.urls import reverse

from annotator.annotations import spans
from annotator.annotations.models import Attribute

FIGURE = "1\u202f850 habitants"


def attribute(label, key):
    return Attribute.objects.get(label=label, key=key)


def list_url(label):
    return reverse("annotations:attributes", args=[label.pk])


def create_url(label):
    return reverse("annotations:attribute_create", args=[label.pk])


def edit_url(attribute):
    return reverse("annotations:attribute_edit", args=[attribute.pk])


def attribute_data(**changes):
    """A new text attribute as the form sends it ("required" unticked); None drops a field."""
    data = {
        "key": "source",
        "type": "text",
        "name": "Source",
        "name_fr": "Source citée",
        "help_text": "Who gave the figure.",
        "help_text_fr": "",
        "order": "9",
        "min_value": "",
        "max_value": "",
        "not_below": "",
        "max_length": "120",
    }
    return {key: value for key, value in {**data, **changes}.items() if value is not None}


def as_stored(attribute, **changes):
    """The edit form of `attribute` sent back unchanged, but for `changes`."""
    data = {
        "key": attribute.key,
        "type": attribute.type,
        "name": attribute.name,
        "name_fr": attribute.name_fr,
        "help_text": attribute.help_text,
        "help_text_fr": attribute.help_text_fr,
        "order": str(attribute.order),
        "min_value": "" if attribute.min_value is None else str(attribute.min_value),
        "max_value": "" if attribute.max_value is None else str(attribute.max_value),
        "not_below": attribute.not_below_id or "",
        "max_length": str(attribute.max_length),
        **({"required": "on"} if attribute.required else {}),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def tag_figure(assignment, labels, values):
    start = assignment.article.text.index(FIGURE)
    span, _ = spans.create_span(
        assignment.pk,
        assignment.analyst,
        label=labels["Casualty figure"],
        start=start,
        end=start + len(FIGURE),
        attributes=values,
    )
    return span


def row(page, key):
    start = page.index(f'id="attribute-{key}"')
    return page[start : page.index("</tr>", start)]


def tag_of(page, name):
    """The form control named `name` (its opening tag)."""
    return re.search(rf'<(?:input|select|textarea)[^>]*name="{name}"[^>]*>', page).group(0)


def changes(label):
    return [e.get_change_message() for e in LogEntry.objects.filter(object_id=str(label.pk))]
