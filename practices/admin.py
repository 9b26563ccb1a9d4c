from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Approach,
    Country,
    Organisation,
    Practice,
    Region,
    SourceDocument,
    Theme,
)


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "short_title", "publisher", "year"]
    search_fields = ["title", "short_title", "publisher"]
    prepopulated_fields = {"slug": ["short_title"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region__parent", "region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country", "source"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]


@admin.register(Approach)
class ApproachAdmin(admin.ModelAdmin):
    list_display = ["name", "theme", "order"]
    list_filter = ["theme"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["theme", "source"]
    list_select_related = ["theme"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "approach", "scope_label", "status", "updated_at"]
    list_filter = ["status", "approach__theme", "approach", "scope", "organisations"]
    search_fields = ["title", "summary", "organisations__name", "organisations__acronym"]
    autocomplete_fields = ["organisations", "approach", "scope_region", "countries", "source"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["approach"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "organisations", "approach", "tags"]}),
        (_("Where"), {"fields": ["scope", "scope_label", "scope_region", "countries"]}),
        (_("Content"), {"fields": ["summary", "body"]}),
        (_("Source"), {"fields": ["source", "locator"]}),
    ]
