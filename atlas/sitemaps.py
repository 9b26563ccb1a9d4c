"""sitemap.xml: an index of paginated sitemaps, one section per kind of public page.

Each section lists published records only, in primary-key order, LIMIT URLs a page; the index
links every page, so 100,000 practices make 20 small practice sitemaps, not one huge file.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from core.models import Status
from core.records import record_types
from movements.models import Movement
from practices.models import Country, Practice

from .places import regions_with_records

LIMIT = 5000


class RecordSitemap(Sitemap):
    limit = LIMIT

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item to find the latest; one aggregate query does.
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class PlainSitemap(Sitemap):
    limit = LIMIT


def record_sitemap(declared):
    """The section of one record type: its published records' pages, with their last change
    where the type keeps one."""
    dated = any(field.name == "updated_at" for field in declared.model._meta.fields)
    fields = ["slug", "updated_at"] if dated else ["slug"]
    return type(
        f"{declared.model.__name__}Sitemap",
        (RecordSitemap if dated else PlainSitemap,),
        {"items": lambda self: declared.published().only(*fields).order_by("pk")},
    )


class CountrySitemap(Sitemap):
    """Countries with at least one published practice or movement: the others' pages are empty."""

    limit = LIMIT

    def items(self):
        published_practice = Practice.countries.through.objects.filter(
            country=OuterRef("pk"), practice__status=Status.PUBLISHED
        )
        published_movement = Movement.countries.through.objects.filter(
            country=OuterRef("pk"), movement__status=Status.PUBLISHED
        )
        return Country.objects.filter(
            Q(Exists(published_practice)) | Q(Exists(published_movement))
        ).order_by("code")


class RegionSitemap(Sitemap):
    """Continents and sub-regions with records (atlas.places)."""

    limit = LIMIT

    def items(self):
        return regions_with_records().order_by("code")


class StaticSitemap(Sitemap):
    """The pages that are not records: home, lists, guidance and coverage."""

    pages = (
        "atlas:home",
        "practices:practice-list",
        "movements:movement-list",
        "guidance:guidance",
        "guidance:checklist",
        "atlas:country-list",
        "atlas:coverage",
    )

    def items(self):
        return list(self.pages)

    def location(self, item):
        return reverse(item)


def sitemaps():
    """The sections of sitemap.xml: the pages that are not records, each record type that
    declares a section (core.records), the countries and the regions."""
    sections = {"static": StaticSitemap}
    sections.update(
        (declared.sitemap, record_sitemap(declared))
        for declared in record_types()
        if declared.sitemap
    )
    sections["countries"] = CountrySitemap
    sections["regions"] = RegionSitemap
    return sections
