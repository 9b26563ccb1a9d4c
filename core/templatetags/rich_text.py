"""Render text that curators write (Markdown) as HTML that cannot attack readers."""

import markdown as markdown_lib
import nh3
from django import template
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
