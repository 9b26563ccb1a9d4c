"""What a practice tells a staffer who wants to act on it: its narrative fields, period, partners
and links, and how complete it is.

Completeness is computed here and nowhere else (`completeness_of`), stored on save so that lists
can filter and count by it from an index, and never typed by hand.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import KeyedByLookups, optional_text, part_of, plausible_year, year_field

# The narrative fields in the order the page shows them, each under its own heading.
NARRATIVE_FIELDS = ("context", "activities", "results", "evidence_basis", "lessons", "adaptation")
# Fields that may have a locator of their own in `field_locators`.
LOCATED_FIELDS = (*NARRATIVE_FIELDS, "period", "partners", "links")


class Completeness(models.TextChoices):
    STUB = "stub", _("Stub")
    PARTIAL = "partial", _("Partial")
    COMPLETE = "complete", _("Complete")


# The rule: a practice is *complete* when every field of COMPLETE_NEEDS is filled, a *stub*
# when none of DESCRIBED_BY is (it says nothing of what it is), and *partial* otherwise.
# Partners and links are welcome but not required: many sources name neither.
COMPLETE_NEEDS = ("summary", *NARRATIVE_FIELDS, "start_year")
DESCRIBED_BY = ("summary", "body", "context", "activities", "results")


def missing_fields(practice):
    """The names of the fields of COMPLETE_NEEDS that `practice` leaves empty."""
    return [name for name in COMPLETE_NEEDS if getattr(practice, name) in (None, "")]


def completeness_of(practice):
    if not missing_fields(practice):
        return Completeness.COMPLETE
    if any(getattr(practice, name) for name in DESCRIBED_BY):
        return Completeness.PARTIAL
    return Completeness.STUB


# Practice.Meta takes these (an abstract parent's Meta is not merged with its own).
NARRATIVE_CONSTRAINTS = [
    plausible_year("start_year", "practice_start_year_plausible"),
    plausible_year("end_year", "practice_end_year_plausible"),
    models.CheckConstraint(
        condition=Q(start_year__isnull=True)
        | Q(end_year__isnull=True)
        | Q(end_year__gte=F("start_year")),
        name="practice_period_in_order",
    ),
]


class NarrativeModel(models.Model):
    """The fields of a practice that say what was done, what changed and how it is known."""

    context = optional_text(_("context"), _("The problem and the setting it worked in."))
    activities = optional_text(_("what was done"), _("What the practice did, and how."))
    results = optional_text(_("what changed"), _("The results the source reports."))
    evidence_basis = optional_text(
        _("how it is known"), _("Where the results come from: an evaluation, monitoring, ...")
    )
    lessons = optional_text(_("lessons"), _("What worked, what was hard, what was learnt."))
    adaptation = optional_text(
        _("adapting it elsewhere"), _("What to watch for when trying it in another context.")
    )
    start_year = year_field(_("start year"), _("The year it began, where the source says."))
    end_year = year_field(_("end year"), _("The year it ended; empty if ongoing or unknown."))
    field_locators = models.JSONField(
        _("locators of the fields"),
        default=dict,
        blank=True,
        help_text=_(
            'Where in the source each field comes from, e.g. {"activities": "Part 8.1"}. '
            "Fields: context, activities, results, evidence_basis, lessons, adaptation, "
            "period, partners, links."
        ),
    )
    completeness = models.CharField(
        _("completeness"),
        max_length=10,
        choices=Completeness.choices,
        default=Completeness.STUB,
        editable=False,
        help_text=_("Computed from which fields are filled."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.completeness = completeness_of(self)
        fields = kwargs.get("update_fields")
        if fields is not None:
            kwargs["update_fields"] = {*fields, "completeness"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The end year cannot be before the start year.")
        locators = self.field_locators
        valid = isinstance(locators, dict) and all(
            key in LOCATED_FIELDS and isinstance(value, str) and len(value) <= 120
            for key, value in locators.items()
        )
        if not valid:
            errors["field_locators"] = _(
                "Give an object of field names and locators (text of at most 120 characters)."
            )
        if errors:
            raise ValidationError(errors)

    def narrative(self):
        """[(field name, heading, text, locator)] of the narrative fields that are filled."""
        return [
            (name, self._meta.get_field(name).verbose_name, text, self.locator_of(name))
            for name in NARRATIVE_FIELDS
            if (text := getattr(self, name))
        ]

    def locator_of(self, name):
        locators = self.field_locators
        return locators.get(name, "") if isinstance(locators, dict) else ""


class Partner(KeyedByLookups):
    """An organisation's part in a practice."""

    class Role(models.TextChoices):
        IMPLEMENTER = "implementer", _("Implementer")
        FUNDER = "funder", _("Funder")
        PARTNER = "partner", _("Partner")

    practice = part_of("practices.Practice", _("practice"), "partners")
    organisation = models.ForeignKey(
        "practices.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    natural_key_lookups = ("practice__slug", "organisation__slug", "role")

    class Meta:
        ordering = ["practice", "role", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "organisation", "role"], name="partner_one_role_each"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class PracticeLink(KeyedByLookups):
    """A link to an original page or report about a practice."""

    practice = part_of("practices.Practice", _("practice"), "links")
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("link"), max_length=500)

    natural_key_lookups = ("practice__slug", "url")

    class Meta:
        ordering = ["practice", "title", "pk"]
        verbose_name = _("link to a page or report")
        verbose_name_plural = _("links to pages or reports")
        constraints = [
            models.UniqueConstraint(fields=["practice", "url"], name="practicelink_one_per_url")
        ]

    def __str__(self):
        return self.title
