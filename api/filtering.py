"""Which records a list request asks for: the FilterSet of the type's public list page, applied
exactly as the page applies it (core.listing.filter_request), so `?country=KE&approach=...`
means the same on /api/v1/practices/ as on /practices/. Where the page drops a value that names
nothing and says so, the API answers 400 and says which."""

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from taggit.models import Tag

from core.listing import MAX_QUERY_LENGTH, filter_request
from core.records import record_type, record_types


class PageFilterBackend(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None or getattr(view, "action", "list") != "list":
            return queryset
        filterset, _active, ignored = filter_request(request, filterset_class, queryset)
        if ignored:
            params = {str(facet.label): facet.param for facet in filterset.facets}
            errors = {}
            for label, value in ignored:
                errors.setdefault(params[str(label)], []).append(
                    _("“%(value)s” names nothing of this kind.") % {"value": value}
                )
            raise ValidationError(errors)
        return filterset.qs

    def get_schema_operation_parameters(self, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is None:
            return []
        parameters = []
        for facet in filterset_class.all_facets():
            values = {"type": "string", "maxLength": 100}
            if facet.choices:
                values["enum"] = [value for value, _label in facet.choices]
            parameters.append(
                {
                    "name": facet.param,
                    "required": False,
                    "in": "query",
                    "description": f"Records with any of these values of {facet.param}, "
                    "as on the list page (repeat the parameter for more).",
                    "schema": {"type": "array", "items": values, "maxItems": 20},
                    "style": "form",
                    "explode": True,
                }
            )
        if "q" in filterset_class.base_filters:
            parameters.append(
                {
                    "name": "q",
                    "required": False,
                    "in": "query",
                    "description": "Words to search for, as on the list page.",
                    "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
                }
            )
        return parameters


def public_tags():
    """The tags some published record has: a tag only drafts have is not public (as its page)."""
    used = Q(pk__in=[])
    for declared in record_types():
        if declared.parent == "content_object":
            link = declared.model
            owner = link._meta.get_field("content_object").related_model
            published = record_type(owner._meta.label_lower).published()
            used |= Q(pk__in=link.objects.filter(content_object__in=published).values("tag"))
    return Tag.objects.filter(used)
