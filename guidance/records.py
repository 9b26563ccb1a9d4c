"""How the record types of this app are curated, exported, searched and listed (core.records)."""

from django.utils.translation import gettext_lazy as _

from core.records import Pages, RecordType, public_type, register, register_pages, tagging

# The parts of the guidance note other than its principles, grouped apart in the admin's menu.
NOTE = _("Parts of the guidance note")


def declare():
    register(
        RecordType("guidance.section", admin_group=NOTE),
        RecordType("guidance.infographicgroup", admin_group=NOTE),
        public_type("guidance.principle", _("Principle")),
        tagging("guidance.taggedprinciple"),
        RecordType("guidance.phase", admin_group=NOTE),
        RecordType("guidance.valueadd", admin_group=NOTE),
        RecordType("guidance.finding", search_label=_("Research finding"), admin_group=NOTE),
        RecordType("guidance.definition", search_label=_("Definition"), admin_group=NOTE),
        RecordType("guidance.membertype", admin_group=NOTE),
        RecordType("guidance.resource", admin_group=NOTE),
        fixtures=["guidance.json"],
    )
    register_pages(
        Pages(("guidance:guidance",), shows=("guidance", "taggit")),
        # Each principle with the practices and movements that illustrate it.
        Pages(("guidance:checklist",), shows=("guidance", "practices", "movements", "taggit")),
        Pages(
            ("guidance:principle-detail",),
            shows=("guidance", "taggit"),
            record="guidance.principle",
        ),
    )
