from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from annotator.annotations.models import Assignment


class ReviewEventKind(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned to analyst")


class ReviewEvent(models.Model):
    """Append-only history of how each submission ended (a trigger refuses UPDATE and DELETE).

    Assignment keeps only the latest outcome (status, reviewed_by, return_comment); a second
    return overwrites the first comment. These rows keep every one. Span decisions are
    SpanEvents, next to the analyst's own changes.
    """

    Kind = ReviewEventKind

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="review_events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    at = models.DateTimeField(auto_now_add=True)
    # Which submission this outcome answers (the analyst may submit several times).
    submitted_at = models.DateTimeField()
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ReviewEventKind.values), name="reviewevent_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=ReviewEventKind.RETURNED) | ~Q(comment=""),
                name="reviewevent_return_has_comment",
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "at"], name="reviewevent_assignment_idx"),
            models.Index(fields=["actor", "kind"], name="reviewevent_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.assignment_id}"
