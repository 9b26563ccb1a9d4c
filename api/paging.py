"""Pages of a list by cursor: the next page starts after the last record of this one, so a deep
page costs the same queries as the first (no OFFSET, no COUNT)."""

from django.conf import settings
from django.core.exceptions import ValidationError as InvalidValue
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class SortedCursorPagination(CursorPagination):
    """A cursor over the view's `sorts` ({name: ordering}, the first the default), which the
    `sort` parameter picks; each ordering's first field is the cursor's position and the key
    comes last, so that pages never overlap."""

    page_size = 20  # settings.PAGE_SIZE, as the site's lists (get_page_size); for the schema
    max_page_size = 100
    page_size_query_param = "page_size"
    offset_cutoff = 200  # A forged cursor cannot make the database skip more rows than this.

    def paginate_queryset(self, queryset, request, view=None):
        self.queryset = queryset
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """The cursor, whose position must be a value of the ordering's first field: a forged
        one is a 404 like any malformed cursor, not a database error."""
        cursor = super().decode_cursor(request)
        if cursor and cursor.position is not None:
            field = self.ordering[0].lstrip("-")
            try:
                if "\x00" in cursor.position or len(cursor.position) > 400:
                    raise ValueError(cursor.position)
                self.queryset.filter(**{f"{field}__gt": cursor.position})
            except (InvalidValue, TypeError, ValueError) as error:
                raise NotFound(self.invalid_cursor_message) from error
        return cursor

    def get_ordering(self, request, queryset, view):
        sorts = view.sorts
        sort = request.query_params.get("sort") or next(iter(sorts))
        if sort not in sorts:
            raise ValidationError(
                {
                    "sort": [
                        _("Unknown sort “%(sort)s”; use one of: %(sorts)s.")
                        % {"sort": sort[:50], "sorts": ", ".join(sorts)}
                    ]
                }
            )
        if sorts[sort][0] == "-rank" and "rank" not in queryset.query.annotations:
            raise ValidationError({"sort": [_("Sorting by relevance needs words to search, q.")]})
        return sorts[sort]

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return settings.PAGE_SIZE
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw[:4]) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [_("A number from 1 to %(max)d.") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def get_paginated_response_schema(self, schema):
        return nullable_links(super().get_paginated_response_schema(schema))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": "sort",
                "required": False,
                "in": "query",
                "description": "The order of the list.",
                "schema": {"type": "string", "enum": list(view.sorts)},
            }
        )
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


def nullable_links(schema):
    """DRF describes `next` and `previous` in OpenAPI 3.0's words (`nullable`); this schema is
    OpenAPI 3.1, where a null is a type of its own."""
    for name in ("next", "previous"):
        link = schema["properties"][name]
        link.pop("nullable", None)
        link["type"] = ["string", "null"]
    return schema
