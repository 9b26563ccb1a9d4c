"""How the record types of this app are curated, exported, searched and listed (core.records)."""

from django.utils.translation import gettext_lazy as _

from core.records import EDITED, Pages, RecordType, public_type, register, register_pages, tagging


def declare():
    register(
        public_type(
            "movements.movement", _("Movement"), counted_by="movements.filters.MovementFilter"
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
    register_pages(
        Pages(("movements:movement-list",), shows=("movements", "taggit")),
        Pages(
            (
                "movements:movement-detail",
                "movements:movement-cite-bibtex",
                "movements:movement-cite-ris",
                "movements:movement-cite-csl-json",
            ),
            shows=("movements", "taggit"),
            record="movements.movement",
        ),
    )
