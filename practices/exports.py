"""The practice list's exports: its columns, and the rows read for them in chunks.

Column names are part of the public interface (see README, "Exports, feeds and citations"):
add columns at the end, never rename or drop one.
"""

from core.exports import (
    Column,
    ListExport,
    link_values,
    sourced_columns,
    tag_names,
    text_of,
    url_maker,
)

from .feeds import FilteredPracticeFeed
from .models import Practice, TaggedPractice
from .narrative import NARRATIVE_FIELDS, Partner, PracticeLink


def partner_values(pks):
    """For `links`: each practice's partners as "name (role)"."""
    rows = (
        Partner.objects.filter(practice_id__in=pks)
        .values_list("practice_id", "organisation__name", "role")
        .order_by("organisation__name", "role")
    )
    return [(pk, f"{name} ({role})") for pk, name, role in rows]


def practice_columns(request):
    return [
        Column("slug"),
        Column("title"),
        Column("url", url_maker(request, "practices:practice-detail")),
        Column("organisations"),
        Column("approach", text_of("approach__name")),
        Column("theme", text_of("approach__theme__name")),
        Column("scope"),
        Column("scope_label"),
        Column("countries"),
        Column("regions"),
        Column("tags"),
        Column("summary"),
        *sourced_columns(),
        # Added later, so at the end.
        Column("completeness"),
        *(Column(name) for name in NARRATIVE_FIELDS),
        Column("start_year"),
        Column("end_year"),
        Column("partners"),
        Column("links"),
    ]


export_practices = ListExport(
    stem="practices",
    feed=FilteredPracticeFeed,
    fields=(
        "pk",
        "slug",
        "title",
        "approach__name",
        "approach__theme__name",
        "scope",
        "scope_label",
        "summary",
        "completeness",
        *NARRATIVE_FIELDS,
        "start_year",
        "end_year",
    ),
    links={
        "organisations": link_values(
            Practice.organisations.through, "practice", "organisation__name"
        ),
        "countries": link_values(Practice.countries.through, "practice", "country_id"),
        "regions": link_values(Practice.regions.through, "practice", "region__name"),
        "tags": tag_names(TaggedPractice),
        "partners": partner_values,
        "links": link_values(PracticeLink, "practice", "url"),
    },
    columns=practice_columns,
    label="practices.practice",
)
