from html import escape
from typing import TYPE_CHECKING, cast

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from annotator.annotations.models import Span
from annotator.articles.layout import Unit
from annotator.review.marks import ReviewedMark

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()
REJECTED = ("rejected", "corrected")


@register.filter
def span_status(value: str) -> "StrOrPromise":
    """A stored span status ("pending") as people read it ("Pending")."""
    try:
        return Span.Status(value).label
    except ValueError:
        return value


@register.filter
def percent(value: float | None) -> str:
    """85.2 as "85%", or "85 %" in French (a narrow no-break space before the sign)."""
    if value is None:
        return "—"
    return _("%(rate)s%%") % {"rate": number_format(round(value))}


@register.simple_tag
def reviewed_unit_html(unit: Unit, swap_oob: bool = False) -> SafeString:
    """articles' unit_html for the review page: each highlight also shows its decision.

    Its own markup rather than a hook in unit_html, which the annotation page renders in
    its hot loop. Every cue is an attribute or CSS-generated (data-tag), so the text
    nodes are still exactly the article's and selections map to offsets the same way.
    Marks come from review.marks.reviewed_mark.
    """
    oob = ' hx-swap-oob="true"' if swap_oob else ""
    out = [
        f'<span class="sent" id="s-{unit.index}" data-index="{unit.index}" '
        f'data-start="{unit.start}" data-end="{unit.end}"{oob}>'
    ]
    for seg in unit.segments:
        if not seg.marks:
            out.append(f'<span class="seg" data-o="{seg.start}">{escape(seg.text)}</span>')
            continue
        marks = cast("tuple[ReviewedMark, ...]", seg.marks)
        # Struck through only when every span here is rejected; else the first one that is not.
        shown = next((m for m in marks if m.state not in REJECTED), marks[0])
        multi = " multi" if len(marks) > 1 else ""
        title = escape(", ".join(f"{m.label.name}: {m.state_name}" for m in marks))
        tags = "".join(
            f'<span class="tag c-{m.label.color} d-{m.state}" data-tag="{escape(m.tag)}" '
            'aria-hidden="true"></span>'
            for m in cast("list[ReviewedMark]", seg.starts)
        )
        out.append(
            f'<mark class="seg hl c-{shown.label.color} d-{shown.state}{multi}" '
            f'data-o="{seg.start}" data-spans="{seg.mark_ids}" data-state="{shown.state}" '
            f'title="{title}">{tags}{escape(seg.text)}</mark>'
        )
    out.append("</span>\n")
    # Every value above is escaped or a number.
    return mark_safe("".join(out))  # noqa: S308  # nosec B308
