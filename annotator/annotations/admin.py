from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Assignment, Label, Span, SpanEvent, Workflow


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "color", "order", "is_active"]
    list_editable = ["order", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Label | None = None) -> bool:
        # A label in use is deactivated, never deleted (spans point at it).
        if obj is not None and obj.spans.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    list_display = ["__str__", "self_assignment"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Workflow.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Workflow | None = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["article", "analyst", "status", "submitted_at", "claimed_by"]
    list_filter = ["status"]
    list_select_related = ["article", "analyst", "claimed_by"]
    raw_id_fields = ["article"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that change only through the app (which writes their history), never here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Span)
class SpanAdmin(ReadOnlyAdmin):
    list_display = ["id", "article", "annotator", "label", "start", "end", "status", "deleted_at"]
    list_filter = ["status", "label"]
    list_select_related = ["article", "annotator", "label"]


@admin.register(SpanEvent)
class SpanEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "span", "kind", "actor", "at"]
    list_filter = ["kind"]
    list_select_related = ["actor"]
