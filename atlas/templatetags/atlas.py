from django import template

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
