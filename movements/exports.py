"""The movement list as CSV, JSON or Atom (`?format=`); columns documented in the README."""

from django.db.models import Prefetch

from practices.exports import (
    CHUNK_SIZE,
    FEED_FORMAT,
    Column,
    absolute_url,
    export_response,
    iso_datetime,
)
from practices.models import Country, Practice

from .feeds import FilteredMovementFeed


def region_names(movement):
    """The sub-regions and continents of its countries, A–Z."""
    names = set()
    for country in movement.countries.all():
        if country.region:
            names.add(country.region.name)
            if country.region.parent:
                names.add(country.region.parent.name)
    return sorted(names)


def figure_text(figure):
    """E.g. "members: about 200000 (2014)": measure and qualifier as their stable codes."""
    value = f"{figure.qualifier} {figure.value}" if figure.qualifier else str(figure.value)
    year = f" ({figure.year})" if figure.year else ""
    return f"{figure.measure}: {value}{year}"


def movement_columns(request):
    return [
        Column("slug", lambda m: m.slug),
        Column("name", lambda m: m.name),
        Column("acronym", lambda m: m.acronym),
        Column("url", absolute_url(request)),
        Column("kind", lambda m: m.kind),
        Column("countries", lambda m: sorted(c.code for c in m.countries.all())),
        Column("regions", region_names),
        Column("founded_year", lambda m: m.founded_year),
        Column("figures", lambda m: [figure_text(f) for f in m.figures.all()]),
        Column("practices", lambda m: sorted(p.slug for p in m.practices.all())),
        Column("tags", lambda m: sorted(t.name for t in m.tags.all())),
        Column("description", lambda m: m.description),
        Column("source", lambda m: m.source.short_title if m.source_id else ""),
        Column("locator", lambda m: m.locator),
        Column("updated_at", iso_datetime),
    ]


def movements_for_export(queryset):
    return (
        queryset.select_related("source")
        .prefetch_related(
            Prefetch("countries", queryset=Country.objects.select_related("region__parent")),
            "figures",
            Prefetch("practices", queryset=Practice.objects.published().only("pk", "slug")),
            "tags",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def export_movements(request, queryset, fmt, filters=()):
    """The response for `?format=` on the movement list: CSV, JSON or an Atom feed."""
    if fmt == FEED_FORMAT:
        return FilteredMovementFeed(queryset, filters)(request)
    return export_response(
        request,
        movements_for_export(queryset),
        movement_columns(request),
        fmt=fmt,
        stem="movements",
    )
