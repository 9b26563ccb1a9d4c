"""How the record types of this app are curated, exported and listed (core.records)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.records import EDITED, Pages, RecordType, register, register_pages

# Outcomes, studies and assessments are kept together in the admin's menu.
EVIDENCE = _("Evidence")


def declare():
    register(
        # Broader outcomes first, so an import finds each outcome's parent already loaded.
        RecordType(
            "evidence.outcome",
            curation=EDITED,
            export_order=(F("parent__slug").asc(nulls_first=True), "slug"),
            admin_group=EVIDENCE,
        ),
        RecordType("evidence.study", curation=EDITED, admin_group=EVIDENCE),
        # Part of its practice: a change shows on the practice's page (core.cache), and an
        # import of the practice replaces its assessments with the file's.
        RecordType(
            "evidence.assessment",
            curation=EDITED,
            export_order=("practice__slug", "outcome__slug"),
            parent="practice",
            admin_group=EVIDENCE,
        ),
        fixtures=["evidence.json"],
    )
    register_pages(Pages(("evidence:rubric",), shows=("evidence",)))
