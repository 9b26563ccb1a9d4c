"""The evidence on a practice's page, for the practice template: {% load evidence %}
{% practice_evidence practice %}. A tag of this app, so that practices (which this app builds
on) never imports it: the practice page asks for its evidence by name, in the template."""

from django import template
from django.db.models import Prefetch

from ..models import Assessment, Study
from ..rubric import Level

register = template.Library()


def public_assessments(practice):
    """A practice's confirmed assessments with their outcomes and studies, in two queries."""
    return list(
        Assessment.objects.confirmed()
        .filter(practice=practice)
        .select_related("outcome")
        .prefetch_related(Prefetch("studies", Study.objects.order_by("-year", "title")))
        .order_by("outcome__name", "pk")
    )


@register.inclusion_tag("evidence/practice_evidence.html")
def practice_evidence(practice):
    return {"assessments": public_assessments(practice)}


@register.inclusion_tag("evidence/card_evidence.html")
def card_evidence(practice):
    """The strongest confirmed level of a practice's evidence, for its list card: read from
    what for_list() prefetched (evidence.facets.confirmed_levels), never a query of its own."""
    levels = {assessment.level for assessment in getattr(practice, "confirmed_levels", ())}
    strongest = [level for level in reversed(Level) if level in levels]
    return {"level": strongest[0] if strongest else None}
