"""Keep each practice's denormalised regions in step with its countries and region of scope, and
its completeness with its fields where a raw save (an import) skipped Practice.save()."""

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from core.counts import record_changed

from .models import Practice
from .narrative import completeness_of


@receiver(post_save, sender=Practice)
def refresh_regions_on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.refresh_regions()
        level = completeness_of(instance)
        if instance.completeness != level:
            Practice.objects.filter(pk=instance.pk).update(completeness=level)
            instance.completeness = level
            record_changed(instance)


@receiver(m2m_changed, sender=Practice.countries.through)
def refresh_regions_on_countries(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:
        # A country's practices changed: refresh each practice touched.
        practices = Practice.objects.filter(pk__in=pk_set) if pk_set else instance.practices.all()
        for practice in practices:
            practice.refresh_regions()
    else:
        instance.refresh_regions()
