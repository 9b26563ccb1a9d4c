"""The evidence facets of the practice lists, which this app adds to them (core.records
.plug_facets): practices never import it. Only confirmed assessments count, as only they are
public (a provisional one is on no page):

- `outcome=<slug>`: practices with a confirmed assessment for the outcome, at any level;
- `evidence=<level>`: practices with a confirmed assessment at that level, for any outcome;
  `evidence=not-assessed`: practices with no confirmed rating (none confirmed, or only outcomes
  not yet assessed), so that the unassessed are one click away.
"""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from core.facets import Facet, owners

from .models import Assessment, Outcome, confirmed
from .rubric import Level

RATED = [level for level in Level.values if level != Level.NOT_ASSESSED]


class OutcomeFacet(Facet):
    def links(self):
        return Assessment.objects.confirmed()


def rated_practices(levels=RATED):
    """A subquery of the practices with a confirmed assessment at one of `levels`."""
    return Assessment.objects.confirmed().filter(level__in=levels).values("practice_id")


class LevelFacet(Facet):
    """Levels of evidence, weakest first, as the rubric lists them."""

    def apply(self, queryset, values):
        if not values:
            return queryset
        condition = Q(pk__in=[])
        rated = [value for value in values if value in RATED]
        if rated:
            condition |= Q(pk__in=rated_practices(rated))
        if Level.NOT_ASSESSED in values:
            condition |= ~Q(pk__in=rated_practices())
        return queryset.filter(condition)

    def record_values(self, queryset):
        """The levels of its confirmed ratings, or "not assessed" when it has none."""
        rated = set(
            Assessment.objects.confirmed()
            .filter(practice__in=owners(queryset), level__in=RATED)
            .values_list("practice_id", "level")
        )
        assessed = {pk for pk, _level in rated}
        keys = queryset.values_list("pk", flat=True)
        return rated | {(pk, Level.NOT_ASSESSED) for pk in keys if pk not in assessed}

    def ordered(self, counted):
        """Weakest first, as the rubric lists them."""
        return sorted(counted, key=lambda item: Level.values.index(item[0]))

    def counts(self, queryset):
        """One query: how many of the records each level gives, and how many have no rating,
        joined to their confirmed assessments."""
        rated = confirmed() & Q(assessments__level__in=RATED)
        found = queryset.order_by().aggregate(
            total=Count("pk", distinct=True),
            rated=Count("pk", distinct=True, filter=rated),
            **{
                f"level_{n}": Count("pk", distinct=True, filter=rated & Q(assessments__level=level))
                for n, level in enumerate(RATED)
            },
        )
        counts = {Level.NOT_ASSESSED: found["total"] - found["rated"]}
        counts.update({level: found[f"level_{n}"] for n, level in enumerate(RATED)})
        return self.ordered(
            [(level, Level(level).label, counts[level]) for level in Level.values if counts[level]]
        )


OUTCOME = OutcomeFacet(
    "outcome",
    _("Outcome"),
    related=Outcome,
    through=Assessment,
    owner="practice",
    target="outcome",
)
EVIDENCE = LevelFacet("evidence", _("Evidence"), key="level", choices=tuple(Level.choices))
# The values of a practice for these facets, for the cache (core.records.RecordType.facets): any
# assessment's outcome, confirmed or not (more pages made stale than needed, never fewer).
VALUES = {"outcome": "assessments__outcome__slug"}


def sharing_outcomes(practice, others):
    """Those of `others` with a confirmed assessment for an outcome `practice` has one for."""
    confirmed = Assessment.objects.confirmed()
    outcomes = confirmed.filter(practice=practice).values("outcome")
    return others.filter(pk__in=confirmed.filter(outcome__in=outcomes).values("practice"))


def confirmed_levels():
    """The levels of a practice's confirmed assessments, as its list card reads them
    (`practice.confirmed_levels`; evidence.templatetags.evidence.card_evidence)."""
    confirmed = Assessment.objects.confirmed().exclude(level=Level.NOT_ASSESSED)
    return Prefetch("assessments", confirmed.only("practice", "level"), "confirmed_levels")


def confirmed_outcomes(pks):
    """For the practice export's `outcomes` column: each practice's confirmed outcomes."""
    return (
        Assessment.objects.confirmed()
        .filter(practice_id__in=pks)
        .values_list("practice_id", "outcome__name")
        .order_by("outcome__name")
    )


def confirmed_evidence(pks):
    """For the practice export's `evidence` column: "outcome: level, direction" for each
    confirmed assessment (the rubric's level and direction codes, as the filters name them)."""
    rows = (
        Assessment.objects.confirmed()
        .filter(practice_id__in=pks)
        .values_list("practice_id", "outcome__name", "level", "direction")
        .order_by("outcome__name")
    )
    return [(pk, f"{name}: {', '.join(filter(None, rest))}") for pk, name, *rest in rows]
