"""What the format readers hand to the importer: a record to import, or a problem with it."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard


@dataclass
class SpanIn:
    start: int  # code points, as stored here
    end: int
    label: str
    text: str | None = None  # the covered text, when the file states it


@dataclass
class Candidate:
    line: int | None  # the file's line, when the format has one record per line
    text: str
    spans: list[SpanIn] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    where: str = ""  # the record as the report names it: "line 3", "task 3 (id 41)"


@dataclass
class Problem:
    line: int | None
    where: str  # as Candidate.where; empty for the whole file
    reason: str


def is_offset(value: object) -> TypeGuard[int]:
    """JSON integers only: 3.0, "3" and true are not offsets."""
    return isinstance(value, int) and not isinstance(value, bool)


def metadata_from(mapping: Mapping[str, Any]) -> dict[str, str]:
    """Article metadata a file may carry (our own exports do); other keys are ignored."""
    keys = ("title", "source", "url", "published_at")
    return {key: mapping[key] for key in keys if isinstance(mapping.get(key), str)}
