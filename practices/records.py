"""How the record types of this app are curated, exported, searched and listed (core.records)."""

from django.utils.translation import gettext_lazy as _

from core.records import (
    EDITED,
    Pages,
    RecordType,
    plug_shown,
    public_type,
    register,
    register_pages,
    tagging,
)

# What a practice's lists are narrowed by (core.records.RecordType.facets): a practice scoped to a
# region covers each of its countries (Practice.objects.covering), and its regions are kept up to
# date from its countries and its region of scope.
PRACTICE_VALUES = {
    "country": (
        "countries__code",
        "scope_region__countries__code",
        "scope_region__subregions__countries__code",
    ),
    "region": "regions__slug",
    "theme": "approach__theme__slug",
    "approach": "approach__slug",
    "tag": "tags__slug",
    "organisation": "organisations__slug",
    "completeness": "completeness",
}
# The list's facets that narrow it to a value, the narrowest first (core.records.Pages.by),
# each value normalised as its facet reads it (practices.filters, core.facets.Facet.normalise).
LIST_VALUES = (
    ("tag", "tag", str.lower),
    ("organisation", "organisation", str.lower),
    ("approach", "approach", str.lower),
    ("country", "country", str.upper),
    ("region", "region", str.lower),
    ("theme", "theme", str.lower),
    ("completeness", "completeness", str.lower),
)


def declare():
    register(
        RecordType("practices.sourcedocument"),
        RecordType("practices.region", exported=False),
        RecordType("practices.country", exported=False),
        RecordType("practices.organisation", curation=EDITED),
        RecordType("practices.theme", sitemap="themes", sample_pages="theme"),
        RecordType("practices.approach", sitemap="approaches", sample_pages="approach"),
        RecordType("taggit.tag", curation=EDITED, export_order=("name",)),
        public_type(
            "practices.practice",
            _("Practice"),
            facets=PRACTICE_VALUES,
            counted_by="practices.filters.PracticeFilter",
        ),
        tagging("practices.taggedpractice"),
        RecordType(
            "practices.partner",
            curation=EDITED,
            export_order=("practice__slug", "organisation__slug", "role"),
            parent="practice",
        ),
        RecordType(
            "practices.practicelink",
            curation=EDITED,
            export_order=("practice__slug", "url"),
            parent="practice",
        ),
        fixtures=["sources.json", "practices.json"],
    )
    shows = ("practices", "taggit")
    listing = "practices.practice"
    register_pages(
        Pages(("practices:practice-feed",), shows=shows),
        Pages(
            ("practices:practice-list",),
            shows,
            listing=listing,
            by=LIST_VALUES,
            ordered=("", "title"),  # practices.views.SORTS["title"] is Meta.ordering
        ),
        Pages(("practices:theme-detail",), shows, listing=listing, by=(("slug", "theme", None),)),
        Pages(
            ("practices:approach-detail",),
            shows,
            listing=listing,
            by=(("slug", "approach", None),),
        ),
        # A practice's page shows it, and the related practices it picks (plugged in below:
        # practices.views.related_practices); a citation shows it alone.
        Pages(
            ("practices:practice-detail",),
            shows,
            record=listing,
            listing=listing,
            related=("approach", "tag", "country"),
        ),
        Pages(
            (
                "practices:practice-cite-bibtex",
                "practices:practice-cite-ris",
                "practices:practice-cite-csl-json",
            ),
            shows,
            record=listing,
            listing=listing,
        ),
    )
    from .views import related_practices

    plug_shown(listing, related_practices)
