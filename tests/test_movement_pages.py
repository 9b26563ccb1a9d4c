"""The movement list, its facets and filters, and the movement pages."""

import re
from itertools import count

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Status
from movements.models import Figure, Movement
from practices.models import Country, Practice
from tests.factories import make_practice
from tests.test_admin import member_of

LIST = reverse("movements:movement-list")
SWOFON_PRACTICE = "catalysing-the-collective-power-of-women-smallholder-farmers-in-nigeria"

_serial = count(1)


def make_movement(countries=(), tags=(), figures=(), practices=(), **fields):
    n = next(_serial)
    movement = Movement.objects.create(
        **{
            "name": f"Movement {n}",
            "slug": f"movement-{n}",
            "status": Status.PUBLISHED,
            "kind": Movement.Kind.NETWORK,
            "description": f"Description of movement {n}.",
            **fields,
        }
    )
    if countries:
        movement.countries.set(countries)
    if tags:
        movement.tags.set(list(tags))
    if practices:
        movement.practices.set(practices)
    for measure, value in figures:
        Figure.objects.create(movement=movement, measure=measure, value=value, year=2014)
    return movement


def many_movements(number=55):
    """Enough movements for three pages, each with countries, tags, figures and a practice."""
    countries = list(Country.objects.filter(code__in=["KE", "UG", "NP", "KH", "NG", "BR"]))
    practice = make_practice()
    for i in range(number):
        make_movement(
            countries=countries[i % 6 : i % 6 + 2],
            tags=[f"tag {i % 7}", "organising"],
            figures=[(Figure.Measure.MEMBERS, 1000 + i), (Figure.Measure.DISTRICTS, i + 1)],
            practices=[practice],
            kind=Movement.Kind.values[i % len(Movement.Kind.values)],
        )
    return Movement.objects.first()


def slugs_on(response):
    """The slugs of the movements listed as result cards, in page order."""
    html = response.content.decode()
    return re.findall(r'<li class="card">\s*<h3 lang="en"><a href="/movements/([^/"]+)/">', html)


def published_slugs(**lookups):
    return set(
        Movement.objects.published().filter(**lookups).distinct().values_list("slug", flat=True)
    )


def facet_options(response, param):
    facet = next(f for f in response.context["facets"] if f["param"] == param)
    return {option["value"]: option["count"] for option in facet["options"]}


@pytest.fixture
def staff_client(db):
    """A second client, logged in as an Editor (who may preview drafts), beside `client`."""
    user = member_of("Editor", "curator")
    staff = Client()
    staff.force_login(user)
    return staff


def test_list_shows_every_published_movement(client, content):
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    total = Movement.objects.published().count()
    assert total >= 4
    assert set(slugs_on(response)) == published_slugs()
    assert f"{total} movements" in html
    assert "Small Scale Women Farmers Organisation in Nigeria (SWOFON)" in html
    assert "<title>Movements · Practice Atlas</title>" in html
    assert '<a href="/movements/" aria-current="page">' in html
    assert "<script" not in html and "style=" not in html


def test_country_filter(client, content):
    assert slugs_on(client.get(LIST, {"country": "NG"})) == ["swofon"]


def test_country_filter_is_case_insensitive(client, content):
    lower = set(slugs_on(client.get(LIST, {"country": "np"})))
    assert lower == set(slugs_on(client.get(LIST, {"country": "NP"})))
    assert lower == {"mam", "land-rights-movement-nepal"}


def test_two_countries_mean_either(client, content):
    response = client.get(LIST + "?country=NG&country=KH")
    assert set(slugs_on(response)) == {"swofon", "scwc"}


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("southern-asia", {"mam", "land-rights-movement-nepal"}),
        ("south-eastern-asia", {"scwc"}),
        ("asia", {"mam", "land-rights-movement-nepal", "scwc"}),
        ("western-africa", {"swofon"}),
    ],
)
def test_region_filter_takes_sub_regions_and_continents(client, content, region, expected):
    assert set(slugs_on(client.get(LIST, {"region": region}))) == expected


def test_kind_filter(client, content):
    assert slugs_on(client.get(LIST, {"kind": "coalition"})) == ["scwc"]
    response = client.get(LIST, {"kind": ["coalition", "umbrella"]})
    assert set(slugs_on(response)) == {"scwc", "swofon"}


def test_tag_filter(client, content):
    response = client.get(LIST, {"tag": "violence-against-women"})
    assert set(slugs_on(response)) == {"mam", "scwc"}


def test_filters_combine_with_and(client, content):
    response = client.get(LIST, {"tag": "violence-against-women", "country": "NP"})
    assert slugs_on(response) == ["mam"]


def test_search_finds_a_movement_by_acronym(client, content):
    assert "swofon" in slugs_on(client.get(LIST, {"q": "SWOFON"}))


def test_facet_counts_ignore_their_own_selection(client, content):
    response = client.get(LIST, {"country": "NP"})
    countries = facet_options(response, "country")
    assert countries["NP"] == 2
    assert countries["KH"] == 1  # still offered while Nepal is chosen
    assert facet_options(response, "kind") == {"network": 1, "movement": 1}  # narrowed
    regions = facet_options(response, "region")
    assert regions == {"asia": 2, "southern-asia": 2}
    assert all(
        option["count"] > 0 for facet in response.context["facets"] for option in facet["options"]
    )


