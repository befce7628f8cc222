"""The review queue: which submissions wait, and handing the next one to a reviewer.

An item is an Assignment with status "submitted". A reviewer *claims* it for a lease
(REVIEW_LEASE_MINUTES); when the lease runs out the item is back in the queue without anyone
having to release it. The database refuses a claim on one's own work
(assignment_no_self_claim), and `claim_next` never offers it.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from annotator.annotations.models import Assignment, AssignmentQuerySet, Label, Span

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def lease() -> timedelta:
    return timedelta(minutes=settings.REVIEW_LEASE_MINUTES)


def filtered(
    items: AssignmentQuerySet,
    *,
    analyst: "User | None" = None,
    source: str = "",
    label: Label | None = None,
) -> AssignmentQuerySet:
    """The queue page's filters; a label filter keeps items with a live span of that label."""
    if analyst is not None:
        items = items.filter(analyst=analyst)
    if source:
        items = items.filter(article__source=source)
    if label is not None:
        items = items.filter(
            Exists(Span.objects.live().filter(assignment=OuterRef("pk"), label=label))
        )
    return items


def attach_label_counts(items: Iterable[Assignment]) -> None:
    """item.label_counts = [(label, n), …] in label order, in one query for the whole page."""
    items = list(items)
    rows = (
        Span.objects.live()
        .filter(assignment__in=items)
        .values("assignment_id", "label_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row["assignment_id"], {})[row["label_id"]] = row["n"]
    labels = list(Label.objects.all()) if counts else []
    for item in items:
        mine = counts.get(item.pk, {})
        # For the queue page's template: an attribute of these instances, not of the model.
        item.label_counts = [  # type: ignore[attr-defined]
            (label, mine[label.pk]) for label in labels if label.pk in mine
        ]


# The held item, else the oldest free item not the reviewer's own, claimed: one statement,
# built from the queue's own QuerySets (held_by, waiting). SKIP LOCKED: reviewers starting
# at the same moment each pass over the rows the others are claiming, so nobody waits and
# no two get the same item; the UPDATE's WHERE is checked again on a row changed since the
# statement began, so a just-committed claim is not taken.
# The whole row comes back, so no second query loads it: a held row from the table, a
# claimed one from RETURNING (the main query sees the table as it was before the UPDATE).
_CLAIM = """
WITH held AS ({held}), free AS ({free} FOR UPDATE SKIP LOCKED), claimed AS (
    UPDATE annotations_assignment a SET claimed_by_id = %s, claim_expires_at = %s
    FROM free WHERE a.id = free.id
    RETURNING a.*
)
SELECT a.*, true AS resumed FROM annotations_assignment a JOIN held ON a.id = held.id
UNION ALL SELECT claimed.*, false FROM claimed
"""
# Stand-ins for the reviewer's id and the time, which _claim_statement's SQL is compiled
# with; claim_next puts the real values in their places. No id or time is ever these.
_REVIEWER = -1
_NOW = datetime(1970, 1, 1, tzinfo=UTC)


@cache
def _claim_statement() -> tuple[str, tuple[Any, ...]]:
    """The claim's SQL and its parameters, the stand-ins among them, compiled once per
    process: compiling the two QuerySets took longer than running the statement."""
    reviewer = get_user_model()(pk=_REVIEWER)
    held = Assignment.objects.held_by(reviewer, _NOW)
    free = (
        Assignment.objects.waiting(_NOW)
        .exclude(analyst=reviewer)
        .exclude(Exists(held))  # a reviewer holds one item at a time
        .oldest_first()
        .values("id")[:1]
    )
    held_sql, held_params = held.oldest_first().values("id")[:1].query.sql_with_params()
    free_sql, free_params = free.query.sql_with_params()
    statement = _CLAIM.format(held=held_sql, free=free_sql)
    return statement, (*held_params, *free_params, _REVIEWER)


@transaction.atomic
def claim_next(reviewer: "User") -> tuple[Assignment | None, bool]:
    """Claim the oldest free item that is not the reviewer's own work.

    Returns (assignment, resumed): a reviewer who still holds a claim gets that item back
    (resumed=True) rather than a second one; (None, False) when nothing is waiting.
    """
    # Lock the reviewer's own row first, in its own statement, so that two clicks on "Start
    # reviewing" run one after the other: the second statement's snapshot is taken after
    # the first click committed, so it sees that claim and resumes it.
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=reviewer.pk)
    now = timezone.now()
    statement, compiled = _claim_statement()
    values: dict[Any, Any] = {_REVIEWER: reviewer.pk, _NOW: now}
    params = [values.get(param, param) for param in compiled]
    rows = list(Assignment.objects.raw(statement, [*params, now + lease()]))
    if not rows:
        return None, False
    return rows[0], rows[0].resumed  # type: ignore[attr-defined]  # the statement's column


def release(assignment_id: int, reviewer: "User") -> bool:
    """Give a claimed item back to the queue now; False if the reviewer did not hold it.

    One conditional UPDATE: it applies only while the claim is still theirs.
    """
    released = (
        Assignment.objects.submitted()
        .filter(pk=assignment_id, claimed_by=reviewer)
        .update(claimed_by=None, claim_expires_at=None)
    )
    return released == 1
