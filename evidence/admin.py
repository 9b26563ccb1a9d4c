"""The curators' admin of outcomes, studies and assessments, on curation's bases. An editor or
publisher rates a practice's evidence for an outcome; the rating stays provisional, hidden from
the public, until a second reviewer with the publish permission confirms it."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from curation.forms import CuratedForm
from curation.record_admin import CuratedAdmin

from .models import Assessment, Outcome, Study, studies_missing
from .rubric import Level

# What these records say shows on practices' pages: whoever may publish practices makes
# changes to outcomes and studies live, and confirms assessments.
PUBLISHED_WITH = "practices.publish_practice"


@admin.register(Outcome)
class OutcomeAdmin(CuratedAdmin):
    publish_permission = PUBLISHED_WITH
    list_display = ["name", "parent", "locator"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "source"]
    list_select_related = ["parent"]


@admin.register(Study)
class StudyAdmin(CuratedAdmin):
    publish_permission = PUBLISHED_WITH
    list_display = ["title", "authors", "year", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "authors", "other_publications"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["source"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_deleted_objects(self, objs, request):
        """A study that ratings rest on is not deleted from under them (its links would go
        silently): the page lists them as what protects it."""
        deleted, counts, permissions, protected = super().get_deleted_objects(objs, request)
        resting = (
            Assessment.objects.filter(studies__in=objs)
            .exclude(level=Level.NOT_ASSESSED)
            .select_related("practice", "outcome")
            .distinct()
        )
        return deleted, counts, permissions, [*protected, *map(str, resting)]


class AssessmentForm(CuratedForm):
    def clean(self):
        cleaned = super().clean()
        if "level" in cleaned and "studies" in cleaned:
            problem = studies_missing(cleaned["level"], cleaned["studies"])
            if problem:
                self.add_error("studies", ValidationError(problem, code="studies"))
        return cleaned


class ConfirmationFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", _("Provisional")), ("yes", _("Confirmed"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.provisional()
        if self.value() == "yes":
            return queryset.confirmed()
        return queryset


@admin.register(Assessment)
class AssessmentAdmin(CuratedAdmin):
    form = AssessmentForm
    publish_permission = PUBLISHED_WITH
    list_display = ["__str__", "level", "direction", "reviewer", "reviewed_on", "confirmed_by"]
    list_filter = [
        ConfirmationFilter,
        "level",
        "direction",
        ("outcome", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["practice", "outcome", "reviewer", "confirmed_by"]
    search_fields = ["practice__title", "outcome__name", "findings"]
    autocomplete_fields = ["practice", "outcome", "studies"]
    readonly_fields = ["reviewer", "reviewed_on", "rubric_version", "confirmed_by", "confirmed_at"]
    fieldsets = [
        (None, {"fields": ["practice", "outcome", "level", "direction", "studies", "findings"]}),
        (
            _("Review"),
            {
                "fields": [
                    "reviewer",
                    "reviewed_on",
                    "rubric_version",
                    "confirmed_by",
                    "confirmed_at",
                ]
            },
        ),
    ]
    actions = ["confirm"]

    def is_live(self, record):
        # Nobody's save goes live: every save makes the assessment provisional (save_model),
        # and confirming it is the review.
        return False

    def save_model(self, request, obj, form, change):
        obj.reviewed_by(request.user)
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("The assessment is provisional until a second reviewer confirms it."),
            messages.INFO,
        )

    @admin.action(description=_("Confirm the selected assessments"), permissions=["publish"])
    def confirm(self, request, queryset):
        confirmed = 0
        for assessment in queryset.provisional():
            try:
                assessment.confirm(request.user)
            except ValidationError as refusal:
                self.message_user(
                    request, f"{assessment}: {' '.join(refusal.messages)}", messages.ERROR
                )
                continue
            self.save_with_history(request, assessment, str(_("Confirmed")))
            confirmed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d assessment confirmed: the public sees it.",
                "%(count)d assessments confirmed: the public sees them.",
                confirmed,
            )
            % {"count": confirmed},
            messages.SUCCESS,
        )
