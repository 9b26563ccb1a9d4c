"""Search results as CSV, JSON or Atom (`/search/?q=...&format=`); columns in the README.

Results keep the page's order (best match first). They are read in chunks of the combined
ranked list: one UNION query for a chunk's (type, pk) rows, then one query per type to load
those records, so queries grow with the number of chunks, not of rows.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.citations import record_title
from core.exports import CHUNK_SIZE, FEED_FORMAT, Column, export_response

from .feeds import SearchFeed

SUMMARY_WORDS = 60
# The text each type of record is summarised from, and where a record without a page is shown.
SUMMARY_FIELDS = {
    "practice": "summary",
    "movement": "description",
    "principle": "explanation",
    "finding": "text",
    "definition": "text",
}
GUIDANCE_ANCHORS = {"finding": "#findings", "definition": "#definitions"}


@dataclass(frozen=True)
class Result:
    kind: str
    record: object

    @property
    def title(self):
        if self.kind == "finding":
            return f"{self.record.get_kind_display()}: {Truncator(self.record.text).words(12)}"
        if self.kind == "definition":
            return self.record.term
        return record_title(self.record)

    @property
    def path(self):
        if self.kind in GUIDANCE_ANCHORS:
            return reverse("guidance:guidance") + GUIDANCE_ANCHORS[self.kind]
        return self.record.get_absolute_url()

    @property
    def summary(self):
        text = getattr(self.record, SUMMARY_FIELDS[self.kind]) or ""
        if self.kind == "practice" and not text:
            text = self.record.body
        return Truncator(text).words(SUMMARY_WORDS)


def search_columns(request):
    base = request.build_absolute_uri("/")[:-1]
    return [
        Column("type", lambda r: r.kind),
        Column("title", lambda r: r.title),
        Column("url", lambda r: base + r.path),
        Column("summary", lambda r: r.summary),
        Column("source", lambda r: r.record.source.short_title if r.record.source_id else ""),
        Column("locator", lambda r: r.record.locator),
        Column(
            "updated_at",
            lambda r: (
                r.record.updated_at.isoformat(timespec="seconds")
                if hasattr(r.record, "updated_at")
                else ""
            ),
        ),
    ]


def search_results(results):
    """Every result of a CombinedResults, best first, as Result objects, chunk by chunk."""
    start = 0
    while True:
        rows = results[start : start + CHUNK_SIZE]
        if not rows:
            return
        wanted = defaultdict(list)
        for kind, pk, _rank in rows:
            wanted[kind].append(pk)
        loaded = {}
        for kind, pks in wanted.items():
            records = results.sources[kind].filter(pk__in=pks).select_related("source")
            loaded.update(((kind, record.pk), record) for record in records)
        for kind, pk, _rank in rows:
            if (kind, pk) in loaded:
                yield Result(kind, loaded[(kind, pk)])
        if len(rows) < CHUNK_SIZE:
            return
        start += CHUNK_SIZE


def export_search(request, results, fmt, query_text):
    """The response for `?format=` on /search/: CSV, JSON or an Atom feed; the export's file is
    named by the cleaned query and the types asked for."""
    if fmt == FEED_FORMAT:
        filters = [(_("Search: “%(q)s”") % {"q": query_text}, None)]
        if len(results.kinds) < len(results.sources):
            filters.append((_("Types: %(types)s") % {"types": ", ".join(results.kinds)}, None))
        return SearchFeed(results, filters)(request)
    query = [("q", query_text)]
    if len(results.kinds) < len(results.sources):
        query += [("type", kind) for kind in results.kinds]
    return export_response(
        request,
        lambda: search_results(results),
        search_columns(request),
        fmt=fmt,
        stem="search",
        query=query,
    )
