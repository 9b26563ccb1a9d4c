"""Links between record types, edited from the record that points at the other: a practice's
form lists the movements and principles it is linked to, a movement's form its principles. The
content apps' admins know nothing of the apps above them; this one adds the links to them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guidance.models import Principle
from movements.admin import MovementAdmin
from movements.models import Movement
from practices.admin import PracticeAdmin
from practices.models import Practice


def link_inline(through, field, name, plural):
    return type(
        f"{through.__name__}Inline",
        (admin.TabularInline,),
        {
            "model": through,
            "extra": 0,
            "autocomplete_fields": [field],
            "verbose_name": name,
            "verbose_name_plural": plural,
        },
    )


class LinkedPracticeAdmin(PracticeAdmin):
    inlines = [
        *PracticeAdmin.inlines,
        link_inline(
            Movement.practices.through,
            "movement",
            _("movement linked to this practice"),
            _("movements linked to this practice"),
        ),
        link_inline(
            Principle.practices.through,
            "principle",
            _("principle this practice illustrates"),
            _("principles this practice illustrates"),
        ),
    ]
    history_related = [
        *PracticeAdmin.history_related,
        (_("movements"), Movement.practices.through, "practice", "movement"),
        (_("principles"), Principle.practices.through, "practice", "principle"),
    ]


class LinkedMovementAdmin(MovementAdmin):
    inlines = [
        *MovementAdmin.inlines,
        link_inline(
            Principle.movements.through,
            "principle",
            _("principle this movement illustrates"),
            _("principles this movement illustrates"),
        ),
    ]
    history_related = [
        *MovementAdmin.history_related,
        (_("principles"), Principle.movements.through, "movement", "principle"),
    ]


for model, model_admin in [(Practice, LinkedPracticeAdmin), (Movement, LinkedMovementAdmin)]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
