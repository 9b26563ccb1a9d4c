"""Refreshes the search documents a write changes (the record's, a linked one's, a link's)."""

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .documents import SPECS, refresh_records


@cache
def hooks_for(model):
    """(whether `model` is searched, {searched model: lookups to a `model` record},
    [(searched model, its key in the link table `model`, the other key)])."""
    searched, naming, joining = False, defaultdict(set), []
    for label, spec in SPECS.items():
        owner = apps.get_model(label)
        searched |= owner is model
        for names in (path.split("__") for path in spec.links):
            linked = owner  # Each step of the path: the lookup that reaches `model`, if any.
            for depth, name in enumerate(names, 1):
                linked = linked._meta.get_field(name).related_model
                naming[owner] |= {"__".join(names[:depth])} if linked is model else set()
            relation = owner._meta.get_field(names[0])
            if relation.many_to_many and relation.remote_field.through is model:
                keys = [f for f in model._meta.fields if f.many_to_one]
                own = next(f for f in keys if f.related_model is owner)
                joining.append((owner, own, next(f for f in keys if f is not own)))
    return searched, {owner: sorted(found) for owner, found in naming.items() if found}, joining


def named_by(model, instance):
    """{searched model: keys} of the records whose documents name `instance`, one query each."""
    found = {}
    for owner, lookups in hooks_for(model)[1].items():
        rows = owner._base_manager.order_by().values_list("pk", flat=True)
        keys = [rows.filter(**{lookup: instance}) for lookup in lookups]
        found[owner] = list(keys[0].union(*keys[1:]))
    return found


def link_owners(sender, instance):
    """{searched model: [key]} for a link saved or deleted on its own (taggit's taggings)."""
    joining = [] if sender._meta.auto_created else hooks_for(sender)[2]
    return {owner: [getattr(instance, own.attname)] for owner, own, _theirs in joining}


def refresh(*found):
    """Refresh the documents of each {searched model: keys}, each record once."""
    keys = defaultdict(list)
    for part in found:
        for owner, pks in part.items():
            keys[owner] += pks
    for owner, pks in keys.items():
        refresh_records(owner, pks)


@receiver([pre_save, pre_delete], dispatch_uid="search_writing")
def writing(sender, instance, raw=False, **kwargs):
    # Documents that name it through a link the write changes or removes (a country moved to
    # another region, a record deleted with its links) are known only before.
    if not (raw or instance._state.adding):
        instance._search_named_by = named_by(sender, instance)


@receiver(post_save, dispatch_uid="search_saved")
def saved(sender, instance, raw=False, **kwargs):
    if not raw:
        own = {sender: [instance.pk]} if hooks_for(sender)[0] else {}
        before = getattr(instance, "_search_named_by", {})
        refresh(own, link_owners(sender, instance), before, named_by(sender, instance))


@receiver(post_delete, dispatch_uid="search_deleted")
def deleted(sender, instance, **kwargs):
    refresh(link_owners(sender, instance), getattr(instance, "_search_named_by", {}))


@receiver(m2m_changed, dispatch_uid="search_links_changed")
def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    for owner, own, theirs in hooks_for(sender)[2] if sender._meta.auto_created else ():
        if reverse and action == "pre_clear":  # Who loses the link is known only before.
            rows = sender._base_manager.filter(**{theirs.name: instance})
            instance._search_cleared = list(rows.values_list(own.attname, flat=True))
        elif action.startswith("post_"):
            cleared = getattr(instance, "_search_cleared", ()) if action == "post_clear" else ()
            refresh_records(owner, (pk_set or cleared) if reverse else [instance.pk])
