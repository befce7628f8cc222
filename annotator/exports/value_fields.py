"""The exported fields of span values: one per attribute of a label, named
`<label slug>.<attribute key>` ("casualty_figure.min"), in the CSV's columns and as Label
Studio's control names.

A label's slug is its name lowercased, accents dropped (Unicode NFKD, combining marks
removed), every run of other characters than a-z and 0-9 made one "_", and "_" trimmed
from both ends:

>>> label_slug("Casualty figure"), label_slug("Prise de position (élus)")
('casualty_figure', 'prise_de_position_elus')

Two labels may share a slug ("Policy stance", "policy-stance"): the oldest (lowest id) keeps
it, each other one gets "__<its id>" ("policy_stance__7"), and a name with no such
character at all is "label__<its id>". A slug never holds "__" (runs are collapsed) and no
key holds "." (annotations.attributes.KEY_PATTERN), so names never collide; slugs are
computed over every label, whatever an export selects, so a label's name does not depend on
the filters.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.annotations.attributes import Attribute
from annotator.annotations.models import Label

SEPARATOR = "."


def label_slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "_", bare).strip("_")


def label_slugs(labels: Iterable[Label]) -> dict[int, str]:
    """{label id: its unique slug}, for all of `labels` (pass them all: see above)."""
    slugs: dict[int, str] = {}
    taken: set[str] = set()
    for label in sorted(labels, key=lambda label: label.pk):
        slug = label_slug(label.name)
        if not slug:
            slug = f"label__{label.pk}"
        elif slug in taken:
            slug = f"{slug}__{label.pk}"
        taken.add(slug)
        slugs[label.pk] = slug
    return slugs


@dataclass(frozen=True)
class ValueField:
    name: str  # "casualty_figure.min"
    label: Label
    attribute: Attribute  # its choices prefetched


def ordered_labels() -> list[Label]:
    """Every label, in label order (switched-off ones too)."""
    return list(Label.objects.order_by("order", "name", "id"))


def value_fields(
    label_ids: Sequence[int] = (), *, labels: list[Label] | None = None
) -> list[ValueField]:
    """The fields of the labels `label_ids` (all labels when empty), ordered by label order
    then attribute order; inactive labels, attributes and choices included (stored values
    may use them). Three queries, two when given `labels` (ordered_labels)."""
    if labels is None:
        labels = ordered_labels()
    slugs = label_slugs(labels)
    chosen = [label for label in labels if not label_ids or label.pk in label_ids]
    attributes = Attribute.objects.filter(label__in=chosen).prefetch_related("choices")
    by_label: dict[int, list[Attribute]] = {}
    for attribute in attributes.order_by("order", "id"):
        by_label.setdefault(attribute.label_id, []).append(attribute)
    return [
        ValueField(f"{slugs[label.pk]}{SEPARATOR}{attribute.key}", label, attribute)
        for label in chosen
        for attribute in by_label.get(label.pk, [])
    ]
