"""How many published practices each theme, approach, region and country has: the evidence
base's coverage and its gaps. One grouped query per dimension, zero counts included where the
dimension is a short fixed list (themes, approaches, regions)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from core.facets import name_order
from core.models import Status
from practices.models import Approach, Country, Practice, Region, Theme

CHART_WIDTH = 640
ROW_HEIGHT = 34
LABEL_HEIGHT = 14
BAR_HEIGHT = 12
COUNT_SPACE = 48


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    label_y: int
    bar_y: int
    width: int

    @property
    def count_x(self):
        return self.width + 6


def bar_chart(rows):
    """Geometry for a horizontal bar chart of [(label, count)]: each label above its bar, the
    longest bar filling the width less room for its count."""
    rows = list(rows)
    longest = max((count for _label, count in rows), default=0) or 1
    span = CHART_WIDTH - COUNT_SPACE
    bars = [
        Bar(
            label=str(label),
            count=count,
            label_y=index * ROW_HEIGHT + LABEL_HEIGHT,
            bar_y=index * ROW_HEIGHT + LABEL_HEIGHT + 4,
            width=round(span * count / longest),
        )
        for index, (label, count) in enumerate(rows)
    ]
    return {"width": CHART_WIDTH, "height": max(len(bars), 1) * ROW_HEIGHT, "bars": bars}


def published_through(path):
    """A Count of published practices reached through `path` (e.g. "approaches__practices")."""
    return Count(f"{path}", filter=Q(**{f"{path}__status": Status.PUBLISHED}))


def practices_per_theme():
    return list(Theme.objects.annotate(n=published_through("approaches__practices")))


def practices_per_approach():
    return list(Approach.objects.select_related("theme").annotate(n=published_through("practices")))


def practices_per_region():
    """Every region, continents first with their sub-regions after each, zero counts included.

    Counts come from the practices' derived regions, so a practice in Kenya counts for Eastern
    Africa and for Africa, and a practice scoped to a region counts for it."""
    regions = list(
        Region.objects.select_related("parent").annotate(n=published_through("practices"))
    )
    continents = sorted((r for r in regions if r.parent_id is None), key=name_order)
    ordered = []
    for continent in continents:
        continent.subregions_counted = sorted(
            (r for r in regions if r.parent_id == continent.pk), key=name_order
        )
        ordered.append(continent)
    return ordered


def practices_per_country():
    """Countries with at least one published practice, most first."""
    return list(
        Country.objects.annotate(n=published_through("practices"))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )


def coverage():
    """Everything the coverage page shows."""
    published = Practice.objects.published()
    totals = published.aggregate(
        total=Count("pk"), without_approach=Count("pk", filter=Q(approach__isnull=True))
    )
    themes = practices_per_theme()
    approaches = practices_per_approach()
    continents = practices_per_region()
    countries = practices_per_country()
    empty_regions = [
        region
        for continent in continents
        for region in (continent, *continent.subregions_counted)
        if not region.n
    ]
    return {
        **totals,
        "without_country": published.filter(countries__isnull=True).count(),
        "country_total": Country.objects.count(),
        "themes": themes,
        "theme_chart": bar_chart((t.name, t.n) for t in themes),
        "approaches": approaches,
        "approach_chart": bar_chart((a.name, a.n) for a in approaches),
        "continents": continents,
        "region_chart": bar_chart((c, c.n) for c in continents),
        "empty_regions": empty_regions,
        "countries": countries,
        "country_chart": bar_chart((c, c.n) for c in countries),
    }
