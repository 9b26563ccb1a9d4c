"""The evidence on a practice's page, for the practice template: {% load evidence %}
{% practice_evidence practice %}. A tag of this app, so that practices (which this app builds
on) never imports it: the practice page asks for its evidence by name, in the template."""

from django import template
from django.db.models import Prefetch

from ..models import Assessment, Study

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
