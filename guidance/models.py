"""ActionAid's guidance note on movement building: principles, phases, findings, definitions."""

import reversion
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.models import (
    PublishableModel,
    PublishableQuerySet,
    SlugManager,
    SlugNaturalKeyMixin,
    TaggedRecord,
    optional_link,
    optional_links,
    plausible_year,
    tagged,
)
from movements.models import Movement
from practices.models import (
    DERIVED_FIELDS,
    Country,
    Practice,
    SourcedModel,
)
from search.models import search_names_field, search_vector_field
from search.queryset import SearchableQuerySet


class OrderedItem(SlugNaturalKeyMixin, SourcedModel):
    """One entry of a list in the guidance note, kept in the note's order."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SlugManager()

    class Meta:
        abstract = True
        ordering = ["order"]


class Section(OrderedItem):
    """A good-practice section of Part 7, e.g. 7.1."""

    number = models.CharField(_("number"), max_length=10, unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta(OrderedItem.Meta):
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("guidance:guidance") + f"#section-{self.slug}"


class InfographicGroup(OrderedItem):
    """One of the note's three infographics, which restate principles briefly."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(_("title"), max_length=300)

    class Meta(OrderedItem.Meta):
        verbose_name = _("infographic group")
        verbose_name_plural = _("infographic groups")

    def __str__(self):
        return f"{self.number}. {self.title}"


class TaggedPrinciple(TaggedRecord):
    content_object = tagged("Principle")

    class Meta(TaggedRecord.Meta):
        verbose_name = _("principle tag")
        verbose_name_plural = _("principle tags")


class GuidanceQuerySet(SearchableQuerySet, models.QuerySet):
    """For guidance entries without a status: every one is public."""

    def published(self):
        return self.all()

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class PrincipleQuerySet(SearchableQuerySet, PublishableQuerySet):
    pass


def illustrated_by(model, verbose_name, **options):
    """The records of `model` that illustrate a principle, where the source says so."""
    return optional_links(model, verbose_name, "principles", **options)


class Principle(OrderedItem, PublishableModel):
    """A good-practice principle: a bold title and its explanation."""

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="principles"
    )
    title = models.CharField(_("title"), max_length=300, help_text=_("The bold title."))
    explanation = models.TextField(_("explanation"), blank=True)
    short_title = models.CharField(
        _("infographic title"),
        max_length=300,
        blank=True,
        help_text=_("The infographic's brief restatement, where it has one."),
    )
    short_text = models.TextField(_("infographic text"), blank=True)
    infographic_group = optional_link(InfographicGroup, _("infographic group"), "principles")
    practices = illustrated_by(
        Practice,
        _("illustrated by practices"),
        help_text=_("Only where the source says the practice illustrates the principle."),
    )
    movements = illustrated_by(Movement, _("illustrated by movements"))
    search_names = search_names_field()
    search_vector = search_vector_field()

    tags = TaggableManager(through=TaggedPrinciple, blank=True)
    objects = PrincipleQuerySet.as_manager()

    class Meta:
        ordering = ["section__order", "order"]
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="principle_order_in_section")
        ]
        permissions = [("publish_principle", _("Can publish and unpublish principles"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guidance:principle-detail", args=[self.slug])


reversion.register(TaggedPrinciple, follow=["tag"])
reversion.register(Principle.practices.through)
reversion.register(Principle.movements.through)
reversion.register(Principle, exclude=DERIVED_FIELDS, follow=["tagged_items"])


class Phase(OrderedItem):
    """An activity phase the note is meant to be reflected upon in (Part 2.1)."""

    name = models.CharField(_("name"), max_length=200)

    class Meta(OrderedItem.Meta):
        verbose_name = _("activity phase")
        verbose_name_plural = _("activity phases")

    def __str__(self):
        return self.name


class ValueAdd(OrderedItem):
    """A way ActionAid can add value to women's and social movements (Part 6)."""

    text = models.CharField(_("text"), max_length=300)

    class Meta(OrderedItem.Meta):
        verbose_name = _("way ActionAid adds value")
        verbose_name_plural = _("ways ActionAid adds value")

    def __str__(self):
        return self.text


class Finding(OrderedItem):
    """An opportunity or challenge the pilot project's research found (Part 5)."""

    class Kind(models.TextChoices):
        OPPORTUNITY = "opportunity", _("Opportunity")
        CHALLENGE = "challenge", _("Challenge")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    countries = optional_links(Country, _("countries"), "findings")
    search_names = search_names_field()
    search_vector = search_vector_field()

    objects = GuidanceQuerySet.as_manager()

    class Meta(OrderedItem.Meta):
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return self.text[:80]


class Definition(OrderedItem):
    term = models.CharField(_("term"), max_length=200)
    text = models.TextField(_("definition"))
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_("Whom the note cites for the definition, where it cites anyone."),
    )
    search_names = search_names_field()
    search_vector = search_vector_field()

    objects = GuidanceQuerySet.as_manager()

    class Meta(OrderedItem.Meta):
        verbose_name = _("definition")
        verbose_name_plural = _("definitions")

    def __str__(self):
        return self.term


class MemberType(OrderedItem):
    """A kind of member a social movement may include (Part 3)."""

    name = models.CharField(_("name"), max_length=200)

    class Meta(OrderedItem.Meta):
        verbose_name = _("kind of movement member")
        verbose_name_plural = _("kinds of movement member")

    def __str__(self):
        return self.name


class Resource(OrderedItem):
    """A document or site listed in the note's annexe."""

    class Category(models.TextChoices):
        PILOT_PROJECT = "pilot-project", _("Pilot project resources")
        LITERATURE = "literature", _("Literature on women's rights and social movements")
        DEFENDERS = "defenders", _("Human rights defenders and protection mechanisms")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=400)
    author = models.CharField(_("author"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=400)
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_('e.g. "ActionAid intranet only".')
    )

    class Meta(OrderedItem.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [plausible_year("year", "resource_year_plausible")]

    def __str__(self):
        return self.title
