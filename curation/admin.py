from django.contrib import admin

from .models import Tombstone


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Takedowns, as they were recorded: nobody edits one. Deleting one (the delete permission,
    which publishers have) lets load_content and import_kb bring the record back."""

    list_display = ["object_repr", "content_type", "kind", "taken_down_by", "taken_down_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["object_repr", "natural_key", "reason"]
    date_hierarchy = "taken_down_at"
    fields = [
        "object_repr",
        "content_type",
        "natural_key",
        "seed_key",
        "kind",
        "reason",
        "taken_down_by",
        "taken_down_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
