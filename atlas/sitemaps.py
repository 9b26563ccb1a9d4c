"""sitemap.xml: an index of paginated sitemaps, one section per kind of public page.

Each section lists published records only, in primary-key order, LIMIT URLs a page; the index
links every page, so 100,000 practices make 20 small practice sitemaps, not one huge file.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from core.models import Status
from guidance.models import Principle
from movements.models import Movement
from practices.models import Approach, Country, Practice, Theme

LIMIT = 5000


class RecordSitemap(Sitemap):
    limit = LIMIT

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default reads every item to find the latest; one aggregate query does.
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class PracticeSitemap(RecordSitemap):
    def items(self):
        return Practice.objects.published().only("slug", "updated_at").order_by("pk")


class MovementSitemap(RecordSitemap):
    def items(self):
        return Movement.objects.published().only("slug", "updated_at").order_by("pk")


class PrincipleSitemap(RecordSitemap):
    def items(self):
        return Principle.objects.published().only("slug", "updated_at").order_by("pk")


class ThemeSitemap(Sitemap):
    limit = LIMIT

    def items(self):
        return Theme.objects.only("slug").order_by("pk")


class ApproachSitemap(Sitemap):
    limit = LIMIT

    def items(self):
        return Approach.objects.only("slug").order_by("pk")


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


SITEMAPS = {
    "static": StaticSitemap,
    "practices": PracticeSitemap,
    "movements": MovementSitemap,
    "principles": PrincipleSitemap,
    "themes": ThemeSitemap,
    "approaches": ApproachSitemap,
    "countries": CountrySitemap,
}
