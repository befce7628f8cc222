"""The gold version of an article: what a curator adjudicated from its analysts' spans.

A Curation is the article's gold version and its lease (a curator holds it while working,
as a reviewer holds a review item); GoldSpans are its spans, apart from every analyst's
own (which stay as they are), each with the analysts' spans it came from (GoldSource); a
GoldEvent records every change, append-only. Nothing is deleted: a removed gold span keeps
its row (deleted_at) and its history.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from annotator.annotations.models import Label, Span
from annotator.articles.models import Article


class CurationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class CurationQuerySet(models.QuerySet["Curation"]):
    def claimable_by(self, curator_id: int, now: datetime) -> "CurationQuerySet":
        """Not finished, and free: never claimed, its lease run out, or the curator's own."""
        return self.filter(status=CurationStatus.IN_PROGRESS).filter(
            Q(claimed_by__isnull=True) | Q(claim_expires_at__lte=now) | Q(claimed_by_id=curator_id)
        )


class Curation(models.Model):
    Status = CurationStatus

    article = models.OneToOneField(Article, on_delete=models.PROTECT, related_name="curation")
    status = models.CharField(max_length=20, choices=Status, default=Status.IN_PROGRESS)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CurationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CurationStatus.values), name="curation_status_valid"
            ),
            # Target of the gold spans' composite foreign key (migration 0002).
            models.UniqueConstraint(fields=["id", "article"], name="curation_id_article"),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True, claim_expires_at__isnull=True)
                | Q(claimed_by__isnull=False, claim_expires_at__isnull=False),
                name="curation_claim_whole",
            ),
            models.CheckConstraint(
                condition=~Q(status=CurationStatus.FINISHED)
                | Q(finished_by__isnull=False, finished_at__isnull=False, claimed_by__isnull=True),
                name="curation_finished_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"gold of article {self.article_id}"


class GoldSpanQuerySet(models.QuerySet["GoldSpan"]):
    def live(self) -> "GoldSpanQuerySet":
        return self.filter(deleted_at__isnull=True)


class GoldSpan(models.Model):
    curation = models.ForeignKey(Curation, on_delete=models.PROTECT, related_name="spans")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="gold_spans")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="gold_spans")
    # Code points of the article text, as a Span's; the text and values are checked by the
    # same triggers as an analyst's span (migration 0001 here).
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    attributes = models.JSONField(default=dict, blank=True)
    sources = models.ManyToManyField(Span, through="GoldSource", related_name="gold_spans")
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoldSpanQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="goldspan_not_empty"),
            models.UniqueConstraint(
                fields=["curation", "label", "start", "end"],
                condition=Q(deleted_at__isnull=True),
                name="goldspan_live_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"gold {self.label_id} [{self.start}:{self.end}]"


class GoldSource(models.Model):
    """An analyst's span a gold span was accepted from."""

    gold = models.ForeignKey(GoldSpan, on_delete=models.PROTECT)
    span = models.ForeignKey(Span, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gold", "span"], name="goldsource_unique"),
        ]

    def __str__(self) -> str:
        return f"gold {self.gold_id} from span {self.span_id}"


class GoldEventKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted from an analyst")
    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    REMOVED = "removed", _("Removed")
    REJECTED = "rejected", _("Rejected")
    FINISHED = "finished", _("Finished")


class GoldEvent(models.Model):
    """One change of a gold version, append-only (a trigger refuses UPDATE and DELETE).

    `before`/`after`: the gold span's label id, start, end and values around the change;
    `sources`: the analysts' span ids it concerns (accepted from, or rejected).
    """

    Kind = GoldEventKind

    curation = models.ForeignKey(Curation, on_delete=models.PROTECT, related_name="events")
    gold = models.ForeignKey(
        GoldSpan, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    sources = models.JSONField(default=list, blank=True)
    # The page's action id: a retried request finds its events instead of acting twice.
    action_id = models.UUIDField(null=True, blank=True, db_index=True, default=None)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=GoldEventKind.values), name="goldevent_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.curation_id}"
