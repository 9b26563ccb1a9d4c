"""CSV and JSON exports of whole filtered lists: every page, published records only, stable
columns, a bounded number of queries, and no 500 on odd input."""

import csv
import io
import json
import re
from itertools import count

import pytest
from django.urls import reverse

from core import listing
from core.models import Status
from movements.models import Movement
from practices.models import Country, Practice
from tests.factories import make_approach, make_organisation, make_practice

PRACTICES = reverse("practices:practice-list")
MOVEMENTS = reverse("movements:movement-list")
SEARCH = reverse("atlas:search")
PRACTICE_COLUMNS = [
    "slug",
    "title",
    "url",
    "organisations",
    "approach",
    "theme",
    "scope",
    "scope_label",
    "countries",
    "regions",
    "tags",
    "summary",
    "source",
    "locator",
    "updated_at",
    # Added with the narrative fields, at the end.
    "completeness",
    "context",
    "activities",
    "results",
    "evidence_basis",
    "lessons",
    "adaptation",
    "start_year",
    "end_year",
    "partners",
    "links",
    "outcomes",  # From the evidence app (core.records.plug_export_columns).
    "evidence",
]
MOVEMENT_COLUMNS = [
    "slug",
    "name",
    "acronym",
    "url",
    "kind",
    "countries",
    "regions",
    "founded_year",
    "figures",
    "practices",
    "tags",
    "description",
    "source",
    "locator",
    "updated_at",
]

_serial = count(1)


def body(response):
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    text = body(response)
    assert text.startswith("\ufeff")  # A byte-order mark, for spreadsheet programs.
    reader = csv.DictReader(io.StringIO(text[1:]))
    return reader.fieldnames, list(reader)


def json_results(response):
    data = json.loads(body(response))
    return data["columns"], data["results"]


@pytest.fixture
def kenya_practices(content):
    """25 more published Kenyan practices (more than one page) and a Kenyan draft: the slugs of
    the practices `?country=KE` gives (those of Kenya and those scoped to its regions)."""
    kenya = Country.objects.get(code="KE")
    organisation = make_organisation(name="Kenya Women's Network")
    approach = make_approach()
    for _ in range(25):
        make_practice(
            countries=[kenya], organisations=[organisation], approach=approach, tags=["farming"]
        )
    make_practice(countries=[kenya], status=Status.DRAFT, title="Kenyan draft")
    kenya = Country.objects.select_related("region").get(code="KE")
    return set(Practice.objects.published().covering(kenya).values_list("slug", flat=True))


def make_movement(countries=(), **fields):
    n = next(_serial)
    movement = Movement.objects.create(
        **{"name": f"Export movement {n}", "slug": f"export-movement-{n}", **fields}
    )
    movement.countries.set(countries)
    return movement


