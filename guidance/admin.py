from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from curation.publishing import PublishableAdmin

from .models import (
    Definition,
    Finding,
    InfographicGroup,
    MemberType,
    Phase,
    Principle,
    Resource,
    Section,
    TaggedPrinciple,
    ValueAdd,
)


class OrderedItemAdmin(admin.ModelAdmin):
    list_editable = ["order"]
    autocomplete_fields = ["source"]


@admin.register(Section)
class SectionAdmin(OrderedItemAdmin):
    list_display = ["number", "title", "order"]
    search_fields = ["number", "title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(InfographicGroup)
class InfographicGroupAdmin(OrderedItemAdmin):
    list_display = ["number", "title", "order"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Principle)
class PrincipleAdmin(PublishableAdmin):
    list_display = ["title", "status", "section", "order", "infographic_group"]
    list_filter = [
        "status",
        "section",
        "infographic_group",
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "explanation", "short_title"]
    autocomplete_fields = ["section", "infographic_group", "practices", "movements", "source"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["section", "infographic_group"]
    history_related = [(_("tags"), TaggedPrinciple, "content_object", "tag")]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")

    def choice_label(self, principle):
        """A principle among choices, with its section's number ("7.2 Seek consent ...")."""
        return f"{principle.section.number} {principle.title}"


@admin.register(Phase)
class PhaseAdmin(OrderedItemAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ValueAdd)
class ValueAddAdmin(OrderedItemAdmin):
    list_display = ["text", "order"]
    search_fields = ["text"]


@admin.register(Finding)
class FindingAdmin(OrderedItemAdmin):
    list_display = ["__str__", "kind", "order"]
    list_filter = ["kind", "countries"]
    search_fields = ["text"]
    autocomplete_fields = ["countries", "source"]


@admin.register(Definition)
class DefinitionAdmin(OrderedItemAdmin):
    list_display = ["term", "attribution", "order"]
    search_fields = ["term", "text"]
    prepopulated_fields = {"slug": ["term"]}


@admin.register(MemberType)
class MemberTypeAdmin(OrderedItemAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Resource)
class ResourceAdmin(OrderedItemAdmin):
    list_display = ["title", "author", "year", "category", "order"]
    list_filter = ["category"]
    search_fields = ["title", "author"]
