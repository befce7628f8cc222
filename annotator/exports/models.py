from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dialects import DIALECTS


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV, one row per span")
    DOCCANO = "doccano", _("doccano JSONL (sequence labeling)")
    LABEL_STUDIO = "labelstudio", _("Label Studio JSON tasks")


class ExportVia(models.TextChoices):
    WEB = "web", _("Web download")
    COMMAND = "command", _("export_spans command")


class ExportLog(models.Model):
    """Who exported what, when, and how many rows the file held.

    The row is written before the first byte is sent (so an export that dies half-way still
    leaves a trace) and completed, in its own short transaction, once the last byte has
    gone: `row_count` is then the number of records actually written.
    """

    Format = ExportFormat
    Via = ExportVia

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the export_spans command."),
    )
    at = models.DateTimeField(default=timezone.now)
    via = models.CharField(max_length=10, choices=Via)
    format = models.CharField(max_length=20, choices=Format)
    dialect = models.CharField(max_length=20, blank=True)
    filters = models.JSONField(default=dict)
    # Cells written untouched (no formula escape): only ever from the command.
    exact = models.BooleanField(default=False)
    # CSV rows, JSONL lines or Label Studio tasks written; empty until the export finished.
    row_count = models.PositiveBigIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(via__in=ExportVia.values), name="exportlog_via_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=ExportFormat.values), name="exportlog_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(dialect__in=["", *DIALECTS]),
                name="exportlog_dialect_valid",
            ),
            # Web downloads always escape formula cells.
            models.CheckConstraint(
                condition=Q(exact=False) | Q(via=ExportVia.COMMAND),
                name="exportlog_exact_only_command",
            ),
            models.CheckConstraint(
                condition=Q(row_count__isnull=True, completed_at__isnull=True)
                | Q(row_count__isnull=False, completed_at__isnull=False),
                name="exportlog_count_when_completed",
            ),
        ]
        indexes = [models.Index(fields=["-at"], name="exportlog_at_idx")]

    def __str__(self) -> str:
        return f"{self.format} by {self.user_id or 'command'} at {self.at:%Y-%m-%d %H:%M}"

    def complete(self, row_count: int) -> None:
        """Record the number of records written; one UPDATE, committed on its own."""
        self.row_count = row_count
        self.completed_at = timezone.now()
        ExportLog.objects.filter(pk=self.pk).update(
            row_count=row_count, completed_at=self.completed_at
        )
