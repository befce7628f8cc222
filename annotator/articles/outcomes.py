"""The report of an upload or an import: one Outcome per file, archive member or record.

The upload form, `import_articles`, the span import and `import_spans` all report this way,
so a person reads every report the same: what was stored, what was already there, what
was refused and why.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from .models import Article


class Status(models.TextChoices):
    CREATED = "created", gettext_lazy("Created")
    DUPLICATE = "duplicate", gettext_lazy("Duplicate")
    IMPORTED = "imported", gettext_lazy("Imported")
    REJECTED = "rejected", gettext_lazy("Rejected")


@dataclass
class Outcome:
    name: str  # the file (or "archive.zip/member.txt")
    status: Status
    article: "Article | None" = None
    reason: str = ""  # why it was rejected, in plain words
    line: int | None = None  # the line in a .jsonl or interchange file, from 1
    where: str = ""  # a span import's record, as its format counts: "task 3 (id 41)"
    spans_created: int = 0  # span imports only
    spans_present: int = 0
    article_created: bool = False
    notes: str = ""  # what an import changed on the way: "text normalised: 2 line endings"

    @property
    def label(self) -> str:
        if self.where:
            return gettext("%(name)s, %(where)s") % {"name": self.name, "where": self.where}
        if self.line:
            return gettext("%(name)s, line %(line)d") % {"name": self.name, "line": self.line}
        return self.name


def summarise(outcomes: Iterable[Outcome]) -> dict[str, int]:
    """How many of each status, and "spans": the new spans of a span import."""
    outcomes = list(outcomes)
    counts = Counter(outcome.status for outcome in outcomes)
    return {
        **{status.value: counts[status] for status in Status},
        "spans": sum(outcome.spans_created for outcome in outcomes),
    }
