"""The read-only API shows what the public site shows: the same records for the same filters,
published records only, linked records embedded, in a number of queries that does not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Status
from curation.models import PendingChange
from guidance.models import Principle
from movements.models import Movement
from practices.models import Country, Practice
from tests.api_client import api_get, every_page
from tests.factories import make_practice
from tests.test_admin import save_in_admin

PRACTICE_FILTERS = [
    "",
    "country=KE&country=UG",
    "region=eastern-africa",
    "region=asia&tag=womens-leadership",
    "approach=womens-leadership-and-networking&organisation=care",
    "theme=leadership-and-collective-action&scope=national",
    "tag=networks&tag=value-chains",
    "q=women+leadership",
    "q=Kenya&country=KE",
]
MOVEMENT_FILTERS = ["", "country=NP", "region=asia", "kind=network&kind=coalition", "tag=networks"]


def page_slugs(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sorted(record.slug for record in response.context["page"].paginator.object_list)


@pytest.mark.parametrize("query", PRACTICE_FILTERS)
def test_practices_filtered_as_on_the_page_are_the_pages_records(client, content, query):
    on_page = page_slugs(client, f"/practices/?{query}")
    in_api = every_page(client, f"/api/v1/practices/?{query}")
    assert sorted(record["slug"] for record in in_api) == on_page
    assert on_page or query.startswith("q=")  # The combinations find something


@pytest.mark.parametrize("query", MOVEMENT_FILTERS)
def test_movements_filtered_as_on_the_page_are_the_pages_records(client, content, query):
    on_page = page_slugs(client, f"/movements/?{query}")
    in_api = every_page(client, f"/api/v1/movements/?{query}")
    assert sorted(record["slug"] for record in in_api) == on_page
    assert on_page


def test_a_filter_value_that_names_nothing_is_a_400_naming_it(client, content):
    response = api_get(client, "/api/v1/practices/?country=KE&country=ZZ&tag=no-such-tag")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"country", "tag"}
    assert "ZZ" in errors["country"][0]


@pytest.mark.parametrize(
    ("model", "kind"),
    [(Practice, "practices"), (Movement, "movements"), (Principle, "principles")],
)
def test_drafts_and_withdrawn_records_never_appear(client, content, model, kind):
    hidden = list(model.objects.published().order_by("pk")[:2])
    model.objects.filter(pk=hidden[0].pk).update(status=Status.DRAFT)
    model.objects.filter(pk=hidden[1].pk).update(status=Status.WITHDRAWN)
    slugs = {record["slug"] for record in every_page(client, f"/api/v1/{kind}/")}
    assert slugs == set(model.objects.published().values_list("slug", flat=True))
    for record in hidden:
        assert api_get(client, f"/api/v1/{kind}/{record.slug}/").status_code == 404
        found = api_get(client, f"/api/v1/search/?q={record.slug.replace('-', '+')}").json()
        assert record.slug not in {result["slug"] for result in found["results"]}


def test_a_tag_only_drafts_have_is_not_listed(client, content):
    practice = make_practice(tags=["draft-only-tag"], status=Status.DRAFT)
    assert practice.tags.get().slug == "draft-only-tag"
    slugs = {tag["slug"] for tag in every_page(client, "/api/v1/tags/")}
    assert "draft-only-tag" not in slugs
    assert "womens-leadership" in slugs
    assert api_get(client, "/api/v1/tags/draft-only-tag/").status_code == 404


def test_a_practice_detail_embeds_its_links_and_source(client, content):
    practice = Practice.objects.published().filter(countries__code="KE").first()
    data = api_get(client, f"/api/v1/practices/{practice.slug}/").json()
    assert data["title"] == practice.title
    assert data["page"] == f"http://testserver/practices/{practice.slug}/"
    kenya = next(country for country in data["countries"] if country["code"] == "KE")
    assert kenya == {
        "code": "KE",
        "name": "Kenya",
        "url": "http://testserver/api/v1/countries/KE/",
        "page": "http://testserver/countries/ke/",
    }
    assert {region["slug"] for region in data["regions"]} >= {"eastern-africa", "africa"}
    assert data["source"]["short_title"] == practice.source.short_title
    assert data["locator"] == practice.locator
    # The embedded API addresses answer.
    assert api_get(client, kenya["url"]).json()["name"] == "Kenya"
    for organisation in data["organisations"]:
        assert api_get(client, organisation["url"]).status_code == 200


def test_a_movement_detail_lists_its_published_practices_only(client, content):
    movement = Movement.objects.published().filter(practices__isnull=False).first()
    linked = list(movement.practices.order_by("pk"))
    Practice.objects.filter(pk=linked[0].pk).update(status=Status.DRAFT)
    data = api_get(client, f"/api/v1/movements/{movement.slug}/").json()
    slugs = {practice["slug"] for practice in data["practices"]}
    assert slugs == {p.slug for p in linked[1:]}


def test_sections_hold_their_published_principles(client, content):
    sections = every_page(client, "/api/v1/sections/")
    assert [section["number"] for section in sections] == ["7.1", "7.2", "7.3", "7.4", "7.5"]
    listed = {p["slug"] for section in sections for p in section["principles"]}
    assert listed == set(Principle.objects.published().values_list("slug", flat=True))


def test_a_pending_change_to_a_published_practice_never_shows(client, content, editor):
    practice = Practice.objects.published().first()
    client.force_login(editor)
    save_in_admin(client, practice, title="Proposed, not yet approved", change_reason="Test")
    assert PendingChange.objects.filter(object_repr=practice.title).exists()
    client.logout()
    data = api_get(client, f"/api/v1/practices/{practice.slug}/").json()
    assert data["title"] == practice.title
    titles = {record["title"] for record in every_page(client, "/api/v1/practices/")}
    assert "Proposed, not yet approved" not in titles


@pytest.fixture
def many_practices(content):
    return [make_practice(countries=["KE"]) for _ in range(45)]


@pytest.mark.parametrize("sort", ["title", "updated"])
def test_a_deep_cursor_page_costs_the_queries_of_the_first(client, many_practices, sort):
    url = f"/api/v1/practices/?country=KE&page_size=5&sort={sort}"
    counts, seen = [], []
    while url:
        with CaptureQueriesContext(connection) as queries:
            data = api_get(client, url).json()
        counts.append(len(queries))
        seen += [record["slug"] for record in data["results"]]
        url = data["next"]
    assert len(counts) >= 9
    assert len(set(counts)) == 1, counts
    # As on /practices/?country=KE: the practices of Kenya and those scoped to its region.
    kenya = Country.objects.select_related("region").get(code="KE")
    assert len(seen) == len(set(seen)) == Practice.objects.published().covering(kenya).count()


def test_every_list_answers_in_a_fixed_number_of_queries(
    client, many_practices, django_assert_max_num_queries
):
    for kind in ["practices", "movements", "principles", "sections", "organisations", "tags"]:
        with django_assert_max_num_queries(8):
            assert api_get(client, f"/api/v1/{kind}/?page_size=100").status_code == 200
    for kind in ["countries", "regions", "themes", "approaches"]:
        with django_assert_max_num_queries(4):
            assert api_get(client, f"/api/v1/{kind}/?page_size=100").status_code == 200


def test_a_detail_answers_in_a_fixed_number_of_queries(client, content, django_assert_num_queries):
    for practice in Practice.objects.published()[:3]:
        # 10: its partners and its links are two reads, whatever their number, and the card's
        # evidence levels (Practice.objects.for_list) one.
        with django_assert_num_queries(10):
            api_get(client, f"/api/v1/practices/{practice.slug}/")


def test_search_covers_every_type_and_narrows_by_type(client, content):
    found = api_get(client, "/api/v1/search/?q=leadership").json()
    assert found["count"] > 0
    assert {result["type"] for result in found["results"]} <= {
        "practice",
        "movement",
        "principle",
        "finding",
        "definition",
    }
    principles = api_get(client, "/api/v1/search/?q=leadership&type=principle").json()
    assert principles["results"]
    assert {result["type"] for result in principles["results"]} == {"principle"}
    first = principles["results"][0]
    assert api_get(client, first["url"]).json()["slug"] == first["slug"]
    assert api_get(client, "/api/v1/search/?q=x&type=poem").status_code == 400
