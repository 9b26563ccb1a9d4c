"""The hub of the knowledge base: practices and what they are organised by.

Geography (regions, countries), organisations, source documents, themes and approaches live here
because every other app points at them; this app imports neither movements nor guidance.
"""

import reversion
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag

from core.models import (
    KeyedByLookups,
    PublishableModel,
    PublishableQuerySet,
    SlugManager,
    SlugNaturalKeyMixin,
    TaggedRecord,
    kind_field,
    optional_link,
    optional_links,
    plausible_year,
    tagged,
    year_field,
)
from core.places import LocalNameMixin
from core.records import plugged_card_links
from search.models import search_names_field, search_vector_field
from search.queryset import SearchableQuerySet

from .narrative import (
    NARRATIVE_CONSTRAINTS,
    NARRATIVE_FIELDS,
    NarrativeModel,
    Partner,
    PracticeLink,
)

# The long fields a card does not show, which lists leave unread.
LONG_NARRATIVE = (*NARRATIVE_FIELDS, "field_locators")


class SourceDocument(SlugNaturalKeyMixin, models.Model):
    """A published document that records in the knowledge base are taken from."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(
        _("short title"),
        max_length=120,
        help_text=_('How citations name it, e.g. "ActionAid guidance note".'),
    )
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = year_field(_("year"), _("Year of publication, where the document gives one."))
    url = models.URLField(_("link"), blank=True, help_text=_("Only where the document gives one."))
    description = models.TextField(_("description"), blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        constraints = [plausible_year("year", "sourcedocument_year_plausible")]

    def __str__(self):
        return self.short_title or self.title

    def cite(self, locator=""):
        return f"{self.short_title}, {locator}" if locator else self.short_title


class SourcedModel(models.Model):
    """A record that names the document and the place in it that it comes from."""

    source = optional_link(SourceDocument, _("source document"), "+")
    locator = models.CharField(
        _("locator"),
        max_length=120,
        blank=True,
        help_text=_('Where in the source document, e.g. "Part 8.1" or "Box 1".'),
    )

    class Meta:
        abstract = True

    @property
    def citation(self):
        return self.source.cite(self.locator) if self.source_id else ""


class NamedRecord(SlugNaturalKeyMixin, SourcedModel):
    """A sourced record known by its name and slug (an organisation, a theme, an outcome)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = SlugManager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class Region(LocalNameMixin, KeyedByLookups):
    """A UN M49 region (e.g. Africa) or sub-region (e.g. Eastern Africa)."""

    code = models.CharField(_("M49 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = optional_link("self", _("part of"), "subregions")

    natural_key_lookups = ("code",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.local_name

    def get_absolute_url(self):
        return reverse("atlas:region-detail", args=[self.slug])


class Country(LocalNameMixin, models.Model):
    """A country by its ISO 3166-1 alpha-2 code, placed in its UN M49 sub-region."""

    code = models.CharField(_("ISO 3166-1 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    region = optional_link(Region, _("UN M49 sub-region"), "countries")

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.local_name

    def get_absolute_url(self):
        return reverse("atlas:country-detail", args=[self.code.lower()])

    def covering_region_ids(self):
        """Its sub-region and continent (with `region` loaded): a practice scoped to either
        covers it."""
        region = self.region
        return [pk for pk in (self.region_id, region.parent_id if region else None) if pk]


class Organisation(NamedRecord):
    class Kind(models.TextChoices):
        INGO = "ingo", _("International NGO")
        NGO = "ngo", _("NGO")
        GOVERNMENT = "government", _("Government body")
        NETWORK = "network", _("Network or union")
        UN = "un", _("UN agency")
        DONOR = "donor", _("Donor")
        RESEARCH = "research", _("Research institution")
        OTHER = "other", _("Other")

    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = kind_field(Kind.choices)
    country = optional_link(Country, _("based in"), "organisations")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")


class Theme(NamedRecord):
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def get_absolute_url(self):
        return reverse("practices:theme-detail", args=[self.slug])


class Approach(NamedRecord):
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="approaches"
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["theme__order", "order", "name"]
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")

    def get_absolute_url(self):
        return reverse("practices:approach-detail", args=[self.slug])


class TaggedPractice(TaggedRecord):
    content_object = tagged("Practice")

    class Meta(TaggedRecord.Meta):
        verbose_name = _("practice tag")
        verbose_name_plural = _("practice tags")


# Practices that cover more than one country: a country's page lists them apart.
WIDE_SCOPE = models.Q(scope__in=["regional", "multi-country"]) | models.Q(
    scope_region__isnull=False
)


class PracticeQuerySet(SearchableQuerySet, PublishableQuerySet):
    def in_country(self, code):
        return self.filter(countries__code=code.upper())

    def covering(self, country):
        """Practices of a country (with `region` loaded): linked to it, or scoped to its
        sub-region or continent ("East Africa Region" covers Kenya)."""
        linked = Practice.countries.through.objects.filter(country=country.pk)
        return self.filter(
            models.Q(pk__in=linked.values("practice_id"))
            | models.Q(scope_region__in=country.covering_region_ids())
        )

    def national(self, country):
        """Those of a country's practices that are about it alone."""
        return self.in_country(country.pk).exclude(WIDE_SCOPE)

    def wider_than(self, country):
        """The regional and multi-country practices that cover a country."""
        return self.covering(country).filter(WIDE_SCOPE)

    def for_list(self):
        """What a list card shows, in a fixed number of queries, without the long fields it
        does not show (the body and search documents: kilobytes a record)."""
        plugged = plugged_card_links(self.model._meta.label_lower)  # e.g. its evidence
        return (
            self.select_related("approach__theme", "scope_region")
            .prefetch_related("organisations", "countries", *plugged)
            .defer("body", "search_names", "search_vector", *LONG_NARRATIVE)
        )


class Practice(SlugNaturalKeyMixin, SourcedModel, PublishableModel, NarrativeModel):
    class Scope(models.TextChoices):
        GLOBAL = "global", _("Global")
        REGIONAL = "regional", _("Regional")
        MULTI_COUNTRY = "multi-country", _("Multi-country")
        NATIONAL = "national", _("National")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    organisations = optional_links(Organisation, _("organisations"), "practices")
    approach = optional_link(Approach, _("approach"), "practices")
    scope = models.CharField(
        _("geographic scope"), max_length=20, choices=Scope.choices, blank=True
    )
    scope_label = models.CharField(
        _("scope as stated"),
        max_length=120,
        blank=True,
        help_text=_('The scope in the source\'s own words, e.g. "East Africa Region".'),
    )
    scope_region = optional_link(
        Region,
        _("region of scope"),
        "scoped_practices",
        help_text=_("For a regional practice: the UN M49 region it covers."),
    )
    countries = optional_links(Country, _("countries"), "practices")
    regions = optional_links(
        Region,
        _("regions"),
        "practices",
        editable=False,
        help_text=_("Kept up to date from the countries and the region of scope."),
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    search_names = search_names_field()
    search_vector = search_vector_field()

    tags = TaggableManager(through=TaggedPractice, blank=True)
    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]  # The key last, so that pages never overlap.
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        # A list page reads its keys first, then its 20 records (core.listing.KeysFirstPaginator).
        # These indexes hold every column a list filters and orders by, so that the keys of any
        # page, however deep, come from an index alone: read from the table, each title is a
        # TOAST fetch (rows are wide), and sorting tens of thousands of them took seconds.
        indexes = [
            # The list in title order; a theme's (its approaches) by scanning it.
            models.Index(
                fields=["status", "title", "id", "approach"], name="practice_list_by_title"
            ),
            models.Index(
                fields=["status", "-updated_at", "title", "id"], name="practice_list_by_update"
            ),
            # An approach's practices in title order; counts per approach (home, theme pages).
            models.Index(
                fields=["status", "approach", "title", "id"], name="practice_list_by_approach"
            ),
            # The title and date of practices picked by key (a country's, a tag's, an
            # organisation's, a region's), to sort them.
            models.Index(fields=["id", "status", "title", "updated_at"], name="practice_sort_keys"),
            # The completeness facet's counts, and a list narrowed by it in title order.
            models.Index(
                fields=["status", "completeness", "title", "id"], name="practice_by_completeness"
            ),
        ]
        constraints = NARRATIVE_CONSTRAINTS
        permissions = [("publish_practice", _("Can publish and unpublish practices"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("practices:practice-detail", args=[self.slug])

    @property
    def theme(self):
        return self.approach.theme if self.approach_id else None

    def region_ids(self):
        """Every region whose filter should find this practice (see regions_covering)."""
        countries = self.countries.select_related("region")
        return self.regions_covering(countries, self.scope_region)

    @staticmethod
    def regions_covering(countries, scope_region=None):
        """The ids of the sub-regions and continents of `countries` (with their regions loaded),
        and of `scope_region` with its continent; bulk loads derive `regions` with it too."""
        ids = set()
        for region in [*(country.region for country in countries), scope_region]:
            if region:
                ids.add(region.pk)
                if region.parent_id:
                    ids.add(region.parent_id)
        return ids

    def refresh_regions(self):
        self.regions.set(self.region_ids())

    # The link tables of Movement.practices and Principle.practices, reached through the reverse
    # managers so this app needs no import of the others: history keeps them with the practice,
    # so restoring a deleted practice restores its links too.
    @property
    def movement_links(self):
        return self.movements.through.objects.filter(practice=self)

    @property
    def principle_links(self):
        return self.principles.through.objects.filter(practice=self)


# History (django-reversion): what a version of each curated record holds. Derived fields are
# left out; they are recomputed on save.
DERIVED_FIELDS = ("search_names", "search_vector", "regions", "completeness")
reversion.register(Tag)
reversion.register(Organisation)
reversion.register(Theme)
reversion.register(Approach)
reversion.register(TaggedPractice, follow=["tag"])
reversion.register(Partner)
reversion.register(PracticeLink)
reversion.register(
    Practice,
    exclude=DERIVED_FIELDS,
    follow=["tagged_items", "partners", "links", "movement_links", "principle_links"],
)
