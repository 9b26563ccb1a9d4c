"""Errors as part of the contract: every failure under /api/ is a 4xx JSON body
{"detail": "...", "errors": {"parameter": ["what was wrong"]}}, never a 500 or an HTML page."""

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, SuspiciousOperation):  # e.g. more than DATA_UPLOAD_MAX_NUMBER_FIELDS
        exc = exceptions.ParseError(_("The request's parameters could not be read."))
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"": response.data}
        response.data = {"detail": _("Some parameters are not valid."), "errors": errors}
    return response


def not_found(request, *args, **kwargs):
    """Any address under /api/ that names no endpoint."""
    return JsonResponse({"detail": _("There is no API endpoint at this address.")}, status=404)


def error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents its 4xx answers."""
    result["components"]["schemas"]["Error"] = {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["detail"],
    }
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    described = {
        "400": "A parameter is not valid (the body says which).",
        "404": "No such record, page or cursor.",
        "405": "Only GET, HEAD and OPTIONS.",
        "406": "Only JSON is served: ask for application/json or */*.",
        "429": "Too many requests: try again after Retry-After seconds.",
    }
    for operations in result["paths"].values():
        for operation in operations.values():
            for code, description in described.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": error}
                )
    return result
