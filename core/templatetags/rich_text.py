"""Render text that curators write (Markdown) as HTML that cannot attack readers."""

import html
import re

import markdown as markdown_lib
import nh3
from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p",
    "br",
    "a",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "code",
    "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Markdown to HTML, then sanitised: raw HTML, scripts, event handlers and javascript:
    links are removed, whatever the Markdown produced."""
    html = markdown_lib.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
    )


@register.filter(is_safe=True)
def markdown(text):
    return mark_safe(render_markdown(text))  # noqa: S308 - sanitised by nh3 just above


# What may make Markdown show other words than those written: a mark, markup or an entity, or
# a line that begins a list, a quote or a heading. Text without any is shown as it is written.
MARKUP = re.compile(r"[\\`*_\[\]<>&#!|~]|^[ \t]*(?:[-+=>]|\d+[.)])", re.MULTILINE)


def plain_text(text):
    """The words a curator's Markdown shows, without its marks or any markup, on one line: for
    short texts (cards, snippets, meta descriptions, feed summaries)."""
    if not MARKUP.search(text or ""):  # most summaries: no need to render them
        return " ".join((text or "").split())
    words = nh3.clean(render_markdown(text), tags=set())
    return " ".join(html.unescape(words).split())


# Marks that a search snippet may still hold: it is a fragment, so its emphasis may have lost its
# other half, and a heading or list mark may begin a line inside it.
LEFT_MARKS = re.compile(
    r"(?m)^\s*(?:#{1,6}\s+|>\s*|[-+*]\s+|\d+[.)]\s+)"  # a heading, quote or list item
    r"|(?<![\w*_`])[*_`]{1,3}(?=[\w\ue000])"  # emphasis or code opening before a word
    r"|(?<=[\w\ue001])[*_`]{1,3}(?![\w*_`])"  # and closing after one
)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@register.filter
def plain(text):
    """`plain_text` as a template filter (autoescaped like any text)."""
    return plain_text(text)


@register.filter(is_safe=True)
def plain_snippet(snippet):
    """A search snippet (escaped text with <mark> around the matches) without Markdown marks."""
    text = html.unescape(str(snippet).replace("<mark>", "\ue000").replace("</mark>", "\ue001"))
    text = " ".join(LEFT_MARKS.sub("", LINK.sub(r"\1", text)).split())
    escaped = escape(text).replace("\ue000", "<mark>").replace("\ue001", "</mark>")
    return mark_safe(escaped)  # noqa: S308 - escaped just above, <mark> put back
