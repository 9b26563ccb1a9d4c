"""The evidence gap map: approaches (by theme) against outcomes, each cell the number of
published practices with a confirmed assessment for the pair and the strongest level among
them. It filters practices with the practice list's own FilterSet, so each cell's count is
what the list it links to (`/practices/?approach=..&outcome=..`) counts."""

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from core.facets import check_values
from practices.filters import PracticeFilter
from practices.models import Approach, Practice

from .models import Outcome, confirmed
from .rubric import Level

# The practice list's filters that narrow the whole map.
MAP_FILTERS = ("region", "country", "evidence")
# Levels from the weakest, so that a higher index is stronger evidence.
STRENGTH = {level: n for n, level in enumerate(Level.values)}
# What shows a cell's strongest level besides its shade.
MARKS = {
    Level.NOT_ASSESSED: "○",
    Level.PRACTICE_BASED: "●",
    Level.INDEPENDENTLY_EVALUATED: "●●",
    Level.RIGOROUSLY_TESTED: "●●●",
}


@dataclass
class Cell:
    approach: Approach
    outcome: Outcome
    practices: int = 0
    level: str = ""  # the strongest level among its assessments; "" for a gap
    url: str = ""

    @property
    def level_label(self):
        return Level(self.level).label if self.level else ""

    @property
    def mark(self):
        return MARKS.get(self.level, "")


def map_filter(query):
    """The practice list's FilterSet for the map's filters in `query` (a QueryDict), with
    unknown values dropped: (filterset, active, ignored), as core.listing.filter_request."""
    data = QueryDict(mutable=True)
    for name in MAP_FILTERS:
        data.setlist(name, query.getlist(name))
    filterset = PracticeFilter(data, queryset=Practice.objects.published())
    filterset.form.is_valid()  # The fields never reject input; this only fills cleaned_data.
    active, ignored = check_values(filterset, filterset.facets)
    return filterset, active, ignored


def pair_counts(practices):
    """{(approach pk, outcome pk): {level: practices}} for the confirmed assessments of
    `practices`, in one query grouped by approach, outcome and level (a practice has at most
    one assessment per outcome, so assessments are practices). Joined from the practices'
    side, the practices table is read once, not once for the filter and again for approaches."""
    rows = (
        # Confirmed assessments only, as Assessment.objects.confirmed().
        practices.filter(confirmed(), approach__isnull=False)
        .values_list("approach", "assessments__outcome", "assessments__level")
        .annotate(n=Count("assessments"))
        .order_by()
    )
    counts = {}
    for approach, outcome, level, n in rows:
        counts.setdefault((approach, outcome), {})[level] = n
    return counts


def gap_map(filterset, active):
    """(outcomes, [(theme, [(approach, [Cell per outcome])])]) for the filtered practices."""
    counts = pair_counts(filterset.qs)
    outcomes = list(Outcome.objects.order_by("name", "pk"))
    approaches = Approach.objects.select_related("theme").order_by(
        "theme__order", "theme__name", "theme__pk", "order", "name", "pk"
    )
    kept = [(facet.param, value) for facet, value, _label in active]
    practice_list = reverse("practices:practice-list")
    rows = []
    for theme, group in groupby(approaches, key=lambda approach: approach.theme):
        theme_rows = []
        for approach in group:
            cells = []
            for outcome in outcomes:
                levels = counts.get((approach.pk, outcome.pk), {})
                cell = Cell(approach, outcome, sum(levels.values()))
                if cell.practices:
                    cell.level = max(levels, key=STRENGTH.get)
                    pairs = [("approach", approach.slug), ("outcome", outcome.slug), *kept]
                    cell.url = f"{practice_list}?{urlencode(pairs)}"
                cells.append(cell)
            theme_rows.append((approach, cells))
        rows.append((theme, theme_rows))
    return outcomes, rows


def cell_records(request, rows):
    """The map's cells as flat records, for its CSV and JSON."""
    for theme, theme_rows in rows:
        for approach, cells in theme_rows:
            for cell in cells:
                yield {
                    "theme": theme.name,
                    "approach": approach.name,
                    "approach_slug": approach.slug,
                    "outcome": cell.outcome.name,
                    "outcome_slug": cell.outcome.slug,
                    "practices": cell.practices,
                    "strongest_level": cell.level,
                    "url": request.build_absolute_uri(cell.url) if cell.url else "",
                }


CELL_COLUMNS = (
    "theme",
    "approach",
    "approach_slug",
    "outcome",
    "outcome_slug",
    "practices",
    "strongest_level",
    "url",
)
