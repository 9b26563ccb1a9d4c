"""Deep pages cost what the first costs: every paginated list reads the same queries on its last
page as on its first, shows the right records there, and odd page numbers are a 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Status
from movements.models import Movement
from practices.models import Country, Practice
from tests.factories import make_approach, make_practice, make_theme

PER_PAGE = 3
RECORDS = 8  # Three pages: 3, 3 and 2.


@pytest.fixture
def lists(db, settings):
    """{list name: (url, its published practices in the list's order)}, each three pages long
    with the list's own records mixed among others and drafts."""
    settings.PAGE_SIZE = PER_PAGE
    theme = make_theme()
    approach = make_approach(theme=theme)
    other = make_approach(theme=theme)
    kenya = Country.objects.get(code="KE")
    mine = []
    for n in range(RECORDS):
        # Equal titles in pairs: the key breaks the ties, across pages too.
        mine.append(
            make_practice(
                title=f"Listed {n // 2}",
                approach=approach if n % 2 else other,
                countries=[kenya],
                tags=["deep"],
            )
        )
    make_practice(title="Elsewhere", approach=make_approach())
    make_practice(title="A draft", approach=approach, countries=[kenya], tags=["deep"],
                  status=Status.DRAFT)  # fmt: skip
    for n in range(RECORDS):
        Movement.objects.create(name=f"Movement {n}", slug=f"movement-{n}", status=Status.PUBLISHED)
    published = Practice.objects.published()
    by_title = list(published.filter(pk__in=[p.pk for p in mine]).order_by("title", "pk"))
    in_approach = [p for p in by_title if p.approach_id == approach.pk]
    return {
        "practices": ("/practices/", list(published.order_by("title", "pk"))),
        "practices by update": (
            "/practices/?sort=updated",
            list(published.order_by("-updated_at", "title", "pk")),
        ),
        "theme facet": (f"/practices/?theme={theme.slug}", by_title),
        "approach facet": (f"/practices/?approach={approach.slug}", in_approach),
        "country facet": ("/practices/?country=KE", by_title),
        "tag facet": ("/practices/?tag=deep", by_title),
        "theme": (theme.get_absolute_url(), by_title),
        "approach": (approach.get_absolute_url(), in_approach),
        "country": ("/countries/ke/", by_title),
        "tag": ("/tags/deep/", by_title),
        "movements": ("/movements/", list(Movement.objects.published().order_by("name", "pk"))),
    }


def page_of(client, url, number):
    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{url}{separator}page={number}")
    assert response.status_code == 200, url
    return response.context["page"], len(queries)


NAMES = [
    "practices",
    "practices by update",
    "theme facet",
    "approach facet",
    "country facet",
    "tag facet",
    "theme",
    "approach",
    "country",
    "tag",
    "movements",
]


@pytest.mark.parametrize("name", NAMES)
def test_the_last_page_costs_the_queries_of_the_first_and_shows_the_last_records(
    client, lists, name
):
    url, expected = lists[name]
    first, first_queries = page_of(client, url, 1)
    assert first.paginator.num_pages > 1
    last_number = first.paginator.num_pages
    last, last_queries = page_of(client, url, last_number)
    assert last_queries == first_queries
    assert list(first.object_list) == expected[:PER_PAGE]
    assert list(last.object_list) == expected[(last_number - 1) * PER_PAGE :]


@pytest.mark.parametrize("name", NAMES)
def test_odd_page_numbers_are_not_found(client, lists, name):
    url, _expected = lists[name]
    separator = "&" if "?" in url else "?"
    for page in ["-1", str(10**30), "abc", "0", "1.5", "\x00", "%00", "1\x00", "9" * 5000]:
        response = client.get(url + separator + "page=" + page)
        assert response.status_code == 404, (url, page)


@pytest.mark.parametrize("name", ["practices", "theme", "country", "movements"])
def test_a_repeated_page_number_takes_the_last(client, lists, name):
    url, expected = lists[name]
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}page=1&page=2")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == expected[PER_PAGE : 2 * PER_PAGE]
