"""How guidance is searched: principles, research findings and definitions. The guidance note's
collections stay small, so every match is ranked (no bounded pool)."""

from core.places import place_names
from search.documents import SearchSpec, register, tag_names


def principle_names(principle):
    yield f"{principle.section.number} {principle.section.title}"
    if principle.infographic_group:
        yield principle.infographic_group.title
    yield from tag_names(principle)


def finding_names(finding):
    yield finding.get_kind_display()
    for country in finding.countries.all():
        yield from place_names(country)


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
        links=("section", "infographic_group", "tags"),
        vocabulary=("title",),
        pooled=False,
    ),
)
register(
    "guidance.Finding",
    SearchSpec(
        weights=(("search_names", "B"), ("text", "B")),
        title_field="text",
        snippet_fields=("text",),
        names=finding_names,
        links=("countries__region__parent",),
        pooled=False,
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
