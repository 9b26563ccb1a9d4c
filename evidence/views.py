import csv
import io
import json

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.exports import CONTENT_TYPES, csv_cell, export_filename
from core.facets import name_order
from core.listing import active_filter_links
from practices.models import Country, Region

from . import rubric
from .gapmap import CELL_COLUMNS, MAP_FILTERS, MARKS, cell_records, gap_map, map_filter
from .models import Study


def rubric_page(request):
    """The published rubric: what each level and direction of evidence means."""
    return render(
        request,
        "evidence/rubric.html",
        {
            "version": rubric.VERSION,
            "levels": [
                (rubric.Level(level).label, meaning)
                for level, meaning in rubric.LEVEL_MEANINGS.items()
            ],
            "directions": [
                (rubric.Direction(direction).label, meaning)
                for direction, meaning in rubric.DIRECTION_MEANINGS.items()
            ],
            "study_kinds": [(kind.label, rubric.highest_level(kind).label) for kind in Study.Kind],
            "breadcrumbs": [(_("Evidence rubric"), None)],
        },
    )


def gap_map_page(request):
    """Approaches against outcomes: where practices have confirmed evidence, how strong, and
    where there is none; filtered by region, country and level as the practice list is."""
    filterset, active, ignored = map_filter(request.GET)
    outcomes, rows = gap_map(filterset, active)
    fmt = request.GET.get("format", "").strip().lower()
    if fmt in ("csv", "json"):
        return cells_export(request, rows, fmt, active)
    chosen = {}
    for facet, value, _label in active:
        chosen.setdefault(facet.param, value)
    return render(
        request,
        "evidence/gap_map.html",
        {
            "outcomes": outcomes,
            "rows": rows,
            "columns": len(outcomes) + 1,
            "active_filters": active_filter_links(request, active),
            "ignored": ignored,
            "chosen": chosen,
            "regions": sorted(Region.objects.all(), key=lambda r: name_order(str(r))),
            "countries": sorted(Country.objects.all(), key=lambda c: name_order(str(c))),
            "levels": [(level, label, MARKS[level]) for level, label in rubric.Level.choices],
            "exports": export_urls(request, active),
            "unassessed": unassessed_url(active),
            "breadcrumbs": [(_("Evidence gap map"), None)],
        },
    )


def export_urls(request, active):
    """[(format, url)] of the map's cells, with its filters."""
    pairs = [(facet.param, value) for facet, value, _ in active]
    return [
        (fmt, f"{request.path}?{urlencode([*pairs, ('format', fmt)])}") for fmt in ("csv", "json")
    ]


def unassessed_url(active):
    """The practice list of the map's places with no confirmed rating."""
    pairs = [(facet.param, value) for facet, value, _ in active if facet.param != "evidence"]
    pairs.append(("evidence", rubric.Level.NOT_ASSESSED))
    return f"{reverse('practices:practice-list')}?{urlencode(pairs)}"


def cells_export(request, rows, fmt, active):
    """The map's cells (gaps included) as a CSV or JSON file."""
    records = list(cell_records(request, rows))
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CELL_COLUMNS)
        for record in records:
            writer.writerow([csv_cell(record[name]) for name in CELL_COLUMNS])
        body = "\ufeff" + out.getvalue()
    else:
        meta = {
            "source": request.build_absolute_uri(),
            "filters": {name: [v for f, v, _ in active if f.param == name] for name in MAP_FILTERS},
            "generated_at": timezone.now().isoformat(timespec="seconds"),
        }
        body = json.dumps(
            {"meta": meta, "columns": CELL_COLUMNS, "results": records}, ensure_ascii=False
        )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = export_filename("evidence-gap-map", fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
