"""How movements are searched: their names and acronyms first, then linked places and tags."""

from core.places import place_names
from search.documents import ACRONYM_SOURCES, SearchSpec, register, tag_names


def movement_names(movement):
    yield movement.get_kind_display() if movement.kind else ""
    for country in movement.countries.all():
        yield from place_names(country)
    yield from tag_names(movement)


def movement_acronyms():
    from .models import Movement

    return Movement.objects.published().exclude(acronym="").values_list("acronym", "name")


register(
    "movements.Movement",
    SearchSpec(
        weights=(("name", "A"), ("acronym", "A"), ("search_names", "B"), ("description", "C")),
        title_field="name",
        snippet_fields=("description",),
        names=movement_names,
        links=("countries__region__parent", "tags"),
        vocabulary=("name", "acronym"),
    ),
)
ACRONYM_SOURCES.append(movement_acronyms)
