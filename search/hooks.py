"""Save-time work for search, in one place: every write that changes what a search document holds
refreshes it. Each SearchSpec declares its `links` (a linked model's label: the lookups from a
record to it); one receiver per signal, connected in SearchConfig.ready(), reads them for:
- a searched record saved: its own document;
- a linked record renamed or deleted ("a practice shows its organisations' names"): the documents
  of the records that link to it;
- a link added or removed (a many-to-many field named in `links`, or a tag): the records it joins;
- a record with an acronym field (register_acronyms) saved or deleted: the acronym glossary.
The content version of the page cache follows every content write on its own (core.cache).
"""

import operator
from dataclasses import dataclass, field
from functools import cache, reduce

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from taggit.managers import TaggableManager

from .documents import ACRONYM_MODELS, SPECS, forget_glossary, refresh_records


@dataclass
class Hooks:
    """What a write to one model refreshes."""

    searched: bool = False
    naming: list = field(default_factory=list)  # (searched model, lookups to the written model)
    tagging: list = field(default_factory=list)  # searched models whose tag links it holds
    joining: list = field(default_factory=list)  # (searched model, its FK, the other FK)
    acronyms: bool = False


@cache
def hooks_for(model):
    """Computed once per model class; a migration's historical models get none."""
    hooks = Hooks(
        searched=any(apps.get_model(label) is model for label in SPECS),
        acronyms=any(apps.get_model(label) is model for label in ACRONYM_MODELS),
    )
    for label, spec in SPECS.items():
        searched = apps.get_model(label)
        for linked, lookups in spec.links.items():
            if apps.get_model(linked) is model:
                hooks.naming.append((searched, lookups))
            for lookup in lookups:
                relation = searched._meta.get_field(lookup.split("__")[0])
                if isinstance(relation, TaggableManager):
                    if relation.through is model and searched not in hooks.tagging:
                        hooks.tagging.append(searched)
                elif relation.many_to_many and relation.remote_field.through is model:
                    join = join_fields(model, searched, relation.related_model)
                    if join not in hooks.joining:
                        hooks.joining.append(join)
    return hooks


def join_fields(through, searched, other):
    own = next(f for f in through._meta.fields if f.many_to_one and f.related_model is searched)
    theirs = next(
        f for f in through._meta.fields if f.many_to_one and f.related_model is other and f != own
    )
    return searched, own, theirs


def naming_records(hooks, instance):
    """{searched model: pks} of the records whose documents name `instance`."""
    return {
        searched: list(
            searched._base_manager.filter(
                reduce(operator.or_, (Q(**{lookup: instance}) for lookup in lookups))
            ).values_list("pk", flat=True)
        )
        for searched, lookups in hooks.naming
    }


def saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    hooks = hooks_for(sender)
    if hooks.acronyms:
        forget_glossary()
    if hooks.searched:
        refresh_records(sender, [instance.pk])
    for searched in hooks.tagging:
        refresh_records(searched, [instance.content_object_id])
    if not created:  # A new record has nothing linked to it yet.
        for searched, pks in naming_records(hooks, instance).items():
            refresh_records(searched, pks)


def deleting(sender, instance, **kwargs):
    # The links go with the record, so which documents named it is known only before.
    instance._search_named_by = naming_records(hooks_for(sender), instance)


def deleted(sender, instance, **kwargs):
    hooks = hooks_for(sender)
    if hooks.acronyms:
        forget_glossary()
    for searched in hooks.tagging:
        refresh_records(searched, [instance.content_object_id])
    for searched, pks in getattr(instance, "_search_named_by", {}).items():
        refresh_records(searched, pks)


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    for searched, own, theirs in hooks_for(sender).joining:
        if not reverse:
            if action in {"post_add", "post_remove", "post_clear"}:
                refresh_records(searched, [instance.pk])
        elif action == "pre_clear":
            rows = sender._base_manager.filter(**{theirs.name: instance})
            instance._search_cleared = list(rows.values_list(own.attname, flat=True))
        elif action in {"post_add", "post_remove"}:
            refresh_records(searched, pk_set or ())
        elif action == "post_clear":
            refresh_records(searched, getattr(instance, "_search_cleared", ()))


def connect():
    post_save.connect(saved, dispatch_uid="search_saved")
    pre_delete.connect(deleting, dispatch_uid="search_deleting")
    post_delete.connect(deleted, dispatch_uid="search_deleted")
    m2m_changed.connect(links_changed, dispatch_uid="search_links_changed")
