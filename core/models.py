"""What every record type of the knowledge base shares: a status with its timestamps, a slug as
natural key, and plausible years (abstract models), and the facet counts and values that
core.counts keeps (its own tables)."""

from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase

EARLIEST_YEAR = 1800
LATEST_YEAR = 2100


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SlugManager(models.Manager):
    """Finds records by slug, their natural key, so fixtures load idempotently."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugNaturalKeyMixin:
    def natural_key(self):
        return (self.slug,)


# created_at and updated_at are stamped a moment apart by the same save; a save this much later
# is an edit.
EDITED_AFTER = timedelta(minutes=1)


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def edited(self):
        """The records saved again after they were added: not those only loaded (the seed load
        adds every record at one moment) or created and left as they were."""
        return self.filter(updated_at__gte=F("created_at") + EDITED_AFTER)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def year_field(verbose_name, help_text=""):
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)],
        help_text=help_text,
    )


def plausible_year(field, name):
    """A CHECK constraint that keeps a year field empty or between 1800 and 2100."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": EARLIEST_YEAR, f"{field}__lte": LATEST_YEAR}),
        name=name,
    )


def optional_link(to, verbose_name, related_name, **options):
    """A foreign key that may stay empty and keeps what it points at from being deleted."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        **options,
    )


def optional_links(to, verbose_name, related_name, **options):
    """A many-to-many link that may stay empty."""
    return models.ManyToManyField(
        to, verbose_name=verbose_name, related_name=related_name, blank=True, **options
    )


def optional_text(verbose_name, help_text=""):
    """A long text that may stay empty, with help for the editor."""
    return models.TextField(verbose_name, blank=True, help_text=help_text)


def kind_field(choices):
    """A record's kind, one of `choices`; empty where the source does not say."""
    return models.CharField(
        _("kind"),
        max_length=20,
        choices=choices,
        blank=True,
        help_text=_("Leave empty where the source does not say."),
    )


class PublishableModel(models.Model):
    """A record the public sees only once published, with when it was created and updated."""

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class KeyedQuerySet(models.QuerySet):
    """Finds a row by its natural key (see KeyedByLookups), so fixtures load idempotently."""

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.model.natural_key_lookups, key, strict=True)))


class KeyedByLookups(models.Model):
    """A row without a slug of its own, known by the values of `natural_key_lookups`: a child
    row by its record's slug and a field or two, e.g. ("practice__slug", "url")."""

    natural_key_lookups = ()

    objects = KeyedQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self):
        key = []
        for lookup in self.natural_key_lookups:
            value = self
            for name in lookup.split("__"):
                value = getattr(value, name)
            key.append(value)
        return tuple(key)


def part_of(model, verbose_name, related_name):
    """The record a child row belongs to (its figures, partners, links), deleted with it."""
    return models.ForeignKey(
        model, verbose_name=verbose_name, on_delete=models.CASCADE, related_name=related_name
    )


class TaggedRecord(KeyedByLookups, TaggedItemBase):
    """A record's tag through a direct foreign key `content_object` (which each type declares),
    not taggit's generic relation, so tag filters stay one join deep."""

    natural_key_lookups = ("content_object__slug", "tag__name")

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="%(class)s_unique")
        ]


def tagged(model):
    """The `content_object` of a TaggedRecord: the record of `model` (a name in the same app)
    that the tag is on."""
    return models.ForeignKey(model, on_delete=models.CASCADE, related_name="tagged_items")


class FacetCount(models.Model):
    """How many published records of a type have one value of one facet (core.counts). The row
    with an empty facet and value says that the type's counts are kept: without it, lists count
    afresh."""

    record_type = models.CharField(max_length=100)
    facet = models.CharField(max_length=50)
    value = models.CharField(max_length=200)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "facet", "value"], name="facet_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.record_type} {self.facet}={self.value}: {self.count}"


class RecordValues(models.Model):
    """The facet values a published record of a type counts for, as "facet=value" strings
    (core.counts): a filtered list counts every facet of its records in one query of these."""

    record_type = models.CharField(max_length=100)
    record_id = models.PositiveBigIntegerField()
    values = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], name="record_values_unique"
            )
        ]

    def __str__(self):
        return f"{self.record_type} {self.record_id}"
