"""How guidance is searched: principles, research findings and definitions. The guidance note's
collections stay small, so every match is ranked (no bounded pool)."""

from django.db.models import Prefetch

from search.documents import SearchSpec, register, tag_names


def principle_names(principle):
    yield f"{principle.section.number} {principle.section.title}"
    if principle.infographic_group:
        yield principle.infographic_group.title
    yield from tag_names(principle)


def prefetch_principles(queryset):
    return queryset.select_related("section", "infographic_group").prefetch_related("tags")


def finding_names(finding):
    yield finding.get_kind_display()
    for country in finding.countries.all():
        yield from country.place_names()


def prefetch_findings(queryset):
    from practices.models import Country

    return queryset.prefetch_related(
        Prefetch("countries", queryset=Country.objects.select_related("region__parent"))
    )


register(
    "guidance.Principle",
    SearchSpec(
        weights=(
            ("title", "A"),
            ("short_title", "A"),
            ("search_names", "B"),
            ("explanation", "C"),
            ("short_text", "C"),
        ),
        title_field="title",
        snippet_fields=("explanation", "short_text"),
        names=principle_names,
        prefetch=prefetch_principles,
        vocabulary=("title",),
        pooled=False,
        links={
            "guidance.Section": ("section",),
            "guidance.InfographicGroup": ("infographic_group",),
            "taggit.Tag": ("tags",),
        },
    ),
)
register(
    "guidance.Finding",
    SearchSpec(
        weights=(("search_names", "B"), ("text", "B")),
        title_field="text",
        snippet_fields=("text",),
        names=finding_names,
        prefetch=prefetch_findings,
        pooled=False,
        links={
            "practices.Country": ("countries",),
            "practices.Region": ("countries__region", "countries__region__parent"),
        },
    ),
)
register(
    "guidance.Definition",
    SearchSpec(
        weights=(("term", "A"), ("search_names", "B"), ("text", "C"), ("attribution", "D")),
        title_field="term",
        snippet_fields=("text",),
        vocabulary=("term",),
        pooled=False,
    ),
)
