"""The admin of practices and what organises them (organisations, themes, approaches, places,
source documents, tags); the framework it builds on is curation's."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from curation.forms import CuratedForm
from curation.publishing import PublishableAdmin
from curation.record_admin import CuratedAdmin

from .models import (
    Approach,
    Country,
    Organisation,
    Partner,
    Practice,
    PracticeLink,
    Region,
    SourceDocument,
    TaggedPractice,
    Theme,
)
from .narrative import NARRATIVE_FIELDS

WIDE_SCOPES = {Practice.Scope.GLOBAL, Practice.Scope.REGIONAL, Practice.Scope.MULTI_COUNTRY}


class PracticeForm(CuratedForm):
    def clean_field_locators(self):
        return self.cleaned_data.get("field_locators") or {}

    def clean(self):
        cleaned = super().clean()
        if "countries" in cleaned and "scope" in self.fields:
            if not cleaned["countries"] and cleaned.get("scope") not in WIDE_SCOPES:
                raise ValidationError(
                    {
                        "scope": ValidationError(
                            _("Give the countries or a scope (global, regional, multi-country)."),
                            code="no_place",
                        )
                    }
                )
        return cleaned


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
    autocomplete_fields = ["parent"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region__parent", "region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


# Organisation and tag names show on the pages of the practices and movements they are linked
# to: whoever may publish practices makes changes to them live (atlas/admin.py: the tags).
NAMES_PUBLISHED_WITH = "practices.publish_practice"


@admin.register(Organisation)
class OrganisationAdmin(CuratedAdmin):
    publish_permission = NAMES_PUBLISHED_WITH
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country", "source"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country"]


@admin.register(Theme)
class ThemeAdmin(CuratedAdmin):
    list_display = ["name", "order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]


@admin.register(Approach)
class ApproachAdmin(CuratedAdmin):
    fields = ["source", "locator", "theme", "name", "slug", "description", "order"]
    list_display = ["name", "theme", "order"]
    list_filter = ["theme"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["theme", "source"]
    list_select_related = ["theme"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["organisation"]


class PracticeLinkInline(admin.TabularInline):
    model = PracticeLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Practice)
class PracticeAdmin(PublishableAdmin):
    form = PracticeForm
    list_display = ["title", "status", "approach", "scope_label", "updated_at"]
    list_filter = [
        "status",
        "completeness",
        ("approach__theme", admin.RelatedOnlyFieldListFilter),
        ("approach", admin.RelatedOnlyFieldListFilter),
        "scope",
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("organisations", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "summary", "organisations__name", "organisations__acronym"]
    autocomplete_fields = ["organisations", "approach", "scope_region", "countries", "source"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["approach"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "organisations", "approach", "tags"]}),
        (_("Where"), {"fields": ["scope", "scope_label", "scope_region", "countries"]}),
        (_("Content"), {"fields": ["summary", "body"]}),
        (
            _("What a staffer needs to act"),
            {"fields": [*NARRATIVE_FIELDS, "start_year", "end_year"]},
        ),
        (_("Source"), {"fields": ["source", "locator", "field_locators"]}),
    ]
    inlines = [PartnerInline, PracticeLinkInline]
    history_related = [
        (_("tags"), TaggedPractice, "content_object", "tag"),
        (_("partners"), Partner, "practice", None),
        (_("links to pages or reports"), PracticeLink, "practice", None),
    ]
