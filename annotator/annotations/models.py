import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, CharField, Count, Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from annotator.articles.models import Article
from annotator.refusal import Refused

# The attributes' models live in their own module; imported here, where Django finds models.
from .attributes import Attribute, InvalidValues, clean_values
from .attributes import AttributeChoice as AttributeChoice

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _colour_name(n: int) -> str:
    return gettext("Colour %(n)d") % {"n": n}


# Lazy, so that each request reads the names in its own language (a lazy string's % would
# fill it in, in English, at import).
PALETTE = [(n, lazy(_colour_name, str)(n)) for n in range(1, 9)]


class Label(models.Model):
    """A tag analysts apply; rows, not code. In use, it can be deactivated, never deleted."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.TextField(_("guideline"), blank=True)
    color = models.PositiveSmallIntegerField(_("colour"), choices=PALETTE)
    key = models.CharField(_("keyboard key"), max_length=1, help_text=_("A digit from 1 to 9."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # Changes with every change of the label's attributes or their choices (migration 0009's
    # triggers): what attributes.Schema keeps of them is current while this is the same.
    attributes_version = models.BigIntegerField(default=0, editable=False)
    # Off: no suggestion of this label is shown (built-in rules or a model's predictions).
    suggest = models.BooleanField(_("show suggestions"), default=True, db_default=True)

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
            # "Claim" and "claim" would look like one label in every list.
            models.UniqueConstraint(Lower("name"), name="label_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def validate_attributes(
        self,
        values: Mapping[str, Any],
        article_text: str,
        *,
        stored: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """`values` for a span of this label, cleaned ("213" → 213), or InvalidValues (a
        Refused) naming each attribute and what is wrong. `stored`: the span's values that
        stay unchanged. See annotations.attributes for the encoding."""
        return clean_values(self, values, article_text, stored=stored)

    def keep_valid_attributes(self, values: Mapping[str, Any], article_text: str) -> dict[str, Any]:
        """The part of `values` still valid for this label: what an undo or a reviewer's
        redrawn span can carry over when an attribute or a choice was switched off since."""
        try:
            return self.validate_attributes(values, article_text)
        except InvalidValues as invalid:
            kept = {key: value for key, value in values.items() if key not in invalid.errors}
            return self.validate_attributes(kept, article_text)


class Workflow(models.Model):
    """Project-wide switches an admin can flip; a single row (pk=1)."""

    self_assignment = models.BooleanField(_("analysts may take unassigned articles"), default=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="workflow_single_row")]

    def __str__(self) -> str:
        return "workflow"

    @classmethod
    def current(cls) -> "Workflow":
        return cls.objects.get_or_create(pk=1)[0]


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def editable(self) -> "AssignmentQuerySet":
        """Work its analyst may still change: in progress, or returned by a reviewer."""
        return self.filter(status__in=Assignment.EDITABLE)

    def handed_in(self) -> "AssignmentQuerySet":
        """Work its analyst has handed in: submitted, or approved since."""
        return self.filter(status__in=Assignment.HANDED_IN)

    def submitted(self) -> "AssignmentQuerySet":
        return self.filter(status=Assignment.Status.SUBMITTED)

    def waiting(self, now: datetime) -> "AssignmentQuerySet":
        """Submitted, and nobody holds a live claim on it."""
        return self.submitted().exclude(Assignment.live_claim(now))

    def in_review(self, now: datetime) -> "AssignmentQuerySet":
        """Submitted, and a reviewer holds a live claim on it."""
        return self.submitted().filter(Assignment.live_claim(now))

    def held_by(self, reviewer: "User", now: datetime) -> "AssignmentQuerySet":
        return self.in_review(now).filter(claimed_by=reviewer)

    def oldest_first(self) -> "AssignmentQuerySet":
        """The review queue's order (index assignment_queue_idx)."""
        return self.order_by("submitted_at", "id")

    def with_span_count(self) -> "AssignmentQuerySet":
        """Each with n_spans, its number of live spans."""
        return self.annotate(n_spans=Count("spans", filter=Q(spans__deleted_at__isnull=True)))

    def progress(self) -> dict[str, int]:
        """{"total": …, "done": …}: how many there are, how many are handed in."""
        return self.aggregate(
            total=Count("id"), done=Count("id", filter=Q(status__in=Assignment.HANDED_IN))
        )


