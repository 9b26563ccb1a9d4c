"""The curators' worklist: what the knowledge base still lacks. Incomplete practices with the
fields each lacks, principles that no published practice illustrates, and outcomes without any
assessment. It spans practices, guidance and evidence, so it lives here (atlas/admin.py adds it
to the practice admin)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from core.models import Status
from evidence.models import Outcome
from guidance.models import Principle
from practices.models import Practice
from practices.narrative import Completeness, missing_fields

SHOWN = 100  # incomplete practices listed; the admin's practice list filters for the rest


def incomplete_practices(limit=SHOWN):
    """[(practice, [labels of the fields it lacks])], stubs first."""
    practices = (
        Practice.objects.exclude(completeness=Completeness.COMPLETE)
        .order_by("-completeness", "title", "pk")  # "stub" after "partial" alphabetically
        .defer("body", "search_names", "search_vector")[:limit]
    )
    return [
        (
            practice,
            [Practice._meta.get_field(name).verbose_name for name in missing_fields(practice)],
        )
        for practice in practices
    ]


def unillustrated_principles():
    return list(
        Principle.objects.exclude(practices__status=Status.PUBLISHED)
        .select_related("section")
        .order_by("section__order", "order")
    )


def unassessed_outcomes():
    return list(Outcome.objects.filter(assessments__isnull=True).order_by("name"))


def worklist_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    counts = dict(Practice.objects.values_list("completeness").annotate(n=Count("pk")).order_by())
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Curators' worklist"),
        "opts": Practice._meta,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Completeness.choices],
        "practices": incomplete_practices(),
        "shown": SHOWN,
        "principles": unillustrated_principles(),
        "outcomes": unassessed_outcomes(),
    }
    return TemplateResponse(request, "admin/practices/worklist.html", context)
