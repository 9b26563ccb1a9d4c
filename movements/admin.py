from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from curation.publishing import PublishableAdmin

from .models import Figure, Movement, TaggedMovement


class FigureForm(forms.ModelForm):
    class Meta:
        model = Figure
        fields = ["measure", "value", "qualifier", "year", "note", "locator"]
        error_messages = {"value": {"min_value": _("A figure cannot be negative.")}}


class FigureInline(admin.TabularInline):
    model = Figure
    form = FigureForm
    extra = 0


@admin.register(Movement)
class MovementAdmin(PublishableAdmin):
    list_display = ["name", "acronym", "kind", "founded_year", "status", "updated_at"]
    list_filter = [
        "status",
        "kind",
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "acronym", "description"]
    autocomplete_fields = ["countries", "practices", "source"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FigureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries")

    def choice_label(self, movement):
        """A movement among choices: its name, acronym and countries ("Small Scale Women
        Farmers Organisation in Nigeria (SWOFON; Nigeria)")."""
        details = "; ".join(
            part
            for part in [movement.acronym, ", ".join(c.name for c in movement.countries.all())]
            if part
        )
        return f"{movement.name} ({details})" if details else movement.name

    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "status", "kind", "tags"]}),
        (_("Facts"), {"fields": ["countries", "founded_year", "description"]}),
        (_("Links"), {"fields": ["practices"]}),
        (_("Source"), {"fields": ["source", "locator"]}),
    ]
    history_related = [
        (_("tags"), TaggedMovement, "content_object", "tag"),
        (_("figures"), Figure, "movement", None),
    ]
