"""The annotation page's hot loops, written in Python: sentence units and span list rows.

A 5,000-word article with 300 spans is ~3,000 segments; at Django's cost of ~10-30 µs per
template node and include, the page took ~80 ms to render through a per-unit template.
These tags build the markup with html.escape() (what autoescape applies, without Django's
lazy-string wrapper around it, which cost a third of the time here) in a few milliseconds.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def unit_html(unit, swap_oob=False):
    """One sentence unit (from rendering.layout or units_touching) and its segments."""
    oob = ' hx-swap-oob="true"' if swap_oob else ""
    out = [
        f'<span class="sent" id="s-{unit.index}" data-index="{unit.index}" '
        f'data-start="{unit.start}" data-end="{unit.end}"{oob}>'
    ]
    for seg in unit.segments:
        if seg.spans:
            multi = " multi" if len(seg.spans) > 1 else ""
            title = escape(", ".join(s.label.name for s in seg.spans))
            tags = "".join(
                f'<span class="tag c-{s.label.color}" data-tag="{escape(s.label.name)}" '
                'aria-hidden="true"></span>'
                for s in seg.starts
            )
            out.append(
                f'<mark class="seg hl c-{seg.spans[0].label.color}{multi}" data-o="{seg.start}" '
                f'data-spans="{seg.span_ids}" title="{title}">{tags}{escape(seg.text)}</mark>'
            )
        else:
            out.append(f'<span class="seg" data-o="{seg.start}">{escape(seg.text)}</span>')
    out.append("</span>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number


class _RowMaker:
    """What every row of one list shares: one reverse(), one token, one translation."""

    def __init__(self, context, assignment):
        self.editable = assignment.is_editable
        if self.editable:
            self.spans_url = reverse("annotations:span_create", args=[assignment.pk])
            self.token = escape(str(context.get("csrf_token", "")))
            self.remove_label = escape(gettext("Remove span:"))

    def __call__(self, span, attrs=""):
        name = escape(span.label.name)
        # truncatechars:80, with a fast path: most spans are shorter than that.
        excerpt = span.text if len(span.text) <= 80 else Truncator(span.text).chars(80)
        out = [
            f'\n        <li class="span-item" id="span-item-{span.pk}" data-span="{span.pk}" '
            f'data-start="{span.start}" data-end="{span.end}"{attrs}>\n'
            f'          <button type="button" class="span-focus" data-span="{span.pk}">'
            f'<span class="badge c-{span.label.color}">{name}</span> '
            f'<span class="excerpt">{escape(excerpt)}</span> '
            f'<span class="muted pos">{span.start}–{span.end}</span></button>\n          '
        ]
        if self.editable:
            out.append(
                f'\n          <form method="post" action="{self.spans_url}{span.pk}/delete/" '
                f'class="inline"><input type="hidden" name="csrfmiddlewaretoken" '
                f'value="{self.token}"><button type="submit" class="danger small" '
                f'aria-label="{self.remove_label} {name}">×</button></form>\n          '
            )
        out.append("\n        </li>\n        ")
        return "".join(out)


def _no_spans():
    return f'\n        <li class="muted">{escape(gettext("No spans yet."))}</li>\n        '


@register.simple_tag(takes_context=True)
def span_items(context, spans, assignment):
    """The <li> of each span in the span list (annotate.html#spanlist)."""
    if not spans:
        return mark_safe(_no_spans())  # noqa: S308 - escaped
    row = _RowMaker(context, assignment)
    return mark_safe("".join(row(span) for span in spans))  # noqa: S308 - escaped or numbers


@register.simple_tag(takes_context=True)
def span_row(context, change, assignment):
    """One changed row of the span list, swapped out of band (rendering.row_change).

    A new first row, or the last one gone, replaces the whole <ol>, so the "No spans yet"
    line comes and goes with it; otherwise a new row goes before the one that follows it.
    """
    if change["how"] == "removed":
        if change["empty"]:
            out = f'<ol id="span-items" hx-swap-oob="true">{_no_spans()}</ol>'
        else:
            out = f'<li id="span-item-{change["pk"]}" hx-swap-oob="delete"></li>'
        return mark_safe(out)  # noqa: S308 - escaped or numbers
    row = _RowMaker(context, assignment)
    span = change["span"]
    if change["how"] == "replaced":
        out = row(span, ' hx-swap-oob="true"')
    elif change["only"]:
        out = f'<ol id="span-items" hx-swap-oob="true">{row(span)}</ol>'
    elif change["next"] is not None:
        out = f'<div hx-swap-oob="beforebegin:#span-item-{change["next"]}">{row(span)}</div>'
    else:
        out = f'<div hx-swap-oob="beforeend:#span-items">{row(span)}</div>'
    return mark_safe(out)  # noqa: S308 - escaped or numbers
