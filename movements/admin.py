from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Figure, Movement


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0


@admin.register(Movement)
class MovementAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "founded_year", "status", "updated_at"]
    list_filter = ["status", "kind", "countries"]
    search_fields = ["name", "acronym", "description"]
    autocomplete_fields = ["countries", "practices", "source"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FigureInline]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "status", "kind", "tags"]}),
        (_("Facts"), {"fields": ["countries", "founded_year", "description"]}),
        (_("Links"), {"fields": ["practices"]}),
        (_("Source"), {"fields": ["source", "locator"]}),
    ]
