"""The practice list's exports: its columns, and the rows read for them in chunks.

Column names are part of the public interface (see README, "Exports, feeds and citations"):
add columns at the end, never rename or drop one.
"""

from core.exports import (
    FEED_FORMAT,
    Column,
    export_response,
    export_rows,
    iso_datetime,
    link_values,
    tag_names,
    text_of,
    url_maker,
)

from .feeds import FilteredPracticeFeed
from .models import Practice, TaggedPractice


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
        Column("source", text_of("source__short_title")),
        Column("locator"),
        Column("updated_at", iso_datetime),
    ]


PRACTICE_FIELDS = (
    "pk",
    "slug",
    "title",
    "approach__name",
    "approach__theme__name",
    "scope",
    "scope_label",
    "summary",
    "source__short_title",
    "locator",
    "updated_at",
)


def practices_for_export(queryset):
    """The rows to export, in the queryset's order, with their many-valued columns."""
    return export_rows(
        queryset,
        PRACTICE_FIELDS,
        {
            "organisations": link_values(
                Practice.organisations.through, "practice", "organisation__name"
            ),
            "countries": link_values(Practice.countries.through, "practice", "country_id"),
            "regions": link_values(Practice.regions.through, "practice", "region__name"),
            "tags": tag_names(TaggedPractice),
        },
    )


def export_practices(request, queryset, fmt, filters=(), query=()):
    """The response for `?format=` on a practice list: CSV, JSON or an Atom feed.

    `queryset` is a function that gives the practices (called only if they are read);
    `filters` are the (text, removal url) pairs of the filters in force, which name the feed;
    `query` is the validated filter as (param, value) pairs, which names the export's file.
    """
    if fmt == FEED_FORMAT:
        return FilteredPracticeFeed(queryset(), filters)(request)
    return export_response(
        request,
        lambda: practices_for_export(queryset()),
        practice_columns(request),
        fmt=fmt,
        stem="practices",
        query=query,
    )
