"""The home page's "Recently updated practices" lists edits only: not the seed load, whose
records all share one moment, nor records added and left as they were."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Status
from practices.models import Practice
from tests.factories import edit, make_practice

HEADING = "Recently updated practices"


def recent_titles(client):
    """The titles in the home page's "Recently updated" section, in order; None without one."""
    html = client.get("/").content.decode()
    section = re.search(r'<section aria-labelledby="h-recent">.*?</section>', html, re.S)
    if section is None:
        assert HEADING not in html
        return None
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a>', section.group())


def test_the_seed_load_alone_shows_no_recently_updated_section(client, content):
    assert Practice.objects.published().count() > 6
    assert recent_titles(client) is None


def test_edited_practices_are_listed_newest_first_and_drafts_never(client, content):
    seeded = list(Practice.objects.published().order_by("title")[:3])
    make_practice(title="Added and left alone")
    draft = make_practice(title="Edited draft", status=Status.DRAFT)
    for practice in [seeded[1], draft, seeded[0]]:
        edit(practice)
    assert recent_titles(client) == [seeded[0].title, seeded[1].title]


def test_the_home_page_runs_as_many_queries_with_six_edits_as_with_one(
    client, content, django_assert_max_num_queries
):
    practices = list(Practice.objects.published().order_by("title")[:8])
    edit(practices[0])
    with CaptureQueriesContext(connection) as one:
        assert len(recent_titles(client)) == 1
    for practice in practices[1:]:
        edit(practice)
    with django_assert_max_num_queries(len(one)):
        assert len(recent_titles(client)) == 6
