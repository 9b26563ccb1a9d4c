from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.exports import requested_format
from core.jsonld import describe, place
from core.listing import (
    active_filter_links,
    filter_query,
    filter_request,
    known_total,
    list_context,
    paginate,
    visible_record,
)

from .exports import export_movements
from .filters import MOVEMENT_FACETS, MovementFilter
from .models import Movement


def movement_list(request):
    fmt = requested_format(request)
    filterset, active, ignored = filter_request(
        request, MovementFilter, Movement.objects.published(), export=bool(fmt)
    )
    if fmt:
        filters = active_filter_links(request, active, _("Search"))
        query = filter_query(filterset)
        return export_movements(request, lambda: filterset.qs, fmt, filters, query=query)
    searched = bool(filterset.form.cleaned_data.get("q"))
    page = paginate(
        request, filterset.qs.for_list(), counted=not searched, known=known_total(filterset)
    )
    context = list_context(
        request, filterset, active, ignored, page, MOVEMENT_FACETS, section="movements"
    )
    context["breadcrumbs"] = [(_("Movements"), None)]
    return render(request, "movements/movement_list.html", context)


def visible_movement(request, slug):
    return visible_record(
        request, Movement, slug, ["source"], ["countries__region__parent", "figures", "tags"]
    )


def movement_detail(request, slug):
    movement = visible_movement(request, slug)
    # Principles point at movements; the reverse accessor keeps this app free of guidance.
    context = {
        "section": "movements",
        "movement": movement,
        "json_ld": movement_json_ld(request, movement),
        "practices": movement.practices.published().for_list(),
        "principles": movement.principles.published().select_related("section"),
        "breadcrumbs": [
            (_("Movements"), reverse("movements:movement-list")),
            (movement.name, None),
        ],
    }
    return render(request, "movements/movement_detail.html", context)


def movement_json_ld(request, movement):
    """The schema.org description of a movement's page (core.jsonld)."""
    return describe(
        request,
        movement,
        "Organization",
        movement.name,
        alternateName=movement.acronym,
        description=movement.description,
        foundingDate=str(movement.founded_year or ""),
        areaServed=[place(request, country) for country in movement.countries.all()],
        keywords=[tag.name for tag in movement.tags.all()],
    )
