"""The read-only API: one viewset per public record type, over what the public site shows (the
registry's published records, core.records), filtered as the type's list page filters."""

from django.db.models import F, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.records import record_type
from guidance.models import Principle
from movements.filters import MovementFilter
from movements.models import Movement
from practices.filters import PracticeFilter
from practices.models import Practice

from . import serializers
from .filtering import PageFilterBackend, public_tags
from .paging import SortedCursorPagination


def published(label):
    return record_type(label).published()


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """A type's list (cursor pages, `sort`) and its records by key. `records` and
    `detail_records` are functions giving a fresh queryset at each request."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    filter_backends = [PageFilterBackend]
    pagination_class = SortedCursorPagination
    detail_serializer_class = None
    records = None  # () -> the published records, loaded as the list shows them
    detail_records = None  # () -> the same, loaded as a record's detail shows it

    def get_queryset(self):
        if self.action == "retrieve" and self.detail_records:
            return type(self).detail_records()
        return type(self).records()

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class


def practices():
    return (
        published("practices.practice")
        .select_related("approach__theme", "scope_region", "source")
        .prefetch_related("organisations", "countries", "tags")
        .defer("body", "search_names", "search_vector")
    )


def practice_detail():
    return (
        published("practices.practice")
        .select_related("approach__theme", "scope_region", "source")
        .prefetch_related(
            "organisations",
            "countries",
            "tags",
            "regions",
            Prefetch("movements", Movement.objects.published(), to_attr="published_movements"),
            Prefetch("principles", Principle.objects.published(), to_attr="published_principles"),
        )
        .defer("search_names", "search_vector")
    )


@extend_schema_view(
    list=extend_schema(summary="Published practices, filtered as on /practices/"),
    retrieve=extend_schema(summary="One published practice"),
)
class PracticeViewSet(RecordViewSet):
    serializer_class = serializers.PracticeSerializer
    detail_serializer_class = serializers.PracticeDetailSerializer
    filterset_class = PracticeFilter
    records = practices
    detail_records = practice_detail
    sorts = {
        "title": ("title", "pk"),
        "updated": ("-updated_at", "pk"),
        "relevance": ("-rank", "title", "pk"),
    }


def movements():
    return (
        published("movements.movement")
        .select_related("source")
        .prefetch_related("countries", "figures", "tags")
        .defer("search_names", "search_vector")
    )


def movement_detail():
    return movements().prefetch_related(
        Prefetch("practices", Practice.objects.published(), to_attr="published_practices"),
        Prefetch("principles", Principle.objects.published(), to_attr="published_principles"),
    )


@extend_schema_view(
    list=extend_schema(summary="Published movements, filtered as on /movements/"),
    retrieve=extend_schema(summary="One published movement"),
)
class MovementViewSet(RecordViewSet):
    serializer_class = serializers.MovementSerializer
    detail_serializer_class = serializers.MovementDetailSerializer
    filterset_class = MovementFilter
    records = movements
    detail_records = movement_detail
    sorts = {
        "name": ("name", "pk"),
        "updated": ("-updated_at", "pk"),
        "relevance": ("-rank", "name", "pk"),
    }


def principles():
    return (
        published("guidance.principle")
        .select_related("section", "source")
        .prefetch_related("tags")
        .defer("search_names", "search_vector")
        # The note's order as one number, for the cursor's position.
        .annotate(note_order=F("section__order") * 1000 + F("order"))
    )


def principle_detail():
    return principles().prefetch_related(
        Prefetch("practices", Practice.objects.published(), to_attr="published_practices"),
        Prefetch("movements", Movement.objects.published(), to_attr="published_movements"),
    )


class PrincipleViewSet(RecordViewSet):
    """The guidance note's published principles, in the note's order."""

    serializer_class = serializers.PrincipleSerializer
    detail_serializer_class = serializers.PrincipleDetailSerializer
    records = principles
    detail_records = principle_detail
    sorts = {"note": ("note_order", "pk"), "updated": ("-updated_at", "pk")}


class SectionViewSet(RecordViewSet):
    """The guidance note's sections 7.1-7.5, each with its published principles."""

    serializer_class = serializers.SectionSerializer
    sorts = {"note": ("order", "pk")}

    @staticmethod
    def records():
        principles = published("guidance.principle").order_by("order")
        return (
            published("guidance.section")
            .select_related("source")
            .prefetch_related(Prefetch("principles", principles, to_attr="published_principles"))
        )


class ThemeViewSet(RecordViewSet):
    serializer_class = serializers.ThemeSerializer
    sorts = {"order": ("order", "pk"), "name": ("name", "pk")}

    @staticmethod
    def records():
        return published("practices.theme").select_related("source").prefetch_related("approaches")


class ApproachViewSet(RecordViewSet):
    serializer_class = serializers.ApproachSerializer
    sorts = {"name": ("name", "pk"), "slug": ("slug",)}

    @staticmethod
    def records():
        return published("practices.approach").select_related("theme", "source")


class RegionViewSet(RecordViewSet):
    """UN M49 continents and sub-regions."""

    serializer_class = serializers.RegionSerializer
    sorts = {"name": ("name", "pk")}

    @staticmethod
    def records():
        return published("practices.region").select_related("parent").prefetch_related("subregions")


class CountryViewSet(RecordViewSet):
    """Countries by ISO 3166-1 alpha-2 code (any case)."""

    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[a-zA-Z]{2}"
    sorts = {"name": ("name", "code"), "code": ("code",)}

    @staticmethod
    def records():
        return published("practices.country").select_related("region")

    def get_object(self):
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class OrganisationViewSet(RecordViewSet):
    serializer_class = serializers.OrganisationSerializer
    sorts = {"name": ("name", "pk")}

    @staticmethod
    def records():
        return published("practices.organisation").select_related("country", "source")


class TagViewSet(RecordViewSet):
    """The tags of published records."""

    serializer_class = serializers.TagSerializer
    sorts = {"name": ("name", "pk")}

    @staticmethod
    def records():
        return public_tags()
