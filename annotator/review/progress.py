"""The review dashboard's progress chart: work per week, handed in and reviewed, and any
series an app above this one adds (the gold versions of annotator.agreement register
theirs in its AppConfig.ready: review may not import them)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from annotator.annotations.models import Assignment
from annotator.charts import Chart, bars

WEEKS = 12
# (name, counts): counts(since) → {Monday: how many, that week}; names may be lazy.
Series = tuple[Any, Callable[[datetime], dict[date, int]]]
SERIES: list[Series] = []


def per_week(rows: QuerySet, field: str, since: datetime) -> dict[date, int]:  # type: ignore[type-arg]
    """How many rows have `field` in each week since `since`, by the week's Monday."""
    weekly = (
        rows.filter(**{f"{field}__gte": since})
        .annotate(week=TruncWeek(field))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {timezone.localdate(row["week"]): row["n"] for row in weekly}


def _handed_in(since: datetime) -> dict[date, int]:
    return per_week(Assignment.objects.all(), "submitted_at", since)


def _reviewed(since: datetime) -> dict[date, int]:
    return per_week(Assignment.objects.all(), "reviewed_at", since)


def register(name: Any, counts: Callable[[datetime], dict[date, int]]) -> None:
    SERIES.append((name, counts))


@dataclass(frozen=True)
class Progress:
    names: list[str]
    weeks: list[tuple[date, list[int]]]  # oldest first
    chart: Chart


def progress(now: datetime) -> Progress:
    """The last WEEKS weeks, this one included: one query per series."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    mondays = [monday - timedelta(weeks=k) for k in range(WEEKS - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(mondays[0], datetime.min.time()))
    series: list[Series] = [(_("handed in"), _handed_in), (_("reviewed"), _reviewed), *SERIES]
    counts = [(str(name), read(since)) for name, read in series]
    weeks = [(day, [found.get(day, 0) for _name, found in counts]) for day in mondays]
    top = max((n for _day, ns in weeks for n in ns), default=0) or 1
    chart = bars(
        [
            (
                formats.date_format(day, "SHORT_DATE_FORMAT"),
                [(name, n / top, str(n)) for (name, _f), n in zip(counts, ns, strict=True)],
            )
            for day, ns in weeks
            if any(ns)
        ]
    )
    return Progress([name for name, _read in counts], weeks, chart)
