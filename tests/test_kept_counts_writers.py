"""Two curators moving the same kept count at once are both counted (core.counts.locked): the
second writer counts once the first has committed, and sees its row."""

import threading
import time

import pytest
from django.db import connection, transaction
from taggit.models import Tag

from core.counts import kept_counts, recount_all
from practices.filters import PracticeFilter
from practices.models import Practice
from tests.factories import make_practice

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two writers at once: SQLite has one"
    ),
    pytest.mark.django_db(transaction=True),
]


def tag_counts():
    counts = kept_counts(PracticeFilter.all_facets(), Practice.objects.published())
    return {value: n for value, _label, n in counts["tag"]}


def test_two_curators_tagging_at_once_are_both_counted():
    first, second = make_practice(), make_practice()
    tag = Tag.objects.create(name="shared", slug="shared")
    recount_all()
    first_counted, errors = threading.Event(), []

    def add_tag(practice, hold):
        try:
            with transaction.atomic():
                practice.tags.add(tag)
                if hold:  # counted, not committed: the other curator's count must wait
                    first_counted.set()
                    time.sleep(0.5)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    writers = [threading.Thread(target=add_tag, args=(first, True))]
    writers[0].start()
    assert first_counted.wait(10)
    writers.append(threading.Thread(target=add_tag, args=(second, False)))
    writers[1].start()
    for writer in writers:
        writer.join(20)

    assert errors == []
    assert tag_counts()["shared"] == 2
