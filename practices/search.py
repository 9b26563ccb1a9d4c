"""How practices are searched: their titles first, then linked names, summary and body."""

from django.db import models

from search.documents import SearchSpec, register, register_acronyms, tag_names


def practice_names(practice):
    for organisation in practice.organisations.all():
        yield organisation.name
        yield organisation.acronym
    for country in practice.countries.all():
        yield from country.place_names()
    if practice.scope_region:
        yield from practice.scope_region.place_names()
    yield practice.scope_label
    if practice.approach:
        yield practice.approach.name
        yield practice.approach.theme.name
    yield from tag_names(practice)


def prefetch_practices(queryset):
    from practices.models import Country

    return queryset.select_related("approach__theme", "scope_region__parent").prefetch_related(
        "organisations",
        models.Prefetch("countries", queryset=Country.objects.select_related("region__parent")),
        "tags",
    )


def organisation_acronyms():
    from practices.models import Organisation

    return list(Organisation.objects.exclude(acronym="").values_list("acronym", "name"))


register(
    "practices.Practice",
    SearchSpec(
        weights=(("title", "A"), ("search_names", "B"), ("summary", "C"), ("body", "D")),
        title_field="title",
        snippet_fields=("summary", "body"),
        names=practice_names,
        prefetch=prefetch_practices,
        # Linked names: organisations and their acronyms, places, approach, theme, tags.
        vocabulary=("search_names",),
        links={
            "practices.Organisation": ("organisations",),
            "practices.Country": ("countries",),
            "practices.Region": (
                "countries__region",
                "countries__region__parent",
                "scope_region",
                "scope_region__parent",
            ),
            "practices.Approach": ("approach",),
            "practices.Theme": ("approach__theme",),
            "taggit.Tag": ("tags",),
        },
    ),
)
register_acronyms(organisation_acronyms, "practices.Organisation")
