"""The movement list as CSV, JSON or Atom (`?format=`); columns documented in the README."""

from core.exports import (
    Column,
    ListExport,
    link_values,
    sourced_columns,
    tag_names,
    url_maker,
)
from core.models import Status

from .feeds import FilteredMovementFeed
from .models import Figure, Movement, TaggedMovement


def figure_text(measure, value, qualifier, year):
    """E.g. "members: about 200000 (2014)": measure and qualifier as their stable codes."""
    amount = f"{qualifier} {value}" if qualifier else str(value)
    return f"{measure}: {amount} ({year})" if year else f"{measure}: {amount}"


def movement_columns(request):
    return [
        Column("slug"),
        Column("name"),
        Column("acronym"),
        Column("url", url_maker(request, "movements:movement-detail")),
        Column("kind"),
        Column("countries"),
        Column("regions", lambda row: sorted(row["regions"])),
        Column("founded_year"),
        Column("figures"),
        Column("practices"),
        Column("tags"),
        Column("description"),
        *sourced_columns(),
    ]


def country_links(pks):
    return Movement.countries.through.objects.filter(movement_id__in=pks)


def region_rows(pks):
    """(movement, region name) for the sub-region and the continent of each of its countries."""
    for movement, subregion, continent in country_links(pks).values_list(
        "movement_id", "country__region__name", "country__region__parent__name"
    ):
        yield movement, subregion
        yield movement, continent


def figure_rows(pks):
    rows = Figure.objects.filter(movement_id__in=pks).order_by("measure")
    for movement, *figure in rows.values_list(
        "movement_id", "measure", "value", "qualifier", "year"
    ):
        yield movement, figure_text(*figure)


def published_practice_rows(pks):
    """(movement, slug) of its published practices. The status is checked here, not in SQL: a
    status condition can lead SQLite to scan every published practice instead of the links."""
    links = Movement.practices.through.objects.filter(movement_id__in=pks)
    rows = links.values_list("movement_id", "practice__slug", "practice__status")
    return sorted((m, slug) for m, slug, status in rows if status == Status.PUBLISHED)


export_movements = ListExport(
    stem="movements",
    feed=FilteredMovementFeed,
    fields=("pk", "slug", "name", "acronym", "kind", "founded_year", "description"),
    links={
        "countries": link_values(Movement.countries.through, "movement", "country_id"),
        "regions": region_rows,
        "figures": figure_rows,
        "practices": published_practice_rows,
        "tags": tag_names(TaggedMovement),
    },
    columns=movement_columns,
)
