"""Keep guidance search documents current when a principle, finding or definition changes, or
the section, tags or countries they are linked to."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from practices.models import Country, Region
from search.documents import linked_records_refresher, refresh_documents, refresh_records

from .models import Definition, Finding, InfographicGroup, Principle, Section, TaggedPrinciple


@receiver(post_save, sender=Principle, dispatch_uid="search_principle_saved")
@receiver(post_save, sender=Finding, dispatch_uid="search_finding_saved")
@receiver(post_save, sender=Definition, dispatch_uid="search_definition_saved")
def refresh_saved_guidance(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_records(sender, [instance.pk])


@receiver(post_save, sender=TaggedPrinciple, dispatch_uid="search_principle_tagged")
@receiver(post_delete, sender=TaggedPrinciple, dispatch_uid="search_principle_untagged")
def refresh_tagged_principle(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_records(Principle, [instance.content_object_id])


m2m_changed.connect(
    linked_records_refresher(Finding),
    sender=Finding.countries.through,
    weak=False,
    dispatch_uid="search_finding_countries",
)


@receiver(post_save, sender=Section, dispatch_uid="search_principles_section_saved")
@receiver(post_save, sender=InfographicGroup, dispatch_uid="search_principles_group_saved")
@receiver(post_save, sender=Tag, dispatch_uid="search_principles_tag_saved")
def refresh_principles_of_renamed(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    if isinstance(instance, Section):
        linked = Q(section=instance)
    elif isinstance(instance, InfographicGroup):
        linked = Q(infographic_group=instance)
    else:
        linked = Q(tagged_items__tag=instance)
    refresh_documents(Principle.objects.filter(linked))


@receiver(post_save, sender=Country, dispatch_uid="search_findings_country_saved")
@receiver(post_save, sender=Region, dispatch_uid="search_findings_region_saved")
def refresh_findings_of_renamed(sender, instance, created=False, raw=False, **kwargs):
    if created or raw:
        return
    if isinstance(instance, Country):
        linked = Q(countries=instance)
    else:
        linked = Q(countries__region=instance) | Q(countries__region__parent=instance)
    refresh_documents(Finding.objects.filter(linked))
