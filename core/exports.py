"""Whole filtered results as CSV, JSON or Atom: `?format=csv|json|atom` on a list URL.

CSV and JSON are built once per content version and filter and served as files
(core.exportfiles), with a bound on how many are built at once.

Exports stream the queryset the list page shows (every page of it) as plain `values()` rows, in
chunks of CHUNK_SIZE; each chunk's many-valued columns come from one query per link table. So
the number of queries depends on the number of chunks, not rows, and no model instances are
built (at 100,000 practices that is the difference between seconds and minutes).
Column names are part of the public interface (see README, "Exports, feeds and citations"):
add columns at the end, never rename or drop one.
"""

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .exportfiles import served_export
from .keys import key_set
from .records import plugged_export_columns

EXPORT_FORMATS = ("csv", "json")
FEED_FORMAT = "atom"
CHUNK_SIZE = 2000
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
    """One exported field: its stable name and how to read it off a row (a list for
    many-valued fields, joined with ";" in CSV and kept as an array in JSON); by default the
    row's value of the same name."""

    name: str
    read: Any = None

    def value(self, row):
        return self.read(row) if self.read else row[self.name]


class Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value):
        return value


def csv_cell(value):
    if value.__class__ is not str:  # Most cells are text: 2.5 million at 100,000 practices.
        if isinstance(value, list | tuple):
            value = LIST_SEPARATOR.join(map(str, value))
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


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


def export_body(records, columns, fmt, source):
    """The export as pieces of text: CSV, or JSON whose meta names `source` (its URL)."""
    if fmt == "csv":
        return csv_lines(records, columns)
    meta = {"source": source, "generated_at": timezone.now().isoformat(timespec="seconds")}
    return json_chunks(records, columns, meta)


def export_response(request, records, columns, *, fmt, stem, query):
    """A CSV or JSON attachment of records(), an iterable consumed lazily, served from a file
    built once per content version (core.exportfiles). `query`, the validated filter as
    (param, value) pairs, names the file and, with the format, the export's canonical URL: odd,
    repeated or unknown parameters give the same file as the clean request."""
    canonical = f"{request.path}?{urlencode([*sorted(query), ('format', fmt)])}"
    source = request.build_absolute_uri(canonical)

    def build(out):
        for piece in export_body(records(), columns, fmt, source):
            out.write(piece.encode())

    return served_export(
        request,
        parts=(stem, fmt, request.scheme, request.get_host(), canonical),
        build=build,
        content_type=CONTENT_TYPES[fmt],
        filename=export_filename(stem, fmt),
    )


def chunks(rows, size=CHUNK_SIZE):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def linked(link_rows):
    """{owner pk: [values]} from (owner pk, value) rows of a link table, in the rows' order."""
    values = defaultdict(list)
    for owner, value in link_rows:
        if value is not None and value not in values[owner]:
            values[owner].append(value)
    return values


def with_links(rows, links, using="default"):
    """`rows` (dicts with "pk") with each many-valued column added: `links` maps a column name
    to a function that, given a subquery of a chunk's pks, returns (pk, value) rows in one query
    (the keys as one parameter: as a list, Django prepares each of them, for every query)."""
    for chunk in chunks(rows):
        pks = key_set([row["pk"] for row in chunk], using)
        found = {name: linked(fetch(pks)) for name, fetch in links.items()}
        for row in chunk:
            for name in links:
                row[name] = found[name].get(row["pk"], [])
            yield row


def export_rows(queryset, fields, links):
    """The `fields` of the queryset's records as dicts, in its order, read in chunks, with the
    many-valued columns of `links` added (see with_links)."""
    rows = queryset.values(*fields).iterator(chunk_size=CHUNK_SIZE)
    return with_links(rows, links, queryset.db)


def link_values(through, owner, value):
    """For `links`: a function from a chunk's pks to (pk, `value`) rows of the link table
    `through` whose `owner` field points at the records, ordered by the value."""
    return lambda pks: (
        through.objects.filter(**{f"{owner}_id__in": pks})
        .values_list(f"{owner}_id", value)
        .order_by(value)
    )


def tag_names(through):
    """For `links`: the tag names of the records whose tag links are `through` (a
    core.models.TaggedRecord)."""
    return link_values(through, "content_object", "tag__name")


def url_maker(request, view_name):
    """A function from a slug to the absolute URL of its page, reversing the pattern once."""
    placeholder = "slug-placeholder"
    pattern = request.build_absolute_uri(reverse(view_name, args=[placeholder]))
    before, after = pattern.split(placeholder)
    return lambda row: before + row["slug"] + after


def iso_datetime(row):
    return row["updated_at"].isoformat(timespec="seconds")


def text_of(field):
    return lambda row: row[field] or ""


# What every exported record says of where it comes from, and the fields that it reads.
SOURCED_FIELDS = ("source__short_title", "locator", "updated_at")


def sourced_columns():
    """A record's source document, the place in it, and when the record was last updated."""
    return [
        Column("source", text_of("source__short_title")),
        Column("locator"),
        Column("updated_at", iso_datetime),
    ]


@dataclass(frozen=True)
class ListExport:
    """A list's `?format=`: the Atom `feed` (a core.feeds.FilteredFeed) or CSV and JSON files
    named after `stem`, whose rows are the `fields` (and SOURCED_FIELDS) of the records with the
    many-valued columns of `links` (see with_links), written as `columns(request)` says."""

    stem: str
    feed: Any
    fields: tuple
    links: dict
    columns: Any
    label: str = ""  # its record type, whose plugged columns come last (plug_export_columns)

    def rows(self, queryset):
        """The rows to export, in the queryset's order, with their many-valued columns."""
        links = {**self.links, **plugged_export_columns(self.label)}
        return export_rows(queryset, (*self.fields, *SOURCED_FIELDS), links)

    def __call__(self, request, queryset, fmt, filters=(), query=()):
        """The response: `queryset` is a function that gives the records (called only if they
        are read); `filters` are the (text, removal url) pairs of the filters in force, which
        name the feed; `query` is the validated filter as (param, value) pairs, which names the
        export's file."""
        if fmt == FEED_FORMAT:
            return self.feed(queryset(), filters)(request)
        return export_response(
            request,
            lambda: self.rows(queryset()),
            [*self.columns(request), *map(Column, plugged_export_columns(self.label))],
            fmt=fmt,
            stem=self.stem,
            query=query,
        )
