from django import template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current URL with only the page number changed."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()


@register.filter
def page_range(page):
    """Page numbers around the current one, with ellipses for the gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


# A facet box lists its first options; the others wait behind a "show all" disclosure, open
# when one of them is selected. Two or three more are shown rather than hidden.
FIRST_OPTIONS = 6


def any_selected(options):
    return any(o["selected"] or any_selected(o.get("children", ())) for o in options)


@register.filter
def facet_parts(tree):
    """{"first": options shown, "more": options behind the disclosure, "open": whether it is}."""
    if len(tree) <= FIRST_OPTIONS + 2:
        return {"first": tree, "more": [], "open": False}
    more = tree[FIRST_OPTIONS:]
    return {"first": tree[:FIRST_OPTIONS], "more": more, "open": any_selected(more)}


@register.simple_tag
def facet_options(param, options, records):
    """The <li> of each option (and of its children, nested): written here rather than by an
    included template, which took 70 ms for the few hundred options of a searched list."""
    return format_html_join("", "{}", ((facet_option(param, o, records),) for o in options))


def facet_option(param, option, records):
    children = option.get("children")
    nested = ""
    if children:
        nested = format_html(
            '\n  <ul class="facet-children">{}</ul>', facet_options(param, children, records)
        )
    return format_html(
        '<li><label><input type="checkbox" name="{}" value="{}"{}> <span>{}</span> '
        '<span class="count">{}<span class="visually-hidden"> {}</span></span></label>{}</li>',
        param,
        option["value"],
        " checked" if option["selected"] else "",
        option["label"],
        localize(option["count"]),
        records,
        nested,
    )
