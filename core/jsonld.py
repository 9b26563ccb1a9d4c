"""schema.org descriptions of record pages as JSON-LD, for search engines and harvesters: what
the record is, the places it covers, the organisations, the document it cites and its dates.

Written into the page by `json_ld_script`: Django's json_script escapes <, > and &, so curator
text holding `</script>` cannot end the element; a JSON-LD block is data, never run, so the
Content-Security-Policy needs no exception for it."""

from django.utils.html import json_script
from django.utils.safestring import mark_safe

from .templatetags.rich_text import plain_text

CONTEXT = "https://schema.org"


def json_ld_script(data):
    """The <script type="application/ld+json"> element holding `data`."""
    html = json_script(data)
    return mark_safe(html.replace('type="application/json"', 'type="application/ld+json"', 1))


def absolute(request, path):
    return request.build_absolute_uri(path)


def place(request, country):
    """A country, inside its UN M49 sub-region and continent (with `region__parent` loaded)."""
    data = {
        "@type": "Country",
        "name": country.name,
        "identifier": country.code,
        "url": absolute(request, country.get_absolute_url()),
    }
    if country.region:
        data["containedInPlace"] = region(country.region)
    return data


def region(record):
    data = {"@type": "Place", "name": record.name, "identifier": f"M49:{record.code}"}
    if record.parent_id:
        data["containedInPlace"] = {"@type": "Place", "name": record.parent.name}
    return data


def organisation(record):
    data = {"@type": "Organization", "name": record.name}
    if record.acronym:
        data["alternateName"] = record.acronym
    return data


def source_document(record):
    """The document a record cites, or None."""
    source = record.source
    if source is None:
        return None
    data = {"@type": "CreativeWork", "name": source.title, "alternateName": source.short_title}
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.year:
        data["datePublished"] = str(source.year)
    if source.url:
        data["url"] = source.url
    return data


def describe(request, record, kind, name, **fields):
    """The JSON-LD of a record page: its type, name and address, its dates and source where it
    has them, and `fields` (empty ones left out). A `description` is a curator's Markdown: it is
    given as the plain text the meta description shows."""
    if fields.get("description"):
        fields["description"] = plain_text(fields["description"])
    url = absolute(request, record.get_absolute_url())
    data = {"@context": CONTEXT, "@type": kind, "@id": url, "url": url, "name": name}
    data.update({key: value for key, value in fields.items() if value not in (None, "", [])})
    if getattr(record, "created_at", None):
        data["dateCreated"] = record.created_at.isoformat()
        data["dateModified"] = record.updated_at.isoformat()
    if getattr(record, "source_id", None):
        cited = source_document(record)
        relation = "subjectOf" if kind == "Organization" else "isBasedOn"
        data[relation] = cited
        data["citation"] = record.citation
    return data
