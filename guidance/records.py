"""How the record types of this app are curated, exported, searched and listed (core.records)."""

from django.utils.translation import gettext_lazy as _

from core.records import EDITED, Pages, RecordType, register, register_pages, tagging


def declare():
    register(
        RecordType("guidance.section"),
        RecordType("guidance.infographicgroup"),
        RecordType(
            "guidance.principle",
            curation=EDITED,
            publishable=True,
            search_label=_("Principle"),
            sitemap="principles",
            sample_pages="principle",
        ),
        tagging("guidance.taggedprinciple"),
        RecordType("guidance.phase"),
        RecordType("guidance.valueadd"),
        RecordType("guidance.finding", search_label=_("Research finding")),
        RecordType("guidance.definition", search_label=_("Definition")),
        RecordType("guidance.membertype"),
        RecordType("guidance.resource"),
        fixtures=["guidance.json"],
    )
    register_pages(
        Pages(("guidance:guidance", "guidance:checklist"), shows=("guidance", "taggit")),
        Pages(
            ("guidance:principle-detail",),
            shows=("guidance", "taggit"),
            record="guidance.principle",
        ),
    )
