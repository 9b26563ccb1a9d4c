"""A save that changes nothing a list counts (a new title or summary) makes stale only the pages
of the saved record's values (core.cache "val:" topics, declared with RecordType.facets and
Pages.by): its country's, region's, theme's, approach's and tag's pages and the lists filtered
by them show the edit on the next request, while other values' pages stay cached. A change of
what lists count (a withdrawal, a delete) still reaches every list."""

import pytest

from core import pagecache
from core.models import Status
from practices.models import Country, Practice
from practices.views import related_practices
from tests.factories import make_approach, make_practice
from tests.test_invalidation import state, warm
from tests.test_page_cache import caching, fetch  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("caching")
EDITED = "Aardvark method, as a curator renamed it"


@pytest.fixture
def two_practices(content):
    """Two national practices that share no value: (practice, its pages, the other's pages)."""
    kenya, nicaragua = Country.objects.get(code="KE"), Country.objects.get(code="NI")
    first, second = make_approach(), make_approach()
    practice = make_practice(
        countries=[kenya], tags=["alpha-value"], approach=first, scope="national"
    )
    make_practice(countries=[nicaragua], tags=["beta-value"], approach=second, scope="national")
    own = [
        "/countries/ke/",
        kenya.region.get_absolute_url(),
        first.get_absolute_url(),
        first.theme.get_absolute_url(),
        "/tags/alpha-value/",
        "/practices/?tag=alpha-value",
        "/practices/?tag=ALPHA-VALUE",  # the facet reads it in lower case
        f"/practices/?approach={first.slug}&tag=alpha-value&sort=updated",
        "/api/v1/practices/?tag=alpha-value",
    ]
    other = [
        "/countries/ni/",
        nicaragua.region.get_absolute_url(),
        second.get_absolute_url(),
        second.theme.get_absolute_url(),
        "/tags/beta-value/",
        "/practices/?tag=beta-value",
        f"/practices/?region={nicaragua.region.slug}&view=map",
        # Narrowed by the tag: the practice edited has not got it.
        f"/practices/?approach={first.slug}&tag=beta-value",
    ]
    return practice, own, other


def test_a_new_title_shows_on_its_values_pages_and_leaves_other_values_warm(client, two_practices):
    practice, own, other = two_practices
    warm(client, *own, *other)
    for url in own + other:  # a hit, the value checked from the cache too
        assert fetch(client, url)[1] == 0, url

    practice.title = EDITED
    practice.save()

    for url in own:
        status, page = state(client, url)
        assert status == "miss" and EDITED in page, url
    for url in other:
        assert state(client, url)[0] == "hit", url


@pytest.mark.parametrize(
    "url",
    [
        "/practices/",
        "/practices/?tag=no-such-tag",  # ignored: the page lists every practice
        "/practices/?tag=beta-value&tag=no-such-tag&q=practice",  # a search reads every text
        "/practices/?country=zz",
    ],
)
def test_pages_not_narrowed_to_a_known_value_show_every_edit(client, two_practices, url):
    practice, _, _ = two_practices
    warm(client, url)

    practice.title = EDITED
    practice.save()

    assert state(client, url)[0] == "miss"


def test_a_withdrawal_recounts_every_value_page(client, two_practices):
    practice, own, other = two_practices
    warm(client, *own[:2], *other)

    practice.status = Status.WITHDRAWN
    practice.save()

    for url in other:
        assert state(client, url)[0] == "miss", url
    assert practice.title not in state(client, "/countries/ke/")[1]


def test_a_deleted_practice_leaves_its_values_pages_on_the_next_request(client, two_practices):
    practice, own, _ = two_practices
    title = practice.title
    warm(client, own[0], own[5])

    practice.delete()

    for url in (own[0], own[5]):
        status, page = state(client, url)
        assert status == "miss" and title not in page, url
    assert client.get(practice.get_absolute_url()).status_code == 404


def test_a_practice_page_shows_edits_of_its_related_practices_only(client, two_practices):
    practice, _, _ = two_practices
    related = make_practice(approach=practice.approach, title="A practice of the same approach")
    unrelated = make_practice(title="A practice sharing nothing")
    url = practice.get_absolute_url()
    warm(client, url)

    unrelated.title = "Renamed, and unrelated"
    unrelated.save()
    assert state(client, url)[0] == "hit"

    related.title = "Renamed, and related"
    related.save()
    status, page = state(client, url)
    assert status == "miss" and "Renamed, and related" in page

    practice.summary = "Its own summary, edited."
    practice.save()
    status, page = state(client, url)
    assert status == "miss" and "Its own summary, edited." in page


