"""Template tags for reusing records elsewhere: the “cite this” box and absolute links."""

from django import template
from django.utils import timezone

from core.citations import cite, download_links
from core.jsonld import json_ld_script

register = template.Library()


@register.inclusion_tag("includes/cite.html", takes_context=True)
def cite_this(context, record):
    """The formatted citation of a practice or movement, with its download links."""
    return {"citation": cite(record, context["request"]), "downloads": download_links(record)}


@register.simple_tag(takes_context=True)
def absolute_url(context, record):
    """The record's page as a full URL, for OpenGraph and feeds."""
    return context["request"].build_absolute_uri(record.get_absolute_url())


@register.simple_tag(takes_context=True)
def format_url(context, fmt):
    """The current list URL asking for the whole result in `fmt` (csv, json or atom)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["format"] = fmt
    return f"{context['request'].path}?{query.urlencode()}"


@register.filter
def json_ld(data):
    """A page's schema.org description as a JSON-LD script element (core.jsonld)."""
    return json_ld_script(data)


@register.filter
def html_datetime(value):
    """A `<time datetime>` value: ISO 8601 in the current time zone, to the second (HTML allows
    at most three digits of a second's fraction; Django's "c" format gives six)."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")
