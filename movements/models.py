"""Women's and social movements that the source documents describe, with their figures."""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.models import (
    KeyedByLookups,
    PublishableModel,
    PublishableQuerySet,
    SlugNaturalKeyMixin,
    TaggedRecord,
    kind_field,
    optional_links,
    part_of,
    plausible_year,
    tagged,
    year_field,
)
from practices.models import (
    DERIVED_FIELDS,
    Country,
    Practice,
    SourcedModel,
)
from search.models import search_names_field, search_vector_field
from search.queryset import SearchableQuerySet


class TaggedMovement(TaggedRecord):
    content_object = tagged("Movement")

    class Meta(TaggedRecord.Meta):
        verbose_name = _("movement tag")
        verbose_name_plural = _("movement tags")


class MovementQuerySet(SearchableQuerySet, PublishableQuerySet):
    def for_list(self):
        """What a list card shows, without the search documents it does not show."""
        return self.prefetch_related("countries", "figures").defer("search_names", "search_vector")


class Movement(SlugNaturalKeyMixin, SourcedModel, PublishableModel):
    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        COALITION = "coalition", _("Coalition")
        UMBRELLA = "umbrella", _("Umbrella organisation")
        UNION = "union", _("Union")
        MOVEMENT = "movement", _("Movement")

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = kind_field(Kind.choices)
    countries = optional_links(Country, _("countries"), "movements")
    founded_year = year_field(_("founded"), _("The year the movement was founded or formed."))
    description = models.TextField(_("description"), blank=True)
    practices = optional_links(
        Practice,
        _("related practices"),
        "movements",
        help_text=_("Practices that built, strengthened or worked with this movement."),
    )
    search_names = search_names_field()
    search_vector = search_vector_field()

    tags = TaggableManager(through=TaggedMovement, blank=True)
    objects = MovementQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]  # The key last, so that pages never overlap.
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        constraints = [plausible_year("founded_year", "movement_founded_year_plausible")]
        # The keys of any page of the list, however deep, from the index alone.
        indexes = [models.Index(fields=["status", "name", "id"], name="movement_list_by_name")]
        permissions = [("publish_movement", _("Can publish and unpublish movements"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("movements:movement-detail", args=[self.slug])

    def clean(self):
        if self.founded_year and self.founded_year > timezone.now().year:
            raise ValidationError({"founded_year": _("The founding year cannot be in the future.")})

    @property
    def principle_links(self):
        """Its rows in Principle.movements' link table, which history keeps with the movement."""
        return self.principles.through.objects.filter(movement=self)


class Figure(KeyedByLookups):
    """One number a document gives about a movement, e.g. "some 200,000 members (2014)"."""

    class Measure(models.TextChoices):
        MEMBERS = "members", _("Members")
        MEMBER_GROUPS = "member-groups", _("Member groups")
        DISTRICTS = "districts", _("Districts")
        STATES = "states", _("States")

    class Qualifier(models.TextChoices):
        EXACT = "", _("exactly")
        ABOUT = "about", _("about")
        OVER = "over", _("over")

    movement = part_of(Movement, _("movement"), "figures")
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    value = models.PositiveIntegerField(_("value"))
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier.choices, blank=True, default=""
    )
    year = year_field(_("year"), _("The year the figure refers to, where the source says."))
    note = models.CharField(
        _("as stated"),
        max_length=200,
        blank=True,
        help_text=_('The source\'s wording, e.g. "500 cooperatives groups".'),
    )
    locator = models.CharField(_("locator"), max_length=120, blank=True)

    natural_key_lookups = ("movement__slug", "measure")

    class Meta:
        ordering = ["movement", "measure"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(fields=["movement", "measure"], name="figure_one_per_measure"),
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_value_non_negative"),
            plausible_year("year", "figure_year_plausible"),
        ]

    def __str__(self):
        return f"{self.movement}: {self.get_measure_display()} {self.value}"

    def clean(self):
        if self.year and self.year > timezone.now().year:
            raise ValidationError({"year": _("The year of a figure cannot be in the future.")})


reversion.register(Figure)
reversion.register(TaggedMovement, follow=["tag"])
reversion.register(Movement.practices.through)
reversion.register(
    Movement, exclude=DERIVED_FIELDS, follow=["tagged_items", "figures", "principle_links"]
)
