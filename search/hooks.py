"""Refreshes the search documents a write changes (the record's, a linked one's, a link's)."""

import operator
from collections import defaultdict
from functools import cache, reduce

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .documents import SPECS, refresh_records


@cache
def hooks_for(model):
    """(whether `model` is searched, {searched model: lookups to a `model` record},
    [(searched model, its key in the link table `model`, the other key)])."""
    searched, naming, joining = False, defaultdict(list), []
    for label, spec in SPECS.items():
        owner = apps.get_model(label)
        searched |= owner is model
        for path in spec.links:
            hops, linked = path.split("__"), owner
            for depth, hop in enumerate(hops, 1):
                relation = linked._meta.get_field(hop)
                linked = relation.related_model
                if linked is model:
                    naming[owner].append("__".join(hops[:depth]))
            relation = owner._meta.get_field(hops[0])
            if relation.many_to_many and relation.remote_field.through is model:
                keys = [f for f in model._meta.fields if f.many_to_one]
                own = next(f for f in keys if f.related_model is owner)
                joining.append((owner, own, next(f for f in keys if f is not own)))
    return searched, naming, joining


def named_by(model, instance):
    """{searched model: keys} of the records whose documents name `instance`."""
    return {
        owner: owner._base_manager.filter(
            reduce(operator.or_, (Q(**{lookup: instance}) for lookup in lookups))
        ).values_list("pk", flat=True)
        for owner, lookups in hooks_for(model)[1].items()
    }


def link_owners(sender, instance):
    """{searched model: [key]} for a link saved or deleted on its own (taggit's taggings)."""
    joining = [] if sender._meta.auto_created else hooks_for(sender)[2]
    return {owner: [getattr(instance, own.attname)] for owner, own, _theirs in joining}


def refresh(found):
    for owner, pks in found.items():
        refresh_records(owner, pks)


@receiver(post_save, dispatch_uid="search_saved")
def saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if hooks_for(sender)[0]:
        refresh_records(sender, [instance.pk])
    refresh(link_owners(sender, instance))
    if not created:  # A new record has nothing linked to it yet.
        refresh(named_by(sender, instance))


@receiver(pre_delete, dispatch_uid="search_deleting")
def deleting(sender, instance, **kwargs):
    # The links go with the record, so which documents named it is known only before.
    instance._search_named_by = {m: list(pks) for m, pks in named_by(sender, instance).items()}


@receiver(post_delete, dispatch_uid="search_deleted")
def deleted(sender, instance, **kwargs):
    refresh(link_owners(sender, instance))
    refresh(getattr(instance, "_search_named_by", {}))


@receiver(m2m_changed, dispatch_uid="search_links_changed")
def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    for owner, own, theirs in hooks_for(sender)[2] if sender._meta.auto_created else ():
        if not reverse:
            if action in {"post_add", "post_remove", "post_clear"}:
                refresh_records(owner, [instance.pk])
        elif action == "pre_clear":
            rows = sender._base_manager.filter(**{theirs.name: instance})
            instance._search_cleared = list(rows.values_list(own.attname, flat=True))
        elif action in {"post_add", "post_remove"}:
            refresh_records(owner, pk_set or ())
        elif action == "post_clear":
            refresh_records(owner, getattr(instance, "_search_cleared", ()))
