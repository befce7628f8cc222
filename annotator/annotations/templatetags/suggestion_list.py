"""The rows of the annotation page's list of suggestions, written in Python.

A long article can have a hundred suggestions or more; through the template each row cost
about 0.2 ms (its nodes and translations), a fifth of the page's time. As the text's own
units (articles.templatetags.article_text), the markup is built with html.escape().
"""

from collections.abc import Sequence
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from annotator.annotations.models import Suggestion

register = template.Library()

EXCERPT = 80  # characters of a suggestion's text shown, as the span list does


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _origin(suggestion: Suggestion) -> str:
    """The rule's reason, or the model's name, version and score."""
    if suggestion.source == Suggestion.RULES:
        return suggestion.reason
    parts = [suggestion.source, suggestion.model_version]
    origin = " ".join(part for part in parts if part)
    return origin if suggestion.score is None else f"{origin} · {suggestion.score:.2f}"


@register.simple_tag
def suggestion_items(suggestions: Sequence[Suggestion], editable: bool) -> SafeString:
    suggested, accept, reject = gettext("suggested"), gettext("Accept"), gettext("Reject")
    accept_all: dict[int, str] = {}
    out = []
    for s in suggestions:
        label = s.label
        if label.pk not in accept_all:
            accept_all[label.pk] = escape(gettext("Accept all “%(label)s”") % {"label": label.name})
        buttons = (
            f'<button type="submit" form="suggestion-accept-form" name="suggestion" '
            f'value="{s.pk}" class="small accept">{escape(accept)} <kbd>a</kbd></button>'
            f'<button type="submit" form="suggestion-reject-form" name="suggestion" '
            f'value="{s.pk}" class="small danger reject">{escape(reject)} <kbd>r</kbd></button>'
            f'<button type="submit" form="suggestion-accept-label-form" name="label" '
            f'value="{label.pk}" class="small accept-label">{accept_all[label.pk]} '
            "<kbd>A</kbd></button>"
            if editable
            else ""
        )
        out.append(
            f'<li class="suggestion-item" id="suggestion-{s.pk}" data-suggestion="{s.pk}" '
            f'data-start="{s.start}" data-end="{s.end}" data-label="{label.pk}" tabindex="-1">'
            f'<span class="badge suggested">{escape(suggested)}</span> '
            f'<span class="badge c-{label.color}">{escape(label.name)}</span> '
            f'<span class="excerpt">{escape(_excerpt(s.text))}</span> '
            f'<span class="reason">{escape(_origin(s))}</span>{buttons}</li>'
        )
    # Every value above is escaped or a number.
    return mark_safe("\n".join(out))  # noqa: S308  # nosec B308