# Choices live beside their model, not inside it, so that its Meta can name them in
# constraints; each model exposes them as Model.Status (or .Kind).
class AssignmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class Assignment(models.Model):
    """One analyst's work on one article: what they tag, submit, and reviewers judge."""

    Status = AssignmentStatus
    EDITABLE = (Status.IN_PROGRESS, Status.RETURNED)
    HANDED_IN = (Status.SUBMITTED, Status.APPROVED)

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
    # Suggestions are shown in this work (chosen for each batch when assigning: an agreement
    # study runs unprimed); suggested_at: when they were first shown (the dashboard's count).
    suggestions = models.BooleanField(default=True, db_default=True)
    suggested_at = models.DateTimeField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "analyst"], name="assignment_unique"),
            # Target of the spans' composite foreign key (see migration 0002).
            models.UniqueConstraint(
                fields=["id", "article", "analyst"], name="assignment_id_article_analyst"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
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
                condition=Q(claimed_by__isnull=True) | Q(status=AssignmentStatus.SUBMITTED),
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
                condition=Q(status=AssignmentStatus.SUBMITTED),
            ),
            models.Index(fields=["analyst", "status"], name="assignment_analyst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} by {self.analyst_id}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @staticmethod
    def live_claim(now: datetime) -> Q:
        """A reviewer claimed it and the lease has not run out (see claim_is_live)."""
        return Q(claimed_by__isnull=False, claim_expires_at__gt=now)

    def claim_is_live(self, now: datetime) -> bool:
        """live_claim, for a row already loaded."""
        return (
            self.claimed_by_id is not None
            # Set with every claim (constraint assignment_claim_has_lease).
            and self.claim_expires_at is not None
            and self.claim_expires_at > now
        )

    def is_held_by(self, reviewer: "User", now: datetime) -> bool:
        """Submitted, and `reviewer` holds a live claim on it: they may decide."""
        return (
            self.status == self.Status.SUBMITTED
            and self.claimed_by_id == reviewer.pk
            and self.claim_is_live(now)
        )


class SpanQuerySet(models.QuerySet["Span"]):
    def live(self) -> "SpanQuerySet":
        """Not deleted: "delete" hides a span, its row and history stay."""
        return self.filter(deleted_at__isnull=True)

    def undecided(self) -> "SpanQuerySet":
        return self.live().filter(status=Span.Status.PENDING)

    def handed_in(self) -> "SpanQuerySet":
        """Live spans of handed-in work: all an export or a reviewer's figure may see.

        Spans of work in progress, or returned to its analyst, are drafts.
        """
        return self.live().filter(assignment__status__in=Assignment.HANDED_IN)

    def in_page_order(self) -> "SpanQuerySet":
        return self.order_by("start", "end", "id")

    def missing_required(self) -> "SpanQuerySet":
        """Live spans without a value for a required, active attribute of their label (null,
        "unknown", counts as a value). Work is submitted only without them (migration 0007's
        trigger keeps the same rule)."""
        missing = (
            Attribute.objects.active()
            .filter(label=OuterRef("label"), required=True)
            .alias(
                present=Func(
                    OuterRef("attributes"),
                    F("key"),
                    function="jsonb_exists",
                    output_field=BooleanField(),
                )
            )
            .filter(present=False)
        )
        return self.live().filter(Exists(missing))


class SpanStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Span(models.Model):
    Status = SpanStatus

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
    # The reviewer's reason for a rejection or a relabelling (the name predates the latter).
    reject_reason = models.TextField(blank=True)
    # A span a reviewer drew while reviewing (null: the analyst's own). It belongs to the
    # analyst's work (annotator stays the analyst, see migration 0002's composite key);
    # `corrects` is the analyst's span it replaces, kept and rejected beside it.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # "Delete" hides a span; its row and history stay.
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Values of its label's attributes, by key (see annotations.attributes); changed only
    # through spans.set_attributes, checked by a trigger (migration 0007).
    attributes = models.JSONField(default=dict, db_default=Value({}, models.JSONField()))

    objects = SpanQuerySet.as_manager()

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
                condition=Q(status__in=SpanStatus.values), name="span_status_valid"
            ),
            # Separation of duties: a reviewer's span is never the analyst's own.
            models.CheckConstraint(
                condition=Q(added_by__isnull=True) | ~Q(added_by=F("annotator")),
                name="span_added_by_not_analyst",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | Q(added_by__isnull=False),
                name="span_correction_by_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(corrects=F("id")),
                name="span_not_own_correction",
            ),
            models.CheckConstraint(
                condition=Exact(
                    Func(F("attributes"), function="jsonb_typeof", output_field=CharField()),
                    "object",
                ),
                name="span_attributes_object",
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

    def __str__(self) -> str:
        return f"{self.label_id} [{self.start}:{self.end}]"


class SpanEventQuerySet(models.QuerySet["SpanEvent"]):
    def replayed(
        self, action_id: uuid.UUID | None, *, actor: "User", assignment: "Assignment"
    ) -> "SpanEvent | None":
        """The event a request with this action id already made, or None.

        A retried request (the answer was lost, the key pressed twice) carries the id of the
        first, so the change is made once. An id used by someone else, or on other work, is
        refused rather than answered with that change.
        """
        if action_id is None:
            return None
        event = self.filter(action_id=action_id).select_related("span").first()
        if event is not None and (
            event.actor_id != actor.pk or event.assignment_id != assignment.pk
        ):
            raise Refused(
                gettext("This request was already used for another change; reload the page.")
            )
        return event

    def decisions(self) -> "SpanEventQuerySet":
        """A reviewer's decisions: only they record a status (the analyst's edits do not)."""
        return self.exclude(status_after="")


class SpanEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    DELETED = "deleted", _("Deleted")
    RESTORED = "restored", _("Restored")
    RELABELED = "relabeled", _("Relabelled")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CORRECTED = "corrected", _("Corrected")
    ATTRIBUTES = "attributes", _("Values changed")


class SpanEvent(models.Model):
    """Append-only history of a span (a trigger refuses UPDATE and DELETE)."""

    Kind = SpanEventKind

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
    # The span's attribute values before and after (null: the event did not touch them).
    attributes_before = models.JSONField(null=True, blank=True)
    attributes_after = models.JSONField(null=True, blank=True)
    undoes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by"
    )
    # Client-generated id: a retried request is recognised, not applied twice.
    action_id = models.UUIDField(null=True, blank=True, unique=True, default=None)
    # A span made by accepting a suggestion: where it came from.
    suggestion = models.ForeignKey(
        "Suggestion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SpanEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SpanEventKind.values), name="spanevent_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "actor", "-id"], name="spanevent_undo_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.span_id}"