def test_a_practice_page_depends_on_the_related_practices_it_shows_only(client, two_practices):
    practice, _, _ = two_practices
    for n in range(6):
        make_practice(approach=practice.approach, title=f"Sharing the approach {n}")
    beyond = make_practice(approach=practice.approach, title="Sharing it too, but not shown")
    shown = related_practices(practice)
    assert len(shown) == 5 and beyond not in shown
    url = practice.get_absolute_url()
    warm(client, url)

    beyond.title, beyond.summary = "Renamed, not shown", "A new summary, not shown."
    beyond.save()
    assert state(client, url)[0] == "hit"

    shown[0].slug = "a-new-address"
    shown[0].save()
    status, page = state(client, url)
    assert status == "miss" and "/practices/a-new-address/" in page

    closer = make_practice(approach=practice.approach, tags=["alpha-value"], title="Closer")
    status, page = state(client, url)
    assert status == "miss" and "Closer" in page
    assert closer in related_practices(practice)


def test_the_old_address_of_a_practice_is_not_served_from_the_cache(client, two_practices):
    practice, _, _ = two_practices
    old = practice.get_absolute_url()
    warm(client, old)

    practice.slug = "moved-elsewhere"
    practice.save()

    assert client.get(old).status_code == 404
    assert state(client, "/practices/moved-elsewhere/")[0] == "miss"


def test_a_citation_shows_its_practice_alone(client, two_practices):
    practice, _, _ = two_practices
    other = make_practice(approach=practice.approach)
    url = f"{practice.get_absolute_url()}cite.bib"
    warm(client, url)

    other.title = "Another title"
    other.save()
    assert state(client, url)[0] == "hit"

    practice.title = EDITED
    practice.save()
    status, page = state(client, url)
    assert status == "miss" and EDITED in page


def test_a_linked_country_shows_on_its_page(client, two_practices):
    practice, _, other = two_practices
    warm(client, "/countries/ni/")

    practice.countries.add(Country.objects.get(code="NI"))

    status, page = state(client, "/countries/ni/")
    assert status == "miss" and practice.title in page
    assert pagecache.HEADER in client.get("/countries/ni/")


def test_a_new_summary_shows_on_its_page_of_the_whole_list_and_leaves_the_others_warm(
    client, content, settings
):
    settings.PAGE_SIZE = 5
    first = Practice.objects.published().order_by("title", "pk").first()
    first.summary = "A summary before."  # So that the edit below leaves its completeness.
    first.save()
    pages = ["/practices/?page=2", "/practices/?page=3&sort=title"]
    warm(client, "/practices/", "/practices/?page=1&sort=title", *pages)

    first.summary = "A summary only the first page shows."
    first.save()

    for url in ("/practices/", "/practices/?page=1&sort=title"):
        status, page = state(client, url)
        assert status == "miss" and "A summary only the first page shows." in page, url
    for url in pages:
        assert state(client, url)[0] == "hit", url

    first.title = "Zz, now last of all"  # it moves: every page of the list changes
    first.save()
    for url in pages:
        assert state(client, url)[0] == "miss", url


def test_a_new_summary_further_down_the_list_leaves_its_first_page_warm(client, content, settings):
    settings.PAGE_SIZE = 5
    third_page = Practice.objects.published().order_by("title", "pk")[10]
    third_page.summary = "A summary before."  # So that the edit below leaves its completeness.
    third_page.save()
    first_pages = ["/practices/", "/practices/?page=1", "/api/v1/practices/"]
    warm(client, *first_pages, "/practices/?page=3")

    third_page.summary = "A summary only the third page shows."
    third_page.save()

    status, page = state(client, "/practices/?page=3")
    assert status == "miss" and "A summary only the third page shows." in page
    for url in first_pages:
        assert state(client, url)[0] == "hit", url


def test_a_later_page_of_the_api_list_shows_every_edit(client, content, settings):
    """The API reaches its later pages by cursor: they show every save to the list."""
    settings.PAGE_SIZE = 5
    on_second = Practice.objects.published().order_by("title", "pk")[6]
    on_second.summary = "A summary before."  # So that the edit below leaves its completeness.
    on_second.save()
    first_page = "/api/v1/practices/"
    warm(client, first_page)
    second_page = client.get(first_page).json()["next"].removeprefix("http://testserver")
    warm(client, second_page)

    on_second.summary = "A summary only the second page shows."
    on_second.save()

    status, page = state(client, second_page)
    assert status == "miss" and "A summary only the second page shows." in page
    assert state(client, first_page)[0] == "hit"


@pytest.mark.parametrize("url", ["/practices/?page=2&sort=updated", "/practices/?page=2&x=1"])
def test_a_page_of_the_list_in_another_order_shows_every_edit(client, content, settings, url):
    settings.PAGE_SIZE = 5
    first = Practice.objects.published().order_by("title", "pk").first()
    warm(client, url)

    first.summary = "Edited."
    first.save()

    assert state(client, url)[0] == "miss"


@pytest.mark.parametrize("query", ["tag=%00", "country=%00", "region=" + "x" * 300, "tag=a%00b"])
def test_a_hostile_value_is_no_error_and_narrows_nothing(client, two_practices, query):
    practice, _, _ = two_practices
    url = f"/practices/?{query}"
    warm(client, url)

    practice.title = EDITED
    practice.save()

    status, page = state(client, url)
    assert status == "miss" and EDITED in page
