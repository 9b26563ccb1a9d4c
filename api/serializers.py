"""What the API says about each record type. Field names are a public interface: fields are only
ever added, never renamed or removed (README, "API")."""

from django.urls import reverse
from rest_framework import serializers
from taggit.models import Tag

from guidance.models import Principle, Section
from movements.models import Figure, Movement
from practices.models import Approach, Country, Organisation, Practice, Region, Theme
from practices.narrative import NARRATIVE_FIELDS, Partner
from practices.narrative import PracticeLink as PracticePage

from .links import (
    AddressedSerializer,
    ApproachLink,
    CountryLink,
    MovementLink,
    OrganisationLink,
    PracticeLink,
    PrincipleLink,
    RegionLink,
    SectionLink,
    SourceSerializer,
    TagLink,
    ThemeLink,
    list_page,
)

# The last fields of records taken from a source document, and of records with a status.
SOURCED = ["source", "locator"]
DATED = ["created_at", "updated_at"]


class RecordSerializer(AddressedSerializer, serializers.ModelSerializer):
    """A record with its API address (`url`) and public page (`page`)."""

    @property
    def basename(self):
        # Each type's API route is named after its model: practice, movement, ...
        return self.Meta.model._meta.model_name


class SourcedSerializer(RecordSerializer):
    source = SourceSerializer(allow_null=True)


def published(link):
    """The published records of a type linked to a record, as the detail's queryset prefetches
    them (into `published_practices`, `published_movements`, ...)."""
    return link(many=True, source=f"published_{link.basename}s")


def detail(serializer, *fields, **links):
    """The serializer of a record's own address: `serializer` with the record's long `fields`
    and the records it links to (`links`, by field name) added at the end."""
    meta = type("Meta", (serializer.Meta,), {"fields": [*serializer.Meta.fields, *fields, *links]})
    name = serializer.__name__.replace("Serializer", "DetailSerializer")
    attributes = {**links, "Meta": meta, "__module__": serializer.__module__}
    return type(name, (serializer,), attributes)


class ThemeSerializer(SourcedSerializer):
    approaches = ApproachLink(many=True)

    class Meta:
        model = Theme
        fields = ["slug", "name", "url", "page", "description", "order", "approaches", *SOURCED]


class ApproachSerializer(SourcedSerializer):
    theme = ThemeLink()

    class Meta:
        model = Approach
        fields = ["slug", "name", "url", "page", "description", "order", "theme", *SOURCED]


class RegionSerializer(RecordSerializer):
    parent = RegionLink(allow_null=True)
    subregions = RegionLink(many=True)

    class Meta:
        model = Region
        fields = ["slug", "code", "name", "url", "page", "parent", "subregions"]


class CountrySerializer(RecordSerializer):
    key = "code"
    region = RegionLink(allow_null=True)

    class Meta:
        model = Country
        fields = ["code", "name", "url", "page", "region"]


class OrganisationSerializer(SourcedSerializer):
    country = CountryLink(allow_null=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "acronym", "kind", "url", "page", "country", *SOURCED]

    def page_path(self, record):
        return list_page("practices:practice-list", "organisation", record.slug)


class TagSerializer(RecordSerializer):
    class Meta:
        model = Tag
        fields = ["slug", "name", "url", "page"]

    def page_path(self, record):
        return reverse("atlas:tag-detail", args=[record.slug])


class PracticeSerializer(SourcedSerializer):
    """A practice as lists show it; the detail adds its text and what links to it."""

    theme = ThemeLink(allow_null=True)
    approach = ApproachLink(allow_null=True)
    organisations = OrganisationLink(many=True)
    countries = CountryLink(many=True)
    scope_region = RegionLink(allow_null=True)
    tags = TagLink(many=True)

    class Meta:
        model = Practice
        fields = ["slug", "title", "url", "page", "summary"]
        fields += ["theme", "approach", "organisations"]
        fields += ["scope", "scope_label", "scope_region", "countries", "tags", *SOURCED, *DATED]
        fields += ["completeness"]


class PartnerSerializer(serializers.ModelSerializer):
    organisation = OrganisationLink()

    class Meta:
        model = Partner
        fields = ["organisation", "role"]


class PracticePageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticePage
        fields = ["title", "url"]


PracticeDetailSerializer = detail(
    PracticeSerializer,
    "body",
    *NARRATIVE_FIELDS,
    "start_year",
    "end_year",
    "field_locators",
    regions=RegionLink(many=True),
    movements=published(MovementLink),
    principles=published(PrincipleLink),
    partners=PartnerSerializer(many=True),
    links=PracticePageSerializer(many=True),
)


class FigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Figure
        fields = ["measure", "value", "qualifier", "year", "note", "locator"]


class MovementSerializer(SourcedSerializer):
    countries = CountryLink(many=True)
    figures = FigureSerializer(many=True)
    tags = TagLink(many=True)

    class Meta:
        model = Movement
        fields = ["slug", "name", "acronym", "kind", "url", "page", "description"]
        fields += ["founded_year", "countries", "figures", "tags", *SOURCED, *DATED]


MovementDetailSerializer = detail(
    MovementSerializer, practices=published(PracticeLink), principles=published(PrincipleLink)
)


class PrincipleSerializer(SourcedSerializer):
    section = SectionLink()
    tags = TagLink(many=True)

    class Meta:
        model = Principle
        fields = ["slug", "title", "url", "page", "section", "order", "explanation"]
        fields += ["short_title", "short_text", "tags", *SOURCED, *DATED]


PrincipleDetailSerializer = detail(
    PrincipleSerializer, practices=published(PracticeLink), movements=published(MovementLink)
)


class SectionSerializer(SourcedSerializer):
    """A section of the guidance note's Part 7 with its published principles."""

    principles = published(PrincipleLink)

    class Meta:
        model = Section
        fields = ["slug", "number", "title", "url", "page", "order", "principles", *SOURCED]


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="practice, movement, principle, finding, definition")
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text="Its API address, where it has one.")
    page = serializers.URLField()
    snippet = serializers.CharField(help_text="HTML: the text around the match, in <mark>.")
    source = serializers.CharField(help_text="The source document's short title and locator.")
