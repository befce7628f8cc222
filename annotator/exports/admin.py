from django.contrib import admin

from annotator.annotations.admin import ReadOnlyAdmin

from .models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(ReadOnlyAdmin):
    """Read-only: the log is a record of what happened."""

    list_display = ["at", "user", "via", "format", "dialect", "exact", "row_count"]
    list_filter = ["via", "format", "dialect", "exact"]
    list_select_related = ["user"]
    date_hierarchy = "at"
