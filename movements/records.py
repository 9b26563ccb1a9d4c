"""How the record types of this app are curated, exported, searched and listed (core.records)."""

from django.utils.translation import gettext_lazy as _

from core.records import EDITED, RecordType, register, tagging


def declare():
    register(
        RecordType(
            "movements.movement",
            curation=EDITED,
            publishable=True,
            search_label=_("Movement"),
            sitemap="movements",
            sample_pages="movement",
        ),
        RecordType(
            "movements.figure",
            curation=EDITED,
            export_order=("movement__slug", "measure"),
            parent="movement",
        ),
        tagging("movements.taggedmovement"),
        fixtures=["movements.json"],
    )
