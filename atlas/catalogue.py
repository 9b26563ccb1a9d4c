"""Every kind of public page, with real addresses from the database.

The load test, the benchmark and the hostile-input tests all walk this one list, so a new page
type added here is exercised by each of them.
"""

from django.urls import reverse

from core.records import record_types
from practices.models import Country, Practice

from .places import regions_with_records


def public_urls(per_kind=5):
    """[(page kind, path)] for every public page type, up to `per_kind` records of each."""
    countries = Country.objects.filter(practices__status="published").distinct()[:per_kind]
    practice_list = reverse("practices:practice-list")
    urls = [
        ("home", reverse("atlas:home")),
        ("practice list", practice_list),
        ("practice list filtered", practice_list + "?country=KE&country=UG&region=eastern-africa"),
        ("practice list searched", practice_list + "?q=women+leadership"),
        ("movement list", reverse("movements:movement-list")),
        ("guidance", reverse("guidance:guidance")),
        ("checklist", reverse("guidance:checklist")),
        ("country list", reverse("atlas:country-list")),
        ("search", reverse("atlas:search") + "?q=Kenya"),
        ("search empty", reverse("atlas:search")),
        ("api list", "/api/v1/practices/"),
        ("api list filtered", "/api/v1/practices/?country=KE&country=UG&region=eastern-africa"),
        ("api search", "/api/v1/search/?q=Kenya"),
        ("api docs", reverse("api:docs")),
        ("evidence gap map", reverse("evidence:gap-map")),
        (
            "evidence gap map filtered",
            reverse("evidence:gap-map") + "?region=africa&evidence=practice-based",
        ),
    ]
    for declared in record_types():
        if declared.sample_pages:
            records = declared.published().order_by("pk")[:per_kind]
            urls += [(declared.sample_pages, record.get_absolute_url()) for record in records]
    urls += [("country", c.get_absolute_url()) for c in countries]
    practices = Practice.objects.published().order_by("pk")[:per_kind]
    urls += [("api detail", f"/api/v1/practices/{practice.slug}/") for practice in practices]
    regions = regions_with_records().order_by("code")[:per_kind]
    urls += [("region", region.get_absolute_url()) for region in regions]
    urls.append(("practice map", practice_list + "?region=africa&view=map"))
    tagged = Practice.objects.published().filter(tags__isnull=False).order_by("pk")[:1]
    for practice in tagged:
        urls.append(("tag", reverse("atlas:tag-detail", args=[practice.tags.first().slug])))
    return urls
