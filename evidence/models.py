"""Outcomes, studies and evidence assessments: how strong the evidence is that a practice
changes an outcome, rated on the published rubric (rubric.py) by one reviewer and confirmed by
a second before the public sees it."""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import (
    KeyedByLookups,
    KeyedQuerySet,
    SlugManager,
    SlugNaturalKeyMixin,
    optional_link,
    optional_text,
    part_of,
    plausible_year,
    year_field,
)
from practices.models import NamedRecord, Practice

from . import rubric
from .rubric import Direction, Level


class Outcome(NamedRecord):
    """Something a practice aims to change, as the documents name it."""

    description = optional_text(
        _("description"), _("What the outcome covers, in the source's words where it has them.")
    )
    parent = optional_link(
        "self",
        _("broader outcome"),
        "narrower",
        help_text=_("Leave empty for a top-level outcome."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="outcome_not_own_parent")
        ]

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("An outcome cannot be placed under itself or its own parts.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Study(SlugNaturalKeyMixin, models.Model):
    """One study, however many reports or articles it was published in."""

    class Kind(models.TextChoices):
        RANDOMISED = "randomised", _("Randomised evaluation")
        QUASI_EXPERIMENTAL = "quasi-experimental", _("Quasi-experimental study")
        INDEPENDENT = "independent", _("Independent evaluation")
        OWN_MONITORING = "own-monitoring", _("Implementer's own monitoring")
        PARTICIPATORY = "participatory", _("Participatory evaluation")

    title = models.CharField(
        _("title"), max_length=300, help_text=_("The title of its main publication.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    authors = models.CharField(
        _("authors or organisation"),
        max_length=300,
        help_text=_("Who wrote or published it, as the publication names them."),
    )
    year = year_field(_("year"), _("Year of its main publication, where it gives one."))
    kind = models.CharField(
        _("type of study"),
        max_length=20,
        choices=Kind.choices,
        help_text=_(
            "How it knows what changed. An organisation's account of its own programme is its "
            "own monitoring."
        ),
    )
    url = models.URLField(_("link"), blank=True, help_text=_("Only where the study gives one."))
    source = optional_link(
        "practices.SourceDocument",
        _("source document"),
        "+",
        help_text=_("Where the study is one of the knowledge base's source documents."),
    )
    other_publications = optional_text(
        _("other publications"),
        _(
            "Other reports or articles of this same study, one a line. Do not add them as "
            "studies of their own: a study counts once, however often it was published."
        ),
    )

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        constraints = [plausible_year("year", "study_year_plausible")]

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title


def confirmed(path="assessments__"):
    """The condition of a confirmed assessment, as a Q from the model at the end of `path` (a
    practice, by default): only those are public."""
    return Q(**{f"{path}confirmed_at__isnull": False})


class AssessmentQuerySet(KeyedQuerySet):
    def confirmed(self):
        """What the public sees: assessments a second reviewer confirmed."""
        return self.filter(confirmed(""))

    def provisional(self):
        return self.filter(confirmed_at__isnull=True)


def staff_member(verbose_name, **options):
    """A member of staff an assessment records, set by the app and emptied if their account
    is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        **options,
    )


class Assessment(KeyedByLookups):
    """How strong the evidence is that a practice changes an outcome, and which way."""

    practice = part_of(Practice, _("practice"), "assessments")
    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.PROTECT, related_name="assessments"
    )
    level = models.CharField(
        _("level of evidence"),
        max_length=30,
        choices=Level.choices,
        default=Level.NOT_ASSESSED,
        help_text=_(
            "On the published rubric (/evidence/rubric/). Never higher than the studies "
            "support: an organisation's account of its own programme is practice-based."
        ),
    )
    direction = models.CharField(
        _("direction of the effect"),
        max_length=20,
        choices=Direction.choices,
        blank=True,
        help_text=_("What the studies found. Leave empty while the outcome is not assessed."),
    )
    studies = models.ManyToManyField(
        Study,
        verbose_name=_("studies"),
        related_name="assessments",
        blank=True,
        help_text=_("The studies the rating rests on."),
    )
    findings = optional_text(
        _("what the studies say"),
        _('In the studies\' own words where possible, with where they say it, e.g. "Part 8.1".'),
    )
    reviewer = staff_member(
        _("reviewer"), help_text=_("Who made the rating: whoever last changed it.")
    )
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate, editable=False)
    rubric_version = models.CharField(
        _("rubric version"), max_length=10, default=rubric.VERSION, editable=False
    )
    confirmed_by = staff_member(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)

    natural_key_lookups = ("practice__slug", "outcome__slug")

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["practice__title", "outcome__name", "pk"]
        verbose_name = _("evidence assessment")
        verbose_name_plural = _("evidence assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "outcome"], name="assessment_one_per_practice_and_outcome"
            ),
            # A direction goes with a rating, and only with one.
            models.CheckConstraint(
                condition=Q(level=Level.NOT_ASSESSED, direction="")
                | (~Q(level=Level.NOT_ASSESSED) & ~Q(direction="")),
                name="assessment_direction_with_rating",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True)
                | Q(reviewer__isnull=True)
                | ~Q(confirmed_by=F("reviewer")),
                name="assessment_confirmed_by_second_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | Q(confirmed_at__isnull=False),
                name="assessment_confirmation_dated",
            ),
        ]

    def __str__(self):
        return f"{self.practice} → {self.outcome}"

    @property
    def confirmed(self):
        return self.confirmed_at is not None

    def clean(self):
        if self.level == Level.NOT_ASSESSED and self.direction:
            raise ValidationError(
                {"direction": _("An outcome not yet assessed has no direction of effect.")}
            )
        if self.level != Level.NOT_ASSESSED and not self.direction:
            raise ValidationError({"direction": _("Say which way the evidence points.")})

    def reviewed_by(self, user):
        """Record `user` as the reviewer of the rating as it now is: provisional again."""
        self.reviewer = user
        self.reviewed_on = timezone.localdate()
        self.rubric_version = rubric.VERSION
        self.confirmed_by = None
        self.confirmed_at = None

    def confirm(self, user):
        """A second reviewer's confirmation: the public sees the assessment from now on."""
        if self.reviewer_id is not None and self.reviewer_id == user.pk:
            raise ValidationError(
                _("A second reviewer must confirm an assessment, not the one who made it."),
                code="own_assessment",
            )
        self.confirmed_by = user
        self.confirmed_at = timezone.now()


def studies_missing(level, studies):
    """Why `studies` (Study records) do not support `level`, or "" if they do."""
    if level == Level.NOT_ASSESSED:
        return ""
    kinds = {study.kind for study in studies}
    if not kinds:
        return _("A rating rests on at least one study: add it, or leave the outcome unassessed.")
    needed = rubric.STUDIES_NEEDED.get(level)
    if needed is not None and not kinds & needed:
        return _("“%(level)s” needs at least one study of these types: %(kinds)s.") % {
            "level": Level(level).label,
            "kinds": ", ".join(str(Study.Kind(kind).label) for kind in sorted(needed)),
        }
    return ""


reversion.register(Outcome)
reversion.register(Study)
reversion.register(Assessment)
