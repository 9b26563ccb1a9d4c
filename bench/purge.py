"""Removing the synthetic corpus: the records that cite its source document, its tags, the
document itself, and, as Django's deletion collector cascades, every row that points at them.

The delete signals are held for the purge: their receivers would refresh, one row at a time, the
search documents of records about to go and replace the content version at every row. The purge
does both once, for the real records that lose a link to a synthetic organisation or tag.
"""

from collections import Counter
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from reversion.models import Revision
from taggit.models import Tag

from core.cache import content_changed
from core.counts import recount_all
from evidence.models import Outcome, Study
from guidance.models import Principle
from movements.models import Movement
from practices.models import Organisation, Practice, SourceDocument
from search.documents import rebuild_vocabulary, refresh_records

from .bulk import HISTORY_COMMENT
from .corpus import SYNTHETIC_PREFIX
from .source import SOURCE


def synthetic_records():
    """{model: queryset} of the synthetic corpus, in the order the purge deletes them."""
    cited = {"source__slug": SOURCE["slug"]}
    return {
        Practice: Practice.objects.filter(**cited),
        Movement: Movement.objects.filter(**cited),
        Organisation: Organisation.objects.filter(**cited),
        Tag: Tag.objects.filter(slug__startswith=SYNTHETIC_PREFIX),
        # After the practices, whose assessments go with them.
        Outcome: Outcome.objects.filter(**cited),
        Study: Study.objects.filter(slug__startswith=SYNTHETIC_PREFIX),
        SourceDocument: SourceDocument.objects.filter(slug=SOURCE["slug"]),
    }


def synthetic_exist():
    return any(queryset.exists() for queryset in synthetic_records().values())


@contextmanager
def delete_signals_held():
    """No pre_delete or post_delete receivers while inside; they are back on the way out."""
    held = [(signal, signal.receivers) for signal in (pre_delete, post_delete)]
    for signal, _receivers in held:
        signal.receivers = []
        signal.sender_receivers_cache.clear()
    try:
        yield
    finally:
        for signal, receivers in held:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


def real_records_linked_to_synthetic():
    """{model: primary keys} of real records whose search documents name a synthetic
    organisation or tag, to refresh once the links are gone."""
    cited = {"source__slug": SOURCE["slug"]}
    tagged = {"tagged_items__tag__slug__startswith": SYNTHETIC_PREFIX}
    practices = Practice.objects.exclude(**cited)
    linked = practices.filter(organisations__source__slug=SOURCE["slug"])
    return {
        Practice: {*pks(linked), *pks(practices.filter(**tagged))},
        Movement: pks(Movement.objects.exclude(**cited).filter(**tagged)),
        Principle: pks(Principle.objects.filter(**tagged)),
    }


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def purge_synthetic():
    """Delete the synthetic corpus; returns {model label: rows deleted}, link tables left out."""
    counts = Counter()
    with transaction.atomic():
        refresh = real_records_linked_to_synthetic()
        with delete_signals_held():
            Revision.objects.filter(comment=HISTORY_COMMENT).delete()
            for queryset in synthetic_records().values():
                counts.update(queryset.only("pk").delete()[1])
        for model, keys in refresh.items():
            refresh_records(model, keys)
        rebuild_vocabulary()
        recount_all()
    content_changed()
    links = {label for label in counts if apps.get_model(label)._meta.auto_created}
    return {label: n for label, n in counts.items() if n and label not in links}