def test_practice_csv_has_every_kenyan_practice_on_all_pages(client, kenya_practices):
    assert len(kenya_practices) > 20
    response = client.get(PRACTICES, {"country": "KE", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="practice-atlas-practices-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    header, rows = csv_rows(response)
    assert header == PRACTICE_COLUMNS
    assert {row["slug"] for row in rows} == kenya_practices
    assert len(rows) == len(kenya_practices)
    assert "Kenyan draft" not in {row["title"] for row in rows}
    horticulture = next(r for r in rows if r["slug"] == "smallholder-horticulture-empowerment")
    assert horticulture["countries"] == "KE"
    assert horticulture["regions"] == "Africa;Eastern Africa"
    assert horticulture["source"] == "CARE Promising Practices"
    assert horticulture["locator"].startswith("Leadership & Collective Action › ")
    assert horticulture["url"] == (
        "http://testserver/practices/smallholder-horticulture-empowerment/"
    )
    assert "value chains" in horticulture["tags"].split(";")


def test_practice_json_matches_the_csv(client, kenya_practices):
    response = client.get(PRACTICES, {"country": "KE", "format": "json"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('.json"')
    columns, results = json_results(response)
    assert columns == PRACTICE_COLUMNS
    assert {row["slug"] for row in results} == kenya_practices
    assert all(list(row) == PRACTICE_COLUMNS for row in results)
    made = next(row for row in results if row["organisations"] == ["Kenya Women's Network"])
    assert made["countries"] == ["KE"] and made["tags"] == ["farming"]


def test_export_applies_every_filter_and_ignores_the_page(client, kenya_practices):
    approach = Practice.objects.get(slug="smallholder-horticulture-empowerment").approach
    response = client.get(
        PRACTICES, {"country": "KE", "approach": approach.slug, "format": "csv", "page": "abc"}
    )
    assert response.status_code == 200
    _header, rows = csv_rows(response)
    expected = Practice.objects.published().filter(countries__code="KE", approach=approach)
    assert {row["slug"] for row in rows} == set(expected.values_list("slug", flat=True))


def test_unfiltered_export_is_every_published_practice(client, content):
    _header, rows = csv_rows(client.get(PRACTICES, {"format": "csv"}))
    assert len(rows) == Practice.objects.published().count()


def test_csv_cells_cannot_run_as_formulas(client, db):
    make_practice(title='=HYPERLINK("http://evil")', slug="formula")
    _header, rows = csv_rows(client.get(PRACTICES, {"format": "csv"}))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil")'
    _columns, results = json_results(client.get(PRACTICES, {"format": "json"}))
    assert results[0]["title"] == '=HYPERLINK("http://evil")'


def test_export_queries_do_not_grow_with_rows(client, db, django_assert_max_num_queries):
    kenya = Country.objects.get(code="KE")
    organisation = make_organisation()
    approach = make_approach()
    for _ in range(60):
        make_practice(
            countries=[kenya], organisations=[organisation], approach=approach, tags=["a", "b"]
        )
    for fmt in ("csv", "json"):
        with django_assert_max_num_queries(12):
            response = client.get(PRACTICES, {"country": "KE", "format": fmt})
            text = body(response)
        assert text.count("http://testserver/practices/practice-") == 60


@pytest.mark.parametrize(
    "params",
    [
        {"format": "xml"},
        {"format": ""},
        {"format": "csv\x00"},
        {"format": "csv", "page": "abc"},
        {"format": "json", "q": "x" * 5000},
        {"format": "csv", "country": "ZZ"},
        {"format": "json", "region": "<script>"},
    ],
)
def test_odd_input_never_fails(client, content, params):
    for url in (PRACTICES, MOVEMENTS):
        response = client.get(url, params)
        assert response.status_code == 200


def test_unknown_format_gives_the_html_page(client, content):
    response = client.get(PRACTICES, {"format": "xml"})
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response


def test_movement_exports(client, content):
    nepal = Country.objects.get(code="NP")
    for _ in range(22):
        make_movement(countries=[nepal], status=Status.PUBLISHED, kind="network")
    make_movement(countries=[nepal], status=Status.DRAFT, name="Draft movement")
    expected = set(
        Movement.objects.published().filter(countries=nepal).values_list("slug", flat=True)
    )
    assert len(expected) > 20

    response = client.get(MOVEMENTS, {"country": "NP", "format": "csv"})
    assert response["Content-Disposition"].endswith('.csv"')
    header, rows = csv_rows(response)
    assert header == MOVEMENT_COLUMNS
    assert {row["slug"] for row in rows} == expected
    mam = next(row for row in rows if row["slug"] == "mam")
    assert mam["acronym"] == "MAM" and mam["countries"] == "NP"
    assert mam["regions"] == "Asia;Southern Asia"
    assert "members: about 50000" in mam["figures"].split(";")
    assert mam["source"] == "ActionAid guidance note" and mam["locator"] == "Part 8.1"

    columns, results = json_results(client.get(MOVEMENTS, {"country": "NP", "format": "json"}))
    assert columns == MOVEMENT_COLUMNS
    assert {row["slug"] for row in results} == expected
    assert "Draft movement" not in {row["name"] for row in results}


def test_movement_export_queries_are_bounded(client, db, django_assert_max_num_queries):
    nepal = Country.objects.get(code="NP")
    for _ in range(55):
        make_movement(countries=[nepal], status=Status.PUBLISHED)
    with django_assert_max_num_queries(12):
        _header, rows = csv_rows(client.get(MOVEMENTS, {"format": "csv"}))
    assert len(rows) == 55


SEARCH_COLUMNS = ["type", "title", "url", "summary", "source", "locator", "updated_at"]


def test_search_export_has_every_match_on_all_pages(client, content):
    for n in range(25):
        make_practice(title=f"Beekeeping cooperative {n}", slug=f"beekeeping-{n}")
    make_practice(title="Beekeeping draft", slug="beekeeping-draft", status=Status.DRAFT)
    Movement.objects.create(
        name="Beekeepers' union", slug="beekeepers-union", status=Status.PUBLISHED
    )
    page = client.get(SEARCH, {"q": "beekeeping"})
    total = page.context["page"].paginator.count
    assert total > 20

    response = client.get(SEARCH, {"q": "beekeeping", "format": "csv"})
    assert response["Content-Disposition"].endswith('.csv"')
    header, rows = csv_rows(response)
    assert header == SEARCH_COLUMNS
    assert len(rows) == total
    slugs = {row["url"].rstrip("/").rsplit("/", 1)[-1] for row in rows}
    assert {f"beekeeping-{n}" for n in range(25)} <= slugs
    assert "beekeeping-draft" not in slugs
    assert {row["type"] for row in rows} >= {"practice"}

    columns, results = json_results(client.get(SEARCH, {"q": "beekeeping", "format": "json"}))
    assert columns == SEARCH_COLUMNS
    assert [row["url"] for row in results] == [row["url"] for row in rows]


def test_search_export_keeps_the_type_filter_and_names_the_source(client, content):
    _header, rows = csv_rows(client.get(SEARCH, {"q": "MAM", "type": "movement", "format": "csv"}))
    assert rows and {row["type"] for row in rows} == {"movement"}
    mam = next(row for row in rows if row["url"].endswith("/movements/mam/"))
    assert mam["title"] == "Mahila Adhika Manch (MAM)"
    assert mam["source"] == "ActionAid guidance note" and mam["locator"] == "Part 8.1"


def test_search_export_queries_are_bounded(client, db, django_assert_max_num_queries):
    for n in range(60):
        make_practice(title=f"Beekeeping cooperative {n}", slug=f"beekeeping-{n}")
    with django_assert_max_num_queries(20):
        _header, rows = csv_rows(client.get(SEARCH, {"q": "beekeeping", "format": "csv"}))
    assert len(rows) == 60


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 5000, "format": "csv"},
        {"q": "", "format": "json"},
        {"q": "kenya", "format": "csv", "page": "abc"},
        {"q": "kenya", "format": "xml"},
        {"q": '"unbalanced -', "format": "atom", "type": "nonsense"},
    ],
)
def test_odd_search_input_never_fails(client, content, params):
    assert client.get(SEARCH, params).status_code == 200


def test_practice_export_of_a_search_keeps_the_list_order(client, content):
    params = {"q": "women", "country": "KE"}
    html_titles = [p.title for p in client.get(PRACTICES, params).context["page"].object_list]
    _header, rows = csv_rows(client.get(PRACTICES, {**params, "format": "csv"}))
    assert [row["title"] for row in rows] == html_titles
    assert rows


@pytest.mark.parametrize(
    ("url", "model"), [("practices:practice-list", Practice), ("movements:movement-list", Movement)]
)
def test_a_searched_export_has_every_match_even_where_the_page_is_cut(
    client, content, monkeypatch, url, model
):
    monkeypatch.setattr(listing, "LIST_SEARCH_POOL", 1)
    matching = model.objects.published().search("women", spelling=False).count()
    assert matching >= 3  # so that the page is cut
    page = client.get(reverse(url), {"q": "women"})
    assert page.context["cut"] == 1
    _header, rows = csv_rows(client.get(reverse(url), {"q": "women", "format": "csv"}))
    assert len(rows) == matching
