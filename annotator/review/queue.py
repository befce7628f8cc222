"""The review queue: which submissions wait, and handing the next one to a reviewer.

An item is an Assignment with status "submitted". A reviewer *claims* it for a lease
(REVIEW_LEASE_MINUTES); when the lease runs out the item is back in the queue without anyone
having to release it. The database refuses a claim on one's own work
(assignment_no_self_claim), and `claim_next` never offers it.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from annotator.annotations.models import Assignment, Label, Span


def lease():
    return timedelta(minutes=settings.REVIEW_LEASE_MINUTES)


def submitted():
    return Assignment.objects.filter(status=Assignment.Status.SUBMITTED)


def waiting(now):
    """Submitted and free: never claimed, or the claim's lease has run out."""
    return submitted().filter(Q(claimed_by__isnull=True) | Q(claim_expires_at__lte=now))


def in_review(now):
    return submitted().filter(claimed_by__isnull=False, claim_expires_at__gt=now)


def oldest_first(items):
    return items.order_by("submitted_at", "id")  # index assignment_queue_idx


def filtered(items, *, analyst=None, source="", label=None):
    """The queue page's filters; a label filter keeps items with a live span of that label."""
    if analyst is not None:
        items = items.filter(analyst=analyst)
    if source:
        items = items.filter(article__source=source)
    if label is not None:
        items = items.filter(
            Exists(
                Span.objects.filter(assignment=OuterRef("pk"), label=label, deleted_at__isnull=True)
            )
        )
    return items


def attach_label_counts(items):
    """item.label_counts = [(label, n), …] in label order, in one query for the whole page."""
    items = list(items)
    rows = (
        Span.objects.filter(assignment__in=items, deleted_at__isnull=True)
        .values("assignment_id", "label_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["assignment_id"], {})[row["label_id"]] = row["n"]
    labels = list(Label.objects.all()) if counts else []
    for item in items:
        mine = counts.get(item.pk, {})
        item.label_counts = [(label, mine[label.pk]) for label in labels if label.pk in mine]
        item.span_total = sum(mine.values())


def held_by(reviewer, now):
    return in_review(now).filter(claimed_by=reviewer)


# The held item, else the oldest free item not the reviewer's own, claimed: one statement.
# SKIP LOCKED: reviewers starting at the same moment each pass over the rows the others are
# claiming, so nobody waits and no two get the same item; the UPDATE's WHERE is checked
# again on a row changed since the statement began, so a just-committed claim is not taken.
_CLAIM = """
WITH held AS (
    SELECT id FROM annotations_assignment
    WHERE status = 'submitted' AND claimed_by_id = %(reviewer)s AND claim_expires_at > %(now)s
    ORDER BY submitted_at, id LIMIT 1
), free AS (
    SELECT id FROM annotations_assignment
    WHERE NOT EXISTS (SELECT 1 FROM held)
      AND status = 'submitted' AND (claimed_by_id IS NULL OR claim_expires_at <= %(now)s)
      AND analyst_id <> %(reviewer)s
    ORDER BY submitted_at, id LIMIT 1
    FOR UPDATE SKIP LOCKED
), claimed AS (
    UPDATE annotations_assignment a SET claimed_by_id = %(reviewer)s, claim_expires_at = %(until)s
    FROM free WHERE a.id = free.id
    RETURNING a.id
)
SELECT id, true FROM held UNION ALL SELECT id, false FROM claimed
"""


@transaction.atomic
def claim_next(reviewer):
    """Claim the oldest free item that is not the reviewer's own work.

    Returns (assignment, resumed): a reviewer who still holds a claim gets that item back
    (resumed=True) rather than a second one; (None, False) when nothing is waiting.
    """
    # Lock the reviewer's own row first, in its own statement, so that two clicks on "Start
    # reviewing" run one after the other: the second statement's snapshot is taken after
    # the first click committed, so it sees that claim and resumes it.
    get_user_model().objects.select_for_update(no_key=True).only("pk").get(pk=reviewer.pk)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, {"reviewer": reviewer.pk, "now": now, "until": now + lease()})
        row = cursor.fetchone()
    if row is None:
        return None, False
    return Assignment.objects.get(pk=row[0]), row[1]


def release(assignment_id, reviewer):
    """Give a claimed item back to the queue now; False if the reviewer did not hold it.

    One conditional UPDATE: it applies only while the claim is still theirs.
    """
    released = Assignment.objects.filter(
        pk=assignment_id, status=Assignment.Status.SUBMITTED, claimed_by=reviewer
    ).update(claimed_by=None, claim_expires_at=None)
    return released == 1
