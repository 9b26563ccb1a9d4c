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
