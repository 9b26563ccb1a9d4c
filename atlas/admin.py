"""What spans the record types in the admin: the links between them, edited from the record
that points at the other (a practice's form lists the movements and principles it is linked to,
a movement's form its principles), the tags they share, and the curators' worklist
(worklist.py). The content apps' admins know nothing of the apps above them."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from curation.record_admin import CuratedAdmin
from curation.site import REVIEW, LabelledChoices
from guidance.models import Principle
from movements.admin import MovementAdmin
from movements.models import Movement
from practices.admin import NAMES_PUBLISHED_WITH, PracticeAdmin
from practices.models import Practice

from .worklist import worklist_view


def with_links(model_admin, *links):
    """`model_admin` with, for each link, an inline to edit it and its changes in the record's
    history. A link is (relation, label, name, plural): the many-to-many field of the other
    type that points at this one (e.g. Movement.practices), its name in the history, and the
    inline's names for one and for several."""
    inlines, history = [], []
    for relation, label, name, plural in links:
        through, other = relation.through, relation.field.m2m_field_name()
        own = relation.field.m2m_reverse_field_name()
        inline = {
            "model": through,
            "extra": 0,
            "autocomplete_fields": [other],
            "verbose_name": name,
            "verbose_name_plural": plural,
        }
        bases = (LabelledChoices, admin.TabularInline)
        inlines.append(type(f"{through.__name__}Inline", bases, inline))
        history.append((label, through, own, other))
    attributes = {
        "inlines": [*model_admin.inlines, *inlines],
        "history_related": [*model_admin.history_related, *history],
    }
    return type(f"Linked{model_admin.__name__}", (model_admin,), attributes)


class WorklistPracticeAdmin(PracticeAdmin):
    """The practice admin with the curators' worklist at worklist/ under it."""

    def get_urls(self):
        worklist = self.admin_site.admin_view(lambda request: worklist_view(self, request))
        return [
            path("worklist/", worklist, name="practices_practice_worklist"),
            *super().get_urls(),
        ]


LinkedPracticeAdmin = with_links(
    WorklistPracticeAdmin,
    (
        Movement.practices,
        _("movements"),
        _("movement linked to this practice"),
        _("movements linked to this practice"),
    ),
    (
        Principle.practices,
        _("principles"),
        _("principle this practice illustrates"),
        _("principles this practice illustrates"),
    ),
)
LinkedMovementAdmin = with_links(
    MovementAdmin,
    (
        Principle.movements,
        _("principles"),
        _("principle this movement illustrates"),
        _("principles this movement illustrates"),
    ),
)

for model, model_admin in [(Practice, LinkedPracticeAdmin), (Movement, LinkedMovementAdmin)]:
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
admin.site.add_page(
    REVIEW, _("Curators' worklist"), "admin:practices_practice_worklist", "practices.view_practice"
)

admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(CuratedAdmin):
    """Tags are shared by practices, movements and principles."""

    list_display = TaggitTagAdmin.list_display
    search_fields = TaggitTagAdmin.search_fields
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    publish_permission = NAMES_PUBLISHED_WITH
