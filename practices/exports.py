"""Whole filtered results as CSV, JSON or Atom: `?format=csv|json|atom` on a list URL.

Exports stream the queryset the list page shows (every page of it) in chunks, with related
records prefetched per chunk, so the number of queries depends on the number of chunks, not rows.
Column names are part of the public interface (see README, "Exports, feeds and citations"):
add columns at the end, never rename or drop one.
"""

import csv
import json
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from .feeds import FilteredPracticeFeed
from .models import Region

EXPORT_FORMATS = ("csv", "json")
FEED_FORMAT = "atom"
CHUNK_SIZE = 500
LIST_SEPARATOR = ";"
# Cells starting with these can run as formulas in spreadsheets (CSV injection); CSV cells that
# do are prefixed with an apostrophe. JSON carries the values unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def requested_format(request):
    """ "csv", "json" or "atom" when the URL asks for one, else "" (the HTML page)."""
    value = request.GET.get("format", "").strip().lower()
    return value if value in (*EXPORT_FORMATS, FEED_FORMAT) else ""


@dataclass(frozen=True)
class Column:
    """One exported field: its stable name and how to read it off a record (a list for
    many-valued fields, joined with ";" in CSV and kept as an array in JSON)."""

    name: str
    value: Any


class Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value):
        return value


def csv_cell(value):
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_lines(records, columns):
    writer = csv.writer(Echo())
    # A byte-order mark so that spreadsheet programs read the file as UTF-8.
    yield "\ufeff" + writer.writerow([column.name for column in columns])
    for record in records:
        yield writer.writerow([csv_cell(column.value(record)) for column in columns])


def json_chunks(records, columns, meta):
    """A JSON object {"meta": {...}, "columns": [...], "results": [...]}, one result a line."""
    head = json.dumps({"meta": meta, "columns": [c.name for c in columns]}, ensure_ascii=False)
    yield head[:-1] + ', "results": ['
    for index, record in enumerate(records):
        row = {column.name: column.value(record) for column in columns}
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
    yield "\n]}\n"


def export_filename(stem, extension):
    return f"practice-atlas-{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"


def export_response(request, records, columns, *, fmt, stem):
    """A streamed CSV or JSON attachment of `records` (an iterable, consumed lazily)."""
    if fmt == "csv":
        body = csv_lines(records, columns)
        content_type = "text/csv; charset=utf-8"
    else:
        meta = {
            "source": request.build_absolute_uri(request.get_full_path()),
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        }
        body = json_chunks(records, columns, meta)
        content_type = "application/json; charset=utf-8"
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(stem, fmt)
    )
    return response


def absolute_url(request):
    base = request.build_absolute_uri("/")[:-1]
    return lambda record: base + record.get_absolute_url()


def iso_datetime(record):
    return record.updated_at.isoformat(timespec="seconds")


def practice_columns(request):
    return [
        Column("slug", lambda p: p.slug),
        Column("title", lambda p: p.title),
        Column("url", absolute_url(request)),
        Column("organisations", lambda p: [o.name for o in p.organisations.all()]),
        Column("approach", lambda p: p.approach.name if p.approach_id else ""),
        Column("theme", lambda p: p.approach.theme.name if p.approach_id else ""),
        Column("scope", lambda p: p.scope),
        Column("scope_label", lambda p: p.scope_label),
        Column("countries", lambda p: sorted(c.code for c in p.countries.all())),
        Column("regions", lambda p: [r.name for r in p.regions.all()]),
        Column("tags", lambda p: sorted(t.name for t in p.tags.all())),
        Column("summary", lambda p: p.summary),
        Column("source", lambda p: p.source.short_title if p.source_id else ""),
        Column("locator", lambda p: p.locator),
        Column("updated_at", iso_datetime),
    ]


def practices_for_export(queryset):
    """Every column's related records, fetched once per chunk of CHUNK_SIZE practices."""
    return (
        queryset.select_related("approach__theme", "source")
        .prefetch_related(
            "organisations",
            "countries",
            Prefetch("regions", queryset=Region.objects.order_by("name")),
            "tags",
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )


def export_practices(request, queryset, fmt, filters=()):
    """The response for `?format=` on a practice list: CSV, JSON or an Atom feed.

    `filters` are the (text, removal url) pairs of the filters in force, which name the feed.
    """
    if fmt == FEED_FORMAT:
        return FilteredPracticeFeed(queryset, filters)(request)
    return export_response(
        request,
        practices_for_export(queryset),
        practice_columns(request),
        fmt=fmt,
        stem="practices",
    )
