"""What the API says about each record type. Field names are a public interface: fields are only
ever added, never renamed or removed (README, "API")."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from taggit.models import Tag

from guidance.models import Principle, Section
from movements.models import Figure, Movement
from practices.models import Approach, Country, Organisation, Practice, Region, Theme

from .links import (
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
    api_url,
    list_page,
    page_url,
)


class RecordSerializer(serializers.ModelSerializer):
    """A record with its API address (`url`) and public page (`page`)."""

    basename = ""
    key = "slug"

    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, record):
        return api_url(self.context["request"], self.basename, getattr(record, self.key))

    @extend_schema_field({"type": ["string", "null"], "format": "uri"})
    def get_page(self, record):
        return page_url(self.context["request"], self.page_path(record))

    def page_path(self, record):
        return record.get_absolute_url()


class SourcedSerializer(RecordSerializer):
    source = SourceSerializer(allow_null=True)


class ThemeSerializer(SourcedSerializer):
    basename = "theme"
    approaches = ApproachLink(many=True)

    class Meta:
        model = Theme
        fields = ["slug", "name", "url", "page", "description", "order", "approaches"]
        fields += ["source", "locator"]


class ApproachSerializer(SourcedSerializer):
    basename = "approach"
    theme = ThemeLink()

    class Meta:
        model = Approach
        fields = ["slug", "name", "url", "page", "description", "order", "theme"]
        fields += ["source", "locator"]


class RegionSerializer(RecordSerializer):
    basename = "region"
    parent = RegionLink(allow_null=True)
    subregions = RegionLink(many=True)

    class Meta:
        model = Region
        fields = ["slug", "code", "name", "url", "page", "parent", "subregions"]


class CountrySerializer(RecordSerializer):
    basename = "country"
    key = "code"
    region = RegionLink(allow_null=True)

    class Meta:
        model = Country
        fields = ["code", "name", "url", "page", "region"]


class OrganisationSerializer(SourcedSerializer):
    basename = "organisation"
    country = CountryLink(allow_null=True)

    class Meta:
        model = Organisation
        fields = ["slug", "name", "acronym", "kind", "url", "page", "country"]
        fields += ["source", "locator"]

    def page_path(self, record):
        return list_page("practices:practice-list", "organisation", record.slug)


class TagSerializer(RecordSerializer):
    basename = "tag"

    class Meta:
        model = Tag
        fields = ["slug", "name", "url", "page"]

    def page_path(self, record):
        return reverse("atlas:tag-detail", args=[record.slug])


class PracticeSerializer(SourcedSerializer):
    """A practice as lists show it; the detail adds its text and what links to it."""

    basename = "practice"
    theme = ThemeLink(allow_null=True)
    approach = ApproachLink(allow_null=True)
    organisations = OrganisationLink(many=True)
    countries = CountryLink(many=True)
    scope_region = RegionLink(allow_null=True)
    tags = TagLink(many=True)

    class Meta:
        model = Practice
        fields = ["slug", "title", "url", "page", "summary", "theme", "approach"]
        fields += ["organisations", "scope", "scope_label", "scope_region", "countries", "tags"]
        fields += ["source", "locator", "created_at", "updated_at"]


class PracticeDetailSerializer(PracticeSerializer):
    regions = RegionLink(many=True)
    movements = MovementLink(many=True, source="published_movements")
    principles = PrincipleLink(many=True, source="published_principles")

    class Meta(PracticeSerializer.Meta):
        fields = [*PracticeSerializer.Meta.fields, "body", "regions", "movements", "principles"]


class FigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Figure
        fields = ["measure", "value", "qualifier", "year", "note", "locator"]


class MovementSerializer(SourcedSerializer):
    basename = "movement"
    countries = CountryLink(many=True)
    figures = FigureSerializer(many=True)
    tags = TagLink(many=True)

    class Meta:
        model = Movement
        fields = ["slug", "name", "acronym", "kind", "url", "page", "description"]
        fields += ["founded_year", "countries", "figures", "tags"]
        fields += ["source", "locator", "created_at", "updated_at"]


class MovementDetailSerializer(MovementSerializer):
    practices = PracticeLink(many=True, source="published_practices")
    principles = PrincipleLink(many=True, source="published_principles")

    class Meta(MovementSerializer.Meta):
        fields = [*MovementSerializer.Meta.fields, "practices", "principles"]


class PrincipleSerializer(SourcedSerializer):
    basename = "principle"
    section = SectionLink()
    tags = TagLink(many=True)

    class Meta:
        model = Principle
        fields = ["slug", "title", "url", "page", "section", "order", "explanation"]
        fields += ["short_title", "short_text", "tags", "source", "locator"]
        fields += ["created_at", "updated_at"]


class PrincipleDetailSerializer(PrincipleSerializer):
    practices = PracticeLink(many=True, source="published_practices")
    movements = MovementLink(many=True, source="published_movements")

    class Meta(PrincipleSerializer.Meta):
        fields = [*PrincipleSerializer.Meta.fields, "practices", "movements"]


class SectionSerializer(SourcedSerializer):
    """A section of the guidance note's Part 7 with its published principles."""

    basename = "section"
    principles = PrincipleLink(many=True, source="published_principles")

    class Meta:
        model = Section
        fields = ["slug", "number", "title", "url", "page", "order", "principles"]
        fields += ["source", "locator"]


class SearchResultSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="practice, movement, principle, finding, definition")
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.URLField(allow_null=True, help_text="Its API address, where it has one.")
    page = serializers.URLField()
    snippet = serializers.CharField(help_text="HTML: the text around the match, in <mark>.")
    source = serializers.CharField(help_text="The source document's short title and locator.")
