from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

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
    """The <li> of each option (and of its children, nested): written here with plain string
    formatting rather than by an included template or format_html, which took 70 and 10 ms for
    the few hundred options of a searched list."""
    counts = {}  # each count formatted once: most options share a few small numbers
    return mark_safe(options_html(escape(param), options, escape(records), counts))


def options_html(param, options, records, counts):
    """`param` and `records` escaped already; `counts`: {count: as shown}."""
    items = []
    for option in options:
        nested = ""
        if children := option.get("children"):
            nested = options_html(param, children, records, counts)
            nested = f'\n  <ul class="facet-children">{nested}</ul>'
        checked = " checked" if option["selected"] else ""
        if (count := option["count"]) not in counts:
            counts[count] = localize(count)
        items.append(
            f'<li><label><input type="checkbox" name="{param}" value="{escape(option["value"])}"'
            f"{checked}> <span>{escape(option['label'])}</span> "
            f'<span class="count">{counts[count]}<span class="visually-hidden"> '
            f"{records}</span></span></label>{nested}</li>"
        )
    return "".join(items)
