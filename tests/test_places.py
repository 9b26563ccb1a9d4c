"""Places: region pages, regional practices on the countries they cover and in the country
filter, the region facet tree, the world map and place names in the reader's language."""

import gzip
import json
import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from core.models import Status
from practices.models import Country, Practice, Region
from tests.factories import make_practice
from tests.test_practice_pages import LIST, facet_options, many_practices, titles_on

REGIONAL = "Learning for change"  # CARE, "East Africa Region": scoped to Eastern Africa.


def section(html, heading_id):
    return html.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


def card_titles(html):
    return re.findall(r'<li class="card" lang="en">\s*<h3><a href="[^"]+">([^<]+)</a>', html)


def map_links(html):
    """{href: accessible name} of the map's country links."""
    svg = re.search(r'<figure class="world-map">.*?</figure>', html, re.S).group(0)
    return {
        unescape(href): unescape(label)
        for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    }


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("code", ["ke", "ug"])
def test_a_regional_practice_is_on_each_covered_countrys_page(client, content, code):
    html = client.get(f"/countries/{code}/").content.decode()
    assert REGIONAL in card_titles(section(html, "wider-heading"))
    national = html.split('id="wider-heading"', 1)[0]
    assert REGIONAL not in card_titles(national)
    country = Country.objects.get(code=code.upper())
    for title in Practice.objects.published().filter(countries=country).values_list("title"):
        assert title[0] in card_titles(national)


def test_a_regional_practice_is_not_on_a_country_outside_its_region(client, content):
    html = client.get("/countries/np/").content.decode()
    assert REGIONAL not in html


def test_country_filter_includes_regional_practices_marked_as_such(client, content):
    response = client.get(LIST, {"country": "UG"})
    titles = titles_on(response)
    assert REGIONAL in titles and "Gender Action Learning Systems (GALS)" in titles
    card = response.content.decode().split(f">{REGIONAL}</a>", 1)[1].split("</li>", 1)[0]
    assert '<span class="badge" lang="en">Regional</span>' in card


def test_country_counts_equal_what_each_country_filter_lists(client, content):
    # A practice both in Kenya and scoped to its region counts once; a draft not at all.
    kenya = Country.objects.get(code="KE")
    eastern_africa = Region.objects.get(slug="eastern-africa")
    make_practice(countries=[kenya], scope="regional", scope_region=eastern_africa)
    make_practice(countries=[kenya], scope_region=eastern_africa, status=Status.DRAFT)
    make_practice(scope="regional", scope_region=Region.objects.get(slug="africa"))
    for params in ({}, {"scope": "regional"}, {"q": "women"}):
        counts = facet_options(client.get(LIST, params), "country")
        if not params:  # Two in Kenya, one in it and scoped, two scoped to its regions.
            assert counts["KE"] == 5
        assert counts["TZ"] >= 1  # covered by its region alone
        # Every African country is counted (the practice scoped to Africa): past 50 options the
        # facet box lists the most frequent, so some of those with 1 are left out of it.
        for code in ("KE", "UG", "TZ", "NG", "DZ", "NP"):
            listed = client.get(LIST, {**params, "country": code}).context["page"].paginator
            if code in counts:
                assert counts[code] == listed.count, (params, code)


def test_region_facet_is_a_tree_of_continents_and_their_sub_regions(client, content):
    html = client.get(LIST).content.decode()
    box = re.search(r"<legend>Region</legend>(.*?)</fieldset>", html, re.S).group(1)
    africa = box.split('value="africa"', 1)[1].split('value="asia"', 1)[0]
    assert '<ul class="facet-children">' in africa
    assert 'value="eastern-africa"' in africa and 'value="western-africa"' in africa
    assert 'value="southern-asia"' not in africa
    top = re.sub(r'<ul class="facet-children">.*?</ul>', "", box, flags=re.S)
    assert re.findall(r'value="([a-z-]+)"', top) == ["africa", "americas", "asia"]


