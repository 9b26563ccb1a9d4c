from django.shortcuts import render
from django.utils.translation import gettext as _

from . import rubric
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
