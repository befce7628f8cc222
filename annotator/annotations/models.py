from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from annotator.articles.models import Article

PALETTE = [(n, _("Colour %(n)d") % {"n": n}) for n in range(1, 9)]


class Label(models.Model):
    """A tag analysts apply; rows, not code. In use, it can be deactivated, never deleted."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.TextField(_("guideline"), blank=True)
    color = models.PositiveSmallIntegerField(_("colour"), choices=PALETTE)
    key = models.CharField(_("keyboard key"), max_length=1, help_text=_("A digit from 1 to 9."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(key__regex=r"^[1-9]$"), name="label_key_digit"),
            models.CheckConstraint(
                condition=Q(color__gte=1, color__lte=8), name="label_color_palette"
            ),
            models.UniqueConstraint(
                fields=["key"], condition=Q(is_active=True), name="label_active_key_unique"
            ),
        ]

    def __str__(self):
        return self.name


class Workflow(models.Model):
    """Project-wide switches an admin can flip; a single row (pk=1)."""

    self_assignment = models.BooleanField(_("analysts may take unassigned articles"), default=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="workflow_single_row")]

    def __str__(self):
        return "workflow"

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0]


class Assignment(models.Model):
    """One analyst's work on one article: what they tag, submit, and reviewers judge."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    EDITABLE = (Status.IN_PROGRESS, Status.RETURNED)

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="assignments")
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.IN_PROGRESS)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Review: a lease, so an abandoned claim returns to the queue by itself.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "analyst"], name="assignment_unique"),
            # Target of the spans' composite foreign key (see migration 0002).
            models.UniqueConstraint(
                fields=["id", "article", "analyst"], name="assignment_id_article_analyst"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["in_progress", "submitted", "returned", "approved"]),
                name="assignment_status_valid",
            ),
            # Separation of duties, kept by the database itself.
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | ~Q(claimed_by=F("analyst")),
                name="assignment_no_self_claim",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=F("analyst")),
                name="assignment_no_self_review",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | Q(status="submitted"),
                name="assignment_claim_only_when_submitted",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True, claim_expires_at__isnull=True)
                | Q(claimed_by__isnull=False, claim_expires_at__isnull=False),
                name="assignment_claim_has_lease",
            ),
        ]
        indexes = [
            # Review queue: oldest submission first.
            models.Index(
                fields=["submitted_at", "id"],
                name="assignment_queue_idx",
                condition=Q(status="submitted"),
            ),
            models.Index(fields=["analyst", "status"], name="assignment_analyst_idx"),
        ]

    def __str__(self):
        return f"{self.article_id} by {self.analyst_id}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE


class Span(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="spans")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="spans")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spans"
    )
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="spans")
    # Code points of the stored article text, as Python indexes a str.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()  # snapshot of article.text[start:end]
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # "Delete" hides a span; its row and history stay.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="span_start_before_end"
            ),
            models.CheckConstraint(
                condition=Exact(Length("text"), F("end") - F("start")),
                name="span_text_matches_offsets",
            ),
            models.UniqueConstraint(
                fields=["article", "annotator", "label", "start", "end"],
                condition=Q(deleted_at__isnull=True),
                name="span_unique_live",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="span_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["assignment", "start"],
                name="span_assignment_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            models.Index(fields=["status", "id"], name="span_status_idx"),
        ]

    def __str__(self):
        return f"{self.label_id} [{self.start}:{self.end}]"


class SpanEvent(models.Model):
    """Append-only history of a span (a trigger refuses UPDATE and DELETE)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        DELETED = "deleted", _("Deleted")
        RESTORED = "restored", _("Restored")
        RELABELED = "relabeled", _("Relabelled")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    span = models.ForeignKey(Span, on_delete=models.PROTECT, related_name="events")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    at = models.DateTimeField(auto_now_add=True)
    label_before = models.ForeignKey(
        Label, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    label_after = models.ForeignKey(
        Label, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)
    reason = models.TextField(blank=True)
    undoes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by"
    )
    # Client-generated id: a retried request is recognised, not applied twice.
    action_id = models.UUIDField(null=True, blank=True, unique=True, default=None)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=["created", "deleted", "restored", "relabeled", "approved", "rejected"]
                ),
                name="spanevent_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "actor", "-id"], name="spanevent_undo_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.span_id}"
