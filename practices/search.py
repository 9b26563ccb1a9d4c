"""How practices are searched: their titles first, then linked names, summary and body."""

from core.places import OtherName, local_names, place_names
from search.documents import ACRONYM_SOURCES, SearchSpec, register, tag_names


def practice_names(practice):
    for organisation in practice.organisations.all():
        yield from (organisation.name, organisation.acronym)
    for place in [*practice.countries.all(), *filter(None, [practice.scope_region])]:
        yield from place_names(place)
    yield practice.scope_label
    if practice.approach:
        yield from (practice.approach.name, practice.approach.theme.name)
    yield from tag_names(practice)
    yield from covered_names(practice.scope_region)


def covered_names(region):
    """The names of the countries a region covers (its own and its sub-regions'), in the three
    languages: "Kenya" and "Kenia" find a practice scoped to "East Africa Region"."""
    for part in [region, *region.subregions.all()] if region else []:
        for country in part.countries.all():
            yield OtherName(country.name)
            yield from local_names(country)


def organisation_acronyms():
    from practices.models import Organisation

    return Organisation.objects.exclude(acronym="").values_list("acronym", "name")


register(
    "practices.Practice",
    SearchSpec(
        weights=(("title", "A"), ("search_names", "B"), ("summary", "C"), ("body", "D")),
        title_field="title",
        snippet_fields=("summary", "body"),
        names=practice_names,
        # Linked names: organisations and their acronyms, places, approach, theme, tags.
        links=(
            "organisations",
            "countries__region__parent",
            "scope_region__parent",
            "scope_region__countries",  # a country added to its region, renamed or moved
            "scope_region__subregions__countries",
            "approach__theme",
            "tags",
        ),
        vocabulary=("search_names",),
    ),
)
ACRONYM_SOURCES.append(organisation_acronyms)
