"""Keep practices' search documents current when a practice or anything it links to changes.

A renamed organisation, country, region, approach, theme or tag changes the linked names of its
practices; a changed acronym elsewhere in the glossary needs `manage.py rebuild_search_index`.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from search.documents import (
    forget_glossary,
    linked_records_refresher,
    refresh_documents,
    refresh_records,
)

from .models import Approach, Country, Organisation, Practice, Region, TaggedPractice, Theme


@receiver(post_save, sender=Practice, dispatch_uid="search_practice_saved")
def refresh_saved_practice(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_records(Practice, [instance.pk])


@receiver(post_save, sender=TaggedPractice, dispatch_uid="search_practice_tagged")
@receiver(post_delete, sender=TaggedPractice, dispatch_uid="search_practice_untagged")
def refresh_tagged_practice(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_records(Practice, [instance.content_object_id])


for relation in (Practice.organisations, Practice.countries):
    m2m_changed.connect(
        linked_records_refresher(Practice),
        sender=relation.through,
        weak=False,
        dispatch_uid=f"search_practice_{relation.field.name}",
    )


# Its acronym field feeds the glossary of acronym expansions.
post_save.connect(forget_glossary, sender=Organisation, dispatch_uid="search_glossary_org")
post_delete.connect(forget_glossary, sender=Organisation, dispatch_uid="search_glossary_org_gone")


def practices_linked_to(record):
    """The practices whose linked names include `record`'s name."""
    if isinstance(record, Organisation):
        return Practice.objects.filter(organisations=record)
    if isinstance(record, Country):
        return Practice.objects.filter(countries=record)
    if isinstance(record, Region):
        return Practice.objects.filter(
            Q(countries__region=record)
            | Q(countries__region__parent=record)
            | Q(scope_region=record)
            | Q(scope_region__parent=record)
        )
    if isinstance(record, Approach):
        return Practice.objects.filter(approach=record)
    if isinstance(record, Theme):
        return Practice.objects.filter(approach__theme=record)
    return Practice.objects.filter(tagged_items__tag=record)


@receiver(post_save, sender=Organisation, dispatch_uid="search_organisation_saved")
@receiver(post_save, sender=Country, dispatch_uid="search_country_saved")
@receiver(post_save, sender=Region, dispatch_uid="search_region_saved")
@receiver(post_save, sender=Approach, dispatch_uid="search_approach_saved")
@receiver(post_save, sender=Theme, dispatch_uid="search_theme_saved")
@receiver(post_save, sender=Tag, dispatch_uid="search_tag_saved")
def refresh_practices_of_renamed(sender, instance, created=False, raw=False, **kwargs):
    # A new record has nothing linked to it yet.
    if not created and not raw:
        refresh_documents(practices_linked_to(instance))
