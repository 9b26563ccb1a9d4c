"""How the record types of this app are curated, exported and listed (core.records)."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.records import (
    EDITED,
    Pages,
    RecordType,
    extend_pages,
    plug_card_links,
    plug_export_columns,
    plug_facets,
    plug_related,
    register,
    register_pages,
)

from . import facets

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
    register_pages(
        Pages(("evidence:rubric",), shows=("evidence",)),
        # Practices' approaches and places with their confirmed assessments: what the practices'
        # counts count (status, approach, places), never their text, so a curator's new summary
        # leaves it cached (core.cache).
        Pages(("evidence:gap-map",), shows=("evidence", "practices:counts")),
    )
    # Practice lists filter and count by outcome and level of evidence; a list narrowed to an
    # outcome shows the practices assessed for it (their value topics and the practices'
    # counts, which a write of an assessment replaces: core.cache.counts_topics), and a
    # practice's page shows the practices sharing its outcomes, first of its related ones.
    practice = "practices.practice"
    plug_facets(practice, facets.OUTCOME, facets.EVIDENCE, values=facets.VALUES)
    extend_pages("practices:practice-list", by=(("outcome", "outcome", str.lower),))
    extend_pages("practices:practice-detail", related=("outcome",))
    # More than a practice's approach, tags and countries together: shared outcomes come first.
    plug_related(practice, facets.sharing_outcomes, weight=4)
    # A practice's card shows the strongest confirmed level of its evidence (templatetags).
    plug_card_links(practice, facets.confirmed_levels())
    # Its exports end with the confirmed outcomes and their evidence.
    plug_export_columns(
        practice, outcomes=facets.confirmed_outcomes, evidence=facets.confirmed_evidence
    )
