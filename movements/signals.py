"""Keep movements' search documents current when a movement, its countries or tags change."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from practices.models import Country, Region
from search.documents import (
    forget_glossary,
    linked_records_refresher,
    refresh_documents,
    refresh_records,
)

from .models import Movement, TaggedMovement


@receiver(post_save, sender=Movement, dispatch_uid="search_movement_saved")
def refresh_saved_movement(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_records(Movement, [instance.pk])


@receiver(post_save, sender=TaggedMovement, dispatch_uid="search_movement_tagged")
@receiver(post_delete, sender=TaggedMovement, dispatch_uid="search_movement_untagged")
def refresh_tagged_movement(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_records(Movement, [instance.content_object_id])


# Its acronym field feeds the glossary of acronym expansions.
post_save.connect(forget_glossary, sender=Movement, dispatch_uid="search_glossary_saved_movement")
post_delete.connect(forget_glossary, sender=Movement, dispatch_uid="search_glossary_gone_movement")

m2m_changed.connect(
    linked_records_refresher(Movement),
    sender=Movement.countries.through,
    weak=False,
    dispatch_uid="search_movement_countries",
)


@receiver(post_save, sender=Country, dispatch_uid="search_movements_country_saved")
@receiver(post_save, sender=Region, dispatch_uid="search_movements_region_saved")
@receiver(post_save, sender=Tag, dispatch_uid="search_movements_tag_saved")
def refresh_movements_of_renamed(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    if isinstance(instance, Country):
        linked = Q(countries=instance)
    elif isinstance(instance, Region):
        linked = Q(countries__region=instance) | Q(countries__region__parent=instance)
    else:
        linked = Q(tagged_items__tag=instance)
    refresh_documents(Movement.objects.filter(linked))