# --- Suggestions: spans a rule or a model proposes, shown to analysts, never spans until one
# of them accepts it (annotations.suggestions). ---------------------------------------------


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def undecided_in(self, assignment: Assignment) -> "SuggestionQuerySet":
        """Suggestions of the article of `assignment`, of active labels that show
        suggestions, not decided in this work; none if the work shows no suggestions."""
        if not assignment.suggestions:
            return self.none()
        decided = SuggestionDecision.objects.filter(
            assignment=assignment, suggestion=OuterRef("pk")
        )
        return (
            self.filter(
                article_id=assignment.article_id, label__is_active=True, label__suggest=True
            )
            .exclude(Exists(decided))
            .order_by("start", "end", "id")
        )

    def shown_in(self, assignment: Assignment) -> "SuggestionQuerySet":
        """What the analyst of `assignment` still has to decide: undecided_in, but for those
        already drawn there as a live span (same label and bounds)."""
        drawn = Span.objects.live().filter(
            assignment=assignment, label=OuterRef("label"), start=OuterRef("start"),
            end=OuterRef("end"),
        )  # fmt: skip
        return self.undecided_in(assignment).exclude(Exists(drawn))


class Suggestion(models.Model):
    RULES = "rules"  # the built-in French rules (annotator.suggestions.rules)

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="suggestions")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()  # article.text[start:end], checked by the span's trigger
    attributes = models.JSONField(default=dict, db_default=Value({}, models.JSONField()))
    source = models.CharField(max_length=100)  # RULES, or the model's name
    model_version = models.CharField(max_length=100, blank=True)
    score = models.FloatField(null=True, blank=True)  # a model's confidence, in [0, 1]
    reason = models.CharField(max_length=200, blank=True)  # "guillemets + a déclaré"
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="suggestion_not_empty"
            ),
            models.CheckConstraint(
                condition=Exact(Length("text"), F("end") - F("start")),
                name="suggestion_text_matches_offsets",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="suggestion_score_in_unit_range",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="suggestion_has_source"),
            models.UniqueConstraint(
                fields=["article", "source", "model_version", "label", "start", "end"],
                name="suggestion_unique",
            ),
        ]
        indexes = [models.Index(fields=["article", "start"], name="suggestion_article_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.label_id} [{self.start}:{self.end}]"


class SuggestionRun(models.Model):
    """The built-in rules of a version have read this article: they do not run on it again,
    even when they found nothing."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=100)
    version = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "source", "version"], name="suggestionrun_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.version} on {self.article_id}"


class SuggestionDecisionKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class SuggestionDecision(models.Model):
    """An analyst's answer to a suggestion in their work; append-only (a trigger)."""

    Kind = SuggestionDecisionKind

    suggestion = models.ForeignKey(Suggestion, on_delete=models.PROTECT, related_name="decisions")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="suggestion_decisions"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    span = models.OneToOneField(
        Span, on_delete=models.PROTECT, null=True, blank=True, related_name="suggested_by"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action_id = models.UUIDField(null=True, blank=True, unique=True, default=None)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "assignment"], name="suggestiondecision_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SuggestionDecisionKind.values),
                name="suggestiondecision_kind_valid",
            ),
            # Accepting makes a span; rejecting none.
            models.CheckConstraint(
                condition=Q(kind=SuggestionDecisionKind.ACCEPTED, span__isnull=False)
                | Q(kind=SuggestionDecisionKind.REJECTED, span__isnull=True),
                name="suggestiondecision_span_iff_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.suggestion_id} in {self.assignment_id}"
