"""A write makes stale only the cached pages that show what it changed (core.cache topics,
declared with the record types as core.records.Pages): an edited practice leaves guidance pages
and unrelated movements warm, and an edit still shows on the next request wherever it shows."""

import re
from datetime import timedelta

import pytest
from taggit.models import Tag

from core import pagecache
from core.models import Status
from guidance.models import Principle
from movements.models import Figure, Movement
from practices.models import Practice
from tests.test_page_cache import caching, fetch  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("caching")


def state(client, url):
    response, _ = fetch(client, url)
    assert response.status_code == 200, url
    return response[pagecache.HEADER], response.content.decode()


def warm(client, *urls):
    for url in urls:
        state(client, url)
        assert state(client, url)[0] == "hit", url


def linked_movement():
    movement = Movement.objects.published().filter(practices__status=Status.PUBLISHED).first()
    return movement, movement.practices.published().first()


def unlinked_practice(*others):
    return (
        Practice.objects.published()
        .filter(movements=None, principles=None)
        .exclude(pk__in=[other.pk for other in others])
        .order_by("title")
        .first()
    )


def test_an_edited_practice_leaves_guidance_and_unrelated_movements_warm(client):
    practice = unlinked_practice()
    # Added a day ago, so that the home page lists the edit below as one (Practice.edited): the
    # seed content is loaded once for the whole session, maybe seconds before this test.
    practice.created_at -= timedelta(days=1)
    movement = Movement.objects.published().order_by("name").first()
    principle = Principle.objects.published().order_by("order").first()
    others = ["/guidance/", principle.get_absolute_url(), "/movements/"]
    others.append(movement.get_absolute_url())
    shown = ["/practices/", practice.get_absolute_url(), "/"]
    warm(client, *others, *shown)

    practice.title = "Renamed by a curator"
    practice.save()

    for url in others:
        assert state(client, url)[0] == "hit", url
    for url in shown:
        status, page = state(client, url)
        assert status == "miss", url
        assert "Renamed by a curator" in page, url


def test_a_practice_edit_shows_on_the_movement_page_that_lists_it(client):
    movement, practice = linked_movement()
    other = Movement.objects.published().exclude(practices=practice).order_by("name").first()
    warm(client, movement.get_absolute_url(), other.get_absolute_url())

    practice.summary = "What a curator learnt about it this morning."
    practice.save()

    status, page = state(client, movement.get_absolute_url())
    assert status == "miss" and "What a curator learnt about it this morning." in page
    assert state(client, other.get_absolute_url())[0] == "hit"


def test_a_practice_taken_down_leaves_the_pages_that_listed_it(client):
    movement, practice = linked_movement()
    warm(client, movement.get_absolute_url())

    practice.status = Status.WITHDRAWN
    practice.save()

    status, page = state(client, movement.get_absolute_url())
    assert status == "miss" and practice.title not in page


def test_a_deleted_practice_leaves_the_pages_that_listed_it(client):
    movement, practice = linked_movement()
    warm(client, movement.get_absolute_url())

    practice.delete()

    status, page = state(client, movement.get_absolute_url())
    assert status == "miss" and practice.title not in page


def test_a_new_link_shows_on_both_records_pages(client):
    practice = unlinked_practice()
    principle = Principle.objects.published().order_by("order").first()
    unrelated = Principle.objects.published().exclude(pk=principle.pk).order_by("order").first()
    urls = [practice.get_absolute_url(), principle.get_absolute_url()]
    warm(client, *urls, unrelated.get_absolute_url())

    principle.practices.add(practice)

    assert principle.title in state(client, practice.get_absolute_url())[1]
    assert practice.title in state(client, principle.get_absolute_url())[1]
    # The guidance app's own pages all go: the link is one of its records.
    assert state(client, unrelated.get_absolute_url())[0] == "miss"


def test_a_renamed_organisation_shows_on_other_apps_pages(client):
    movement, practice = linked_movement()
    organisation = practice.organisations.first()
    warm(client, movement.get_absolute_url())

    organisation.name = "An organisation renamed"
    organisation.save()

    status, page = state(client, movement.get_absolute_url())
    assert status == "miss" and "An organisation renamed" in page


def test_a_renamed_tag_shows_everywhere(client):
    tag = Tag.objects.filter(taggit_taggeditem_items=None).first() or Tag.objects.first()
    principle = Principle.objects.published().order_by("order").first()
    warm(client, principle.get_absolute_url(), "/movements/")

    tag.name = "a-renamed-tag"
    tag.save()

    assert state(client, principle.get_absolute_url())[0] == "miss"
    assert state(client, "/movements/")[0] == "miss"


def test_a_movement_edit_leaves_the_practice_list_and_its_counts_warm(client):
    movement = Movement.objects.published().order_by("name").first()
    warm(client, "/practices/", "/practices/?scope=country")

    movement.description = "Described again."
    movement.save()

    assert state(client, "/practices/")[0] == "hit"
    assert state(client, "/practices/?scope=country")[0] == "hit"
    status, page = state(client, "/movements/")
    assert status == "miss" and "Described again." in page


def test_a_changed_figure_shows_on_the_principle_page_that_lists_its_movement(client):
    figure = Figure.objects.filter(movement__principles__isnull=False).first()
    if figure is None:
        pytest.skip("the seed content has no figure of a movement a principle lists")
    principle = figure.movement.principles.first()
    warm(client, principle.get_absolute_url())

    figure.value = figure.value + 1
    figure.save()

    assert state(client, principle.get_absolute_url())[0] == "miss"


def facet_count(page, param, value):
    """The count the practice list shows beside a facet value."""
    pattern = rf'name="{param}" value="{re.escape(value)}".*?<span class="count">(\d+)'
    found = re.search(pattern, page, re.S)
    return int(found.group(1)) if found else 0


def test_a_text_edit_keeps_the_facet_counts_and_a_status_change_recounts(client):
    practice = Practice.objects.published().exclude(approach=None).order_by("title").first()
    approach = practice.approach.slug
    _, cold_queries = fetch(client, "/practices/")
    _, page = state(client, "/practices/")
    before = facet_count(page, "approach", approach)
    assert before > 0

    practice.title = "A clearer title"
    practice.save()
    response, queries = fetch(client, "/practices/")
    assert response[pagecache.HEADER] == "miss" and "A clearer title" in response.content.decode()
    assert queries < cold_queries  # the page is built again, its counts are not

    practice.status = Status.WITHDRAWN
    practice.save()
    status, page = state(client, "/practices/")
    assert status == "miss"
    assert facet_count(page, "approach", approach) == before - 1


def test_the_home_page_keeps_its_counts_through_a_text_edit_and_recounts_on_withdrawal(client):
    practice = Practice.objects.published().order_by("title").first()
    # A summary already, so that the edit below leaves its completeness (a facet) as it was.
    practice.summary = "Words."
    practice.save()
    published = Practice.objects.published().count()
    _, cold_queries = fetch(client, "/")
    assert f"{published} practices" in state(client, "/")[1]

    practice.summary = "Only the words changed."
    practice.save()
    response, queries = fetch(client, "/")
    assert response[pagecache.HEADER] == "miss" and queries < cold_queries

    practice.status = Status.WITHDRAWN
    practice.save()
    assert f"{published - 1} practices" in state(client, "/")[1]
