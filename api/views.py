"""The read-only API: one viewset per public record type, over what the public site shows (the
registry's published records, core.records), filtered as the type's list page filters."""

from django.db.models import F, Prefetch
from django.utils import translation
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.records import record_type
from movements.filters import MovementFilter
from practices.filters import PracticeFilter

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


def with_published(records, *links):
    """`records` with the published records of their `links` prefetched into `published_<link>`,
    where the detail serializers read them (serializers.published)."""
    meta = records.model._meta
    return records.prefetch_related(
        *(
            Prefetch(
                link,
                meta.get_field(link).related_model.objects.published(),
                to_attr=f"published_{link}",
            )
            for link in links
        )
    )


# A type with a public list page, whose FilterSet (`filterset_class`) filters it: its records as
# the page loads them with their source and tags, sorted as the page is (its model's ordering),
# by last update, or by relevance to `q`. No docstring: the API description shows
# RecordViewSet's.
class ListPageViewSet(RecordViewSet):
    detail_links = ()  # The linked types whose published records a record's detail lists

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        meta = cls.filterset_class._meta.model._meta
        name, key = meta.ordering
        cls.sorts = {
            name: (name, key),
            "updated": ("-updated_at", key),
            "relevance": ("-rank", name, key),
        }
        with translation.override("en"):
            one, many = str(meta.verbose_name), str(meta.verbose_name_plural)
        extend_schema_view(
            list=extend_schema(summary=f"Published {many}, filtered as on /{many}/"),
            retrieve=extend_schema(summary=f"One published {one}"),
        )(cls)

    @classmethod
    def records(cls):
        label = cls.filterset_class._meta.model._meta.label_lower
        return published(label).for_list().select_related("source").prefetch_related("tags")

    @classmethod
    def detail_records(cls):
        return with_published(cls.records(), *cls.detail_links)


class PracticeViewSet(ListPageViewSet):
    serializer_class = serializers.PracticeSerializer
    detail_serializer_class = serializers.PracticeDetailSerializer
    filterset_class = PracticeFilter
    detail_links = ("movements", "principles")

    @classmethod
    def detail_records(cls):
        # The detail shows the body, which lists leave out, and the regions.
        records = super().detail_records().defer(None).defer("search_names", "search_vector")
        return records.prefetch_related("regions", "partners__organisation", "links")


class MovementViewSet(ListPageViewSet):
    serializer_class = serializers.MovementSerializer
    detail_serializer_class = serializers.MovementDetailSerializer
    filterset_class = MovementFilter
    detail_links = ("practices", "principles")


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
    return with_published(principles(), "practices", "movements")


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