def test_region_counts_count_each_movement_once(client, db):
    make_movement(countries=Country.objects.filter(code__in=["KE", "UG", "NP"]))
    make_movement(countries=Country.objects.filter(code__in=["KE"]))
    regions = facet_options(client.get(LIST), "region")
    assert regions == {"africa": 2, "eastern-africa": 2, "asia": 1, "southern-asia": 1}


def test_active_filters_are_removable_links(client, content):
    response = client.get(LIST, {"country": ["NG", "KH"]})
    html = response.content.decode()
    assert "Country: Nigeria" in html
    assert f'href="{LIST}?country=KH"' in html  # removing Nigeria keeps Cambodia
    assert "Clear all" in html
    assert "2 movements" in html


def test_empty_result_says_which_filter_to_remove(client, content):
    response = client.get(LIST, {"kind": "coalition", "country": "NG"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "0 movements" in html
    assert "No movement matches all of these filters" in html
    assert "Remove “Country: Nigeria”" in html
    assert "Remove “Kind: Coalition”" in html


def test_unknown_filter_value_is_ignored_with_a_message(client, content):
    response = client.get(LIST, {"country": ["XX", "NG"], "kind": "cult"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No Country matches “XX”; that filter was ignored." in html
    assert "No Kind matches “cult”; that filter was ignored." in html
    assert slugs_on(response) == ["swofon"]


@pytest.mark.parametrize(
    "query",
    ["region=atlantis", "country=" + "A" * 5000, "tag=%00%01", "q=" + "x" * 5000, "kind="],
)
def test_odd_filter_values_never_fail(client, content, query):
    assert client.get(f"{LIST}?{query}").status_code == 200


@pytest.mark.parametrize("page", ["abc", "99999", "0"])
def test_bad_page_numbers_are_404(client, content, page):
    assert client.get(LIST, {"page": page}).status_code == 404


def test_list_pages_by_twenty(client, db):
    many_movements(45)
    first = client.get(LIST)
    assert len(slugs_on(first)) == 20
    assert "Page 1 of 3" in first.content.decode()
    assert len(slugs_on(client.get(LIST, {"page": 3}))) == 5


def test_detail_shows_swofons_figures_and_practice(client, content):
    response = client.get(reverse("movements:movement-detail", args=["swofon"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 lang="en">Small Scale Women Farmers Organisation in Nigeria (SWOFON)</h1>' in html
    assert "Umbrella organisation" in html
    assert "<dt>Founded</dt><dd>2012</dd>" in html
    assert "about 200,000 (2014)" in html
    assert "over 500 (2014)" in html
    assert "29 (2014)" in html
    assert "some 200,000 members" in html  # the source's own wording
    assert 'href="/countries/ng/">Nigeria</a>' in html
    assert "Western Africa" in html
    assert 'href="/tags/smallholder-farmers/"' in html
    assert f'href="/practices/{SWOFON_PRACTICE}/"' in html
    assert "Source: ActionAid guidance note, Box 1" in html
    assert "Last updated" in html
    assert '<a href="/movements/">Movements</a>' in html  # breadcrumb


def test_practice_page_links_back_to_the_movement(client, content):
    practice = Practice.objects.get(slug=SWOFON_PRACTICE)
    html = client.get(practice.get_absolute_url()).content.decode()
    assert 'href="/movements/swofon/"' in html


def test_detail_lists_principles_it_illustrates(client, content):
    html = client.get(reverse("movements:movement-detail", args=["scwc"])).content.decode()
    assert 'href="/guidance/principles/distribute-power/"' in html


def test_detail_leaves_out_unpublished_practices_and_principles(client, content):
    Practice.objects.filter(slug=SWOFON_PRACTICE).update(status=Status.DRAFT)
    html = client.get(reverse("movements:movement-detail", args=["swofon"])).content.decode()
    assert SWOFON_PRACTICE not in html
    scwc = Movement.objects.get(slug="scwc")
    scwc.principles.update(status=Status.DRAFT)
    html = client.get(scwc.get_absolute_url()).content.decode()
    assert "distribute-power" not in html


def test_drafts_are_hidden_but_staff_may_preview(client, staff_client, content):
    Movement.objects.filter(slug="mam").update(status=Status.DRAFT)
    url = reverse("movements:movement-detail", args=["mam"])
    assert "mam" not in slugs_on(client.get(LIST))
    assert "mam" not in slugs_on(client.get(LIST, {"country": "NP"}))
    assert client.get(url).status_code == 404
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Preview:" in response.content.decode()
    assert "mam" not in slugs_on(staff_client.get(LIST))  # lists stay public-only


def test_unknown_slug_is_404(client, content):
    assert client.get(reverse("movements:movement-detail", args=["no-such"])).status_code == 404


def test_list_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    many_movements()
    for query in ["", "?page=2", "?country=KE&region=asia&kind=network&tag=organising"]:
        with django_assert_max_num_queries(12):
            assert client.get(LIST + query).status_code == 200


def test_detail_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    movement = many_movements()
    with django_assert_max_num_queries(12):
        assert client.get(movement.get_absolute_url()).status_code == 200
