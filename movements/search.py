"""How movements are searched: their names and acronyms first, then linked places and tags."""

from django.db.models import Prefetch

from search.documents import SearchSpec, register, register_acronyms, tag_names


def movement_names(movement):
    yield movement.get_kind_display() if movement.kind else ""
    for country in movement.countries.all():
        yield from country.place_names()
    yield from tag_names(movement)


def prefetch_movements(queryset):
    from practices.models import Country

    return queryset.prefetch_related(
        Prefetch("countries", queryset=Country.objects.select_related("region__parent")), "tags"
    )


def movement_acronyms():
    from .models import Movement

    return list(Movement.objects.published().exclude(acronym="").values_list("acronym", "name"))


register(
    "movements.Movement",
    SearchSpec(
        weights=(
            ("name", "A"),
            ("acronym", "A"),
            ("search_names", "B"),
            ("description", "C"),
        ),
        title_field="name",
        snippet_fields=("description",),
        names=movement_names,
        prefetch=prefetch_movements,
        vocabulary=("name", "acronym"),
        links={
            "practices.Country": ("countries",),
            "practices.Region": ("countries__region", "countries__region__parent"),
            "taggit.Tag": ("tags",),
        },
    ),
)
register_acronyms(movement_acronyms, "movements.Movement")