def test_sub_region_page(client, content):
    response = client.get("/regions/eastern-africa/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Eastern Africa</h1>" in html
    assert card_titles(section(html, "scoped-heading")) == [REGIONAL]
    listed = set(card_titles(section(html, "practices-heading")))
    expected = Practice.objects.published().filter(regions__slug="eastern-africa")
    assert listed == {title for (title,) in expected.values_list("title")}
    countries = section(html, "countries-heading")
    assert 'href="/countries/ke/">Kenya</a>' in countries
    assert 'href="/countries/ug/">Uganda</a>' in countries
    assert "Nepal" not in countries
    assert map_links(html)["/countries/ke/"] == "Kenya: 2 practices"


def test_continent_page_lists_its_sub_regions_and_countries(client, content):
    html = client.get("/regions/africa/").content.decode()
    assert "<h1>Africa</h1>" in html
    assert 'href="/regions/eastern-africa/">Eastern Africa</a>' in html
    assert 'href="/regions/western-africa/">Western Africa</a>' in html
    countries = section(html, "countries-heading")
    for name in ("Kenya", "Uganda", "Nigeria", "Niger"):
        assert f">{name}</a>" in countries
    assert "Nepal" not in countries


@pytest.mark.parametrize(
    "path",
    [
        "/regions/antarctica/",  # exists, has no record
        "/regions/atlantis/",
        "/regions/eastern-africa%00/",
        "/regions/%00/",
        "/regions/" + "a" * 300 + "/",
        "/regions/..%2f..%2fetc/",
    ],
)
def test_regions_without_records_and_hostile_slugs_are_not_found(client, content, path):
    assert client.get(path).status_code == 404


def test_region_pages_are_in_the_sitemap(client, content):
    sitemap = client.get("/sitemap-regions.xml").content.decode()
    assert "/regions/eastern-africa/" in sitemap and "/regions/africa/" in sitemap
    assert "/regions/antarctica/" not in sitemap


def test_countries_page_map_links_each_country_with_practices(client, content):
    html = client.get("/countries/").content.decode()
    links = map_links(html)
    assert links["/countries/ke/"] == "Kenya: 2 practices"
    assert links["/countries/np/"] == "Nepal: 1 practice"
    with_practices = set(
        Practice.countries.through.objects.filter(practice__status=Status.PUBLISHED)
        .values_list("country_id", flat=True)
        .distinct()
    )
    assert {href.split("/")[2].upper() for href in links} == with_practices
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "style=" not in svg and "<script" not in html
    assert "map-legend" in html


def test_coverage_page_has_the_map(client, content):
    html = client.get("/coverage/").content.decode()
    assert map_links(html)["/countries/ug/"] == "Uganda: 1 practice"


def test_list_map_view_shows_the_filtered_practices_by_country(client, content):
    response = client.get(LIST, {"region": "eastern-africa", "view": "map"})
    links = map_links(response.content.decode())
    counts = facet_options(client.get(LIST, {"region": "eastern-africa"}), "country")
    kenya = "/practices/?region=eastern-africa&country=KE"
    assert links[kenya] == f"Kenya: {counts['KE']} practices"
    assert all("NP" not in href for href in links)
    assert client.get(kenya).context["page"].paginator.count == counts["KE"]
    plain = client.get(LIST, {"region": "eastern-africa"}).content.decode()
    assert "world-map" not in plain and "view=map" in plain


@pytest.mark.parametrize(
    "url", ["/countries/", "/regions/eastern-africa/", LIST + "?view=map&theme=x"]
)
def test_a_page_with_the_map_stays_under_60_kb_compressed(client, content, url):
    html = client.get(url).content
    with open(finders.find("css/site.css"), "rb") as handle:
        css = handle.read()
    assert b"world-map" in html
    assert len(gzip.compress(html)) + len(gzip.compress(css)) < 60 * 1024


@pytest.mark.parametrize(
    ("language", "names"),
    [
        ("fr", ["Ouganda", "Afrique orientale", "Cambodge", "Afrique"]),
        ("es", ["Uganda", "África oriental", "Camboya", "África"]),
    ],
)
def test_place_names_in_the_readers_language(client, content, language, names):
    in_language(client, language)
    countries = client.get("/countries/").content.decode()
    for name in names:
        assert name in countries
    assert "Cambodia" not in countries
    facets = client.get(LIST).context["facets"]
    labels = {
        option["value"]: str(option["label"])
        for facet in facets
        if facet["param"] in ("country", "region")
        for option in facet["options"]
    }
    assert labels["KH"] == names[2] and labels["eastern-africa"] == names[1]
    assert labels["africa"] == names[3]
    region = client.get("/regions/eastern-africa/").content.decode()
    assert f"<h1>{names[1]}</h1>" in region
    assert map_links(region)["/countries/ug/"] in {
        f"{names[0]} : 1 pratique",
        f"{names[0]}: 1 práctica",
    }


def test_facet_sorts_accented_names_in_place(client, content):
    in_language(client, "fr")
    labels = facet_options_labels(client.get(LIST), "country")
    assert labels.index("Népal") < labels.index("Nicaragua") < labels.index("Niger")


def facet_options_labels(response, param):
    facet = next(f for f in response.context["facets"] if f["param"] == param)
    return [str(option["label"]) for option in facet["options"]]


def test_exports_keep_iso_codes(client, content):
    in_language(client, "fr")
    response = client.get(LIST, {"country": "KE", "format": "json"})
    data = json.loads(b"".join(response.streaming_content))
    rows = data["results"] if isinstance(data, dict) else data
    by_title = {row["title"]: row for row in rows}
    assert "KE" in by_title["Women in self-help groups"]["countries"]
    assert REGIONAL in by_title


@pytest.mark.parametrize("url", ["/regions/africa/", "/countries/ke/", LIST + "?view=map"])
def test_place_pages_run_a_fixed_number_of_queries(client, db, django_assert_max_num_queries, url):
    many_practices()
    kenya = Country.objects.get(code="KE")
    for region in ("eastern-africa", "africa"):
        make_practice(scope="regional", scope_region=Region.objects.get(slug=region))
        make_practice(countries=[kenya], scope="multi-country")
    # The list's map counts its countries again (four queries), beside ten counted facets (and
    # a look for their kept counts, core.counts) and the cards' evidence.
    with django_assert_max_num_queries(24):
        assert client.get(url).status_code == 200
