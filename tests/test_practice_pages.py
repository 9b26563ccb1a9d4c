"""The practice list, its facets and filters, and the practice, theme and approach pages."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.html import escape

from core import keys
from core.cache import content_changed
from core.models import Status
from practices.models import Approach, Country, Practice
from tests.factories import make_approach, make_organisation, make_practice
from tests.test_admin import member_of

LIST = reverse("practices:practice-list")
VALUE_CHAINS = "Supporting Women’s Action in Value Chains"


def titles_on(response):
    """The practice titles listed as result cards, in page order."""
    html = response.content.decode()
    return re.findall(r'<li class="card" lang="en">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


def facet_options(response, param):
    facet = next(f for f in response.context["facets"] if f["param"] == param)
    return {option["value"]: option["count"] for option in facet["options"]}


def published_titles(**lookups):
    return set(
        Practice.objects.published().filter(**lookups).distinct().values_list("title", flat=True)
    )


@pytest.fixture
def staff_client(client, db):
    """Logged in as an Editor, who may preview drafts."""
    user = member_of("Editor", "curator")
    client.force_login(user)
    return client


def test_list_shows_every_published_practice(client, content):
    response = client.get(LIST)
    assert response.status_code == 200
    total = Practice.objects.published().count()
    assert total >= 16
    assert response.context["page"].paginator.count == total
    assert f"{total} practices" in response.content.decode()
    assert "Women Lead in Emergencies" in titles_on(response)


def test_country_filter_finds_the_practices_in_kenya(client, content):
    response = client.get(LIST, {"country": "KE"})
    # Those in Kenya, and those scoped to its region (Learning for change: East Africa Region).
    expected = published_titles(countries__code="KE") | {"Learning for change"}
    assert set(titles_on(response)) == expected
    assert {"Women in self-help groups", "Smallholder Horticulture Empowerment"} <= expected


def test_country_filter_is_case_insensitive(client, content):
    upper = titles_on(client.get(LIST, {"country": "KE"}))
    assert titles_on(client.get(LIST, {"country": "ke"})) == upper


def test_two_countries_mean_either(client, content):
    response = client.get(LIST + "?country=KE&country=UG")
    expected = published_titles(countries__code__in=["KE", "UG"]) | {"Learning for change"}
    assert set(titles_on(response)) == expected
    assert "Gender Action Learning Systems" in " ".join(titles_on(response))


def test_approach_filter(client, content):
    approach = Approach.objects.get(name=VALUE_CHAINS)
    response = client.get(LIST, {"approach": approach.slug})
    titles = set(titles_on(response))
    assert titles == published_titles(approach=approach)
    assert len(titles) == 3


def test_region_finds_countries_in_it_and_practices_scoped_to_it(client, content):
    response = client.get(LIST, {"region": "eastern-africa"})
    titles = set(titles_on(response))
    assert titles == published_titles(countries__region__slug="eastern-africa") | (
        published_titles(scope_region__slug="eastern-africa")
    )
    assert "Learning for change" in titles  # scoped to the East Africa Region, no country
    assert "Women in self-help groups" in titles  # Kenya


def test_facets_combine_with_and(client, content):
    approach = Approach.objects.get(name=VALUE_CHAINS)
    response = client.get(LIST, {"approach": approach.slug, "country": "KE"})
    assert titles_on(response) == ["Smallholder Horticulture Empowerment"]


def test_facet_counts_ignore_their_own_selection(client, content):
    response = client.get(LIST, {"country": "KE"})
    countries = facet_options(response, "country")
    kenya = Country.objects.select_related("region").get(code="KE")
    assert countries["KE"] == Practice.objects.published().covering(kenya).count()
    assert countries["UG"] >= 1  # still offered while Kenya is chosen
    approaches = facet_options(response, "approach")
    value_chains = Approach.objects.get(name=VALUE_CHAINS).slug
    assert approaches[value_chains] == 1  # other facets do narrow the counts
    assert all(count > 0 for count in approaches.values())


def test_active_filters_are_removable_links(client, content):
    response = client.get(LIST, {"country": ["KE", "UG"]})
    html = response.content.decode()
    assert "Country: Kenya" in html
    assert f'href="{LIST}?country=UG"' in html  # removing Kenya keeps Uganda
    assert "Clear all" in html


def test_empty_result_says_which_filter_to_remove(client, content):
    approach = Approach.objects.get(name=VALUE_CHAINS)
    response = client.get(LIST, {"approach": approach.slug, "country": "NP"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No practice matches all of these filters" in html
    assert "Remove “Country: Nepal”" in html


@pytest.mark.parametrize(
    "query",
    [
        "country=XX",
        "country=",
        "country=&country=&tag=",
        "theme=no-such-theme&region=atlantis",
        "country=" + "A" * 5000,
        "organisation=%00%01",
        "sort=drop+table",
        "q=" + "x" * 5000,
        "q=%27%3B+DROP+TABLE+practices_practice%3B--",
        "tag[]=x&tag[0]=y",
        "scope=nowhere",
    ],
)
def test_odd_filter_values_never_fail(client, content, query):
    before = Practice.objects.count()
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert Practice.objects.count() == before


def test_unknown_filter_value_is_ignored_with_a_message(client, content):
    response = client.get(LIST, {"country": ["XX", "KE"]})
    html = response.content.decode()
    assert "No Country matches “XX”; that filter was ignored." in html
    assert set(titles_on(response)) == published_titles(countries__code="KE") | {
        "Learning for change"
    }


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1", "1.5", "9" * 30])
def test_bad_page_numbers_are_not_found(client, content, page):
    response = client.get(LIST, {"page": page})
    assert response.status_code == 404
    assert "Practice Atlas" in response.content.decode()  # the site's own 404 page


def test_pagination_is_twenty_per_page(client, db):
    for _ in range(25):
        make_practice()
    first = client.get(LIST)
    assert len(titles_on(first)) == 20
    second = client.get(LIST, {"page": 2})
    assert len(titles_on(second)) == 5
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize(
    ("sort", "order"), [("title", ("title", "pk")), ("updated", ("-updated_at", "title", "pk"))]
)
def test_the_pages_together_list_every_practice_once_in_order(client, db, sort, order):
    for n in range(45):
        make_practice(title=f"Same title {n % 3}")  # equal titles: the key breaks the ties
    pages = [client.get(LIST, {"sort": sort, "page": n}) for n in (1, 2, 3)]
    listed = [p.pk for page in pages for p in page.context["page"].object_list]
    expected = Practice.objects.published().order_by(*order).values_list("pk", flat=True)
    assert listed == list(expected)
    assert [len(page.context["page"].object_list) for page in pages] == [20, 20, 5]


def test_drafts_never_appear(client, content):
    practice = Practice.objects.get(title="Women in self-help groups")
    practice.status = Status.DRAFT
    practice.save()
    assert "Women in self-help groups" not in titles_on(client.get(LIST))
    assert "Women in self-help groups" not in titles_on(client.get(LIST, {"country": "KE"}))
    kenya = Country.objects.select_related("region").get(code="KE")
    assert facet_options(client.get(LIST), "country").get("KE", 0) == (
        Practice.objects.published().covering(kenya).count()
    )
    assert client.get(practice.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft(staff_client, content):
    practice = Practice.objects.get(title="Women in self-help groups")
    practice.status = Status.DRAFT
    practice.save()
    response = staff_client.get(practice.get_absolute_url())
    assert response.status_code == 200
    assert "Preview:" in response.content.decode()


def test_practice_page_shows_its_facts_and_links(client, content):
    practice = Practice.objects.get(title="Women in self-help groups")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert '<h1 lang="en">Women in self-help groups</h1>' in html
    assert "GROOTS Kenya" in html
    assert 'href="/countries/ke/"' in html
    assert "Eastern Africa" in html
    assert practice.approach.get_absolute_url() in html
    assert practice.approach.theme.get_absolute_url() in html
    assert "CARE Promising Practices" in html  # the source, with its locator
    assert escape(practice.locator) in html


def test_practice_page_links_to_its_movements_and_principles(client, content):
    practice = Practice.objects.filter(movements__isnull=False, principles__isnull=False).first()
    assert practice is not None, "the fixtures link at least one practice both ways"
    html = client.get(practice.get_absolute_url()).content.decode()
    for movement in practice.movements.all():
        assert movement.get_absolute_url() in html
    for principle in practice.principles.all():
        assert principle.get_absolute_url() in html


def test_related_practices_share_a_country_approach_or_tag(client, content):
    practice = Practice.objects.get(title="Women in self-help groups")
    related = client.get(practice.get_absolute_url()).context["related"]
    assert len(related) == 5
    assert practice not in related
    countries = set(practice.countries.all())
    tags = set(practice.tags.all())
    for other in related:
        assert (
            other.approach_id == practice.approach_id
            or countries & set(other.countries.all())
            or tags & set(other.tags.all())
        )


def test_unknown_practice_is_not_found(client, content):
    assert client.get("/practices/no-such-practice/").status_code == 404


def test_theme_and_approach_pages(client, content):
    approach = Approach.objects.get(name=VALUE_CHAINS)
    theme_html = client.get(approach.theme.get_absolute_url()).content.decode()
    assert "Leadership &amp; Collective Action" in theme_html
    assert approach.name.replace("’", "’") in theme_html
    approach_response = client.get(approach.get_absolute_url())
    assert set(titles_on(approach_response)) == published_titles(approach=approach)
    assert client.get("/themes/nope/").status_code == 404
    assert client.get("/approaches/nope/").status_code == 404


def test_home_page_shows_what_the_atlas_holds(client, content):
    html = client.get("/").content.decode()
    assert "Leadership &amp; Collective Action" in html
    assert f"{Practice.objects.published().count()} practices" in html
    assert 'role="search"' in html


def many_practices(n=60):
    """n practices spread over countries, organisations, tags and two approaches."""
    approaches = [make_approach(), make_approach()]
    countries = list(Country.objects.filter(code__in=["KE", "UG", "NP", "KH", "PE"]))
    organisations = [make_organisation() for _ in range(4)]
    for i in range(n):
        make_practice(
            approach=approaches[i % 2],
            countries=countries[i % 5 : i % 5 + 2],
            organisations=organisations[i % 4 : i % 4 + 2],
            tags=[f"tag {i % 7}", f"tag {i % 3}"],
        )
    return approaches[0]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        LIST,
        LIST + "?country=KE&country=UG&tag=tag-1&region=eastern-africa&sort=updated",
        LIST + "?q=practice&organisation=organisation-1",
        "/countries/",
        "/countries/ke/",
        "/tags/tag-1/",
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(client, db, django_assert_max_num_queries, url):
    many_practices()
    # 22: a filtered list's facets read its keys once, then count by them (core.keys.keyed),
    # after looking for their kept counts (core.counts; not kept here: no seed load).
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


def test_detail_pages_run_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    approach = many_practices()
    practice = Practice.objects.filter(approach=approach).first()
    # 17: its partners and its links are two more reads, whatever their number.
    with django_assert_max_num_queries(17):
        assert client.get(practice.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(approach.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(approach.theme.get_absolute_url()).status_code == 200


def test_list_page_weighs_under_60_kb(client, db):
    many_practices(25)
    html = client.get(LIST).content
    with open(finders.find("css/site.css"), "rb") as handle:
        css = handle.read()
    total = len(html) + len(css)
    print(f"20-record list page: {len(html)} B HTML + {len(css)} B CSS = {total} B")
    assert total <= 60 * 1024
    assert b"<script" not in html
    assert b"https://" not in html  # no external fonts, scripts or CDN assets


def sort_form(html):
    """The match of the list's sort form in a page's HTML."""
    match = re.search(r'<form class="sort-form"[^>]*>.*?</form>', html, re.S)
    assert match, "no sort form"
    return match


def test_the_sort_form_comes_before_the_results_and_keeps_the_filters(client, content):
    response = client.get(LIST, {"country": ["KE", "nowhere"], "q": "women", "sort": "updated"})
    html = response.content.decode()
    form = sort_form(html)
    assert form.start() < html.index('<li class="card"')
    assert '<label for="list-sort">Sort by</label>' in form.group()
    assert '<option value="updated" selected>' in form.group()
    hidden = set(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group()))
    assert hidden == {("country", "KE"), ("q", "women")}  # the unknown country is not carried
    # The filter form no longer sorts; it carries the chosen sort when filters are applied.
    filters = re.search(r'<form class="facets".*?</form>', html, re.S).group()
    assert filters.count('name="sort"') == 1
    assert '<input type="hidden" name="sort" value="updated">' in filters


def test_the_sort_form_keeps_the_map_view(client, content):
    html = client.get(LIST, {"view": "map"}).content.decode()
    form = sort_form(html).group()
    assert '<input type="hidden" name="view" value="map">' in form
    assert '<option value="title" selected>' in form
    filters = re.search(r'<form class="facets".*?</form>', html, re.S).group()
    assert 'name="sort"' not in filters  # the default sort is not sent again


@pytest.mark.parametrize(
    "query",
    [
        "country=KE&tag=tag-1",
        "region=eastern-africa&organisation=organisation-1",
        "q=practice&country=KE",
    ],
)
def test_facet_counts_are_the_same_counted_by_keys_or_by_filters(client, db, monkeypatch, query):
    many_practices()
    by_keys = client.get(f"{LIST}?{query}").context["facets"]
    content_changed()  # Counted afresh, each facet by filtering every record again.
    monkeypatch.setattr(keys, "MAX_KEYED", 0)
    by_filters = client.get(f"{LIST}?{query}").context["facets"]
    assert by_keys == by_filters
    assert sum(option["count"] for facet in by_keys for option in facet["options"]) > 0
