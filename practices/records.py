"""How the record types of this app are curated, exported, searched and listed (core.records)."""

from django.utils.translation import gettext_lazy as _

from core.records import EDITED, Pages, RecordType, register, register_pages, tagging


def declare():
    register(
        RecordType("practices.sourcedocument"),
        RecordType("practices.region", exported=False),
        RecordType("practices.country", exported=False),
        RecordType("practices.organisation", curation=EDITED),
        RecordType("practices.theme", sitemap="themes", sample_pages="theme"),
        RecordType("practices.approach", sitemap="approaches", sample_pages="approach"),
        RecordType("taggit.tag", curation=EDITED, export_order=("name",)),
        RecordType(
            "practices.practice",
            curation=EDITED,
            publishable=True,
            search_label=_("Practice"),
            sitemap="practices",
            sample_pages="practice",
        ),
        tagging("practices.taggedpractice"),
        fixtures=["sources.json", "practices.json"],
    )
    register_pages(
        Pages(
            (
                "practices:practice-list",
                "practices:theme-detail",
                "practices:approach-detail",
                "practices:practice-feed",
            ),
            shows=("practices", "taggit"),
        ),
        Pages(
            (
                "practices:practice-detail",
                "practices:practice-cite-bibtex",
                "practices:practice-cite-ris",
                "practices:practice-cite-csl-json",
            ),
            shows=("practices", "taggit"),
            record="practices.practice",
        ),
    )
