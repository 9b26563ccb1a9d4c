"""The evidence gap map, /evidence/: approaches by theme against outcomes, each cell the number
of published practices with a confirmed assessment for the pair, shaded and marked by the
strongest level, linking to the practice list of the same practices; gaps marked; filtered by
region, country and level as the list is; its cells as CSV and JSON."""

import csv
import io
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

from evidence.models import Outcome
from evidence.rubric import Level
from practices.models import Approach, Country, Region
from tests.factories import make_approach, make_practice
from tests.test_evidence_facets import rate
from tests.test_evidence_models import make_outcome

MAP = "/evidence/"


@pytest.fixture
def mapped(content):
    """Two approaches of one theme and two outcomes: savings groups have three practices rated
    for incomes (one in Kenya, rigorously tested; one scoped to Eastern Africa; one in Peru),
    and one only provisionally; mentoring has one practice rated for voice, not yet assessed."""
    kenya, peru = Country.objects.get(code="KE"), Country.objects.get(code="PE")
    savings = make_approach(name="Savings groups")
    mentoring = make_approach(theme=savings.theme, name="Mentoring")
    incomes, voice = make_outcome("incomes"), make_outcome("voice")
    in_kenya = make_practice(approach=savings, countries=[kenya], scope="national")
    rate(in_kenya, incomes, Level.RIGOROUSLY_TESTED)
    regional = make_practice(
        approach=savings, scope="regional", scope_region=kenya.region, title="Regional"
    )
    rate(regional, incomes)
    rate(make_practice(approach=savings, countries=[peru], scope="national"), incomes)
    rate(make_practice(approach=savings), incomes, confirmed=False)
    rate(make_practice(approach=mentoring), voice, Level.NOT_ASSESSED)
    rate(make_practice(approach=savings, status="draft"), voice)
    return {"savings": savings, "mentoring": mentoring, "incomes": incomes, "voice": voice}


def cells(client, query=""):
    """{(approach slug, outcome slug): (practices, level, url)} from the JSON."""
    response = client.get(f"{MAP}?{query}&format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return {
        (row["approach_slug"], row["outcome_slug"]): (
            row["practices"],
            row["strongest_level"],
            row["url"],
        )
        for row in json.loads(response.content)["results"]
    }


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


@pytest.mark.parametrize(
    "query",
    [
        "",
        "country=KE",
        "region=eastern-africa",
        "region=americas",
        "evidence=rigorously-tested",
        "evidence=not-assessed",
        "country=ke&evidence=practice-based",
    ],
)
def test_each_cell_counts_what_the_list_it_links_to_lists(client, mapped, query):
    found = cells(client, query)
    assert found, query
    for count, _level, url in found.values():
        if count:
            assert url.startswith("http://testserver/practices/?"), url
            assert listed(client, url.removeprefix("http://testserver")) == count, url
        else:
            assert not url


def test_the_cells_count_confirmed_published_practices_and_show_the_strongest_level(client, mapped):
    savings, mentoring = mapped["savings"].slug, mapped["mentoring"].slug
    found = cells(client)
    assert found[(savings, "incomes")][:2] == (3, Level.RIGOROUSLY_TESTED)
    assert found[(savings, "voice")][:2] == (0, "")  # a draft's assessment is not public
    assert found[(mentoring, "voice")][:2] == (1, Level.NOT_ASSESSED)
    assert found[(mentoring, "incomes")][:2] == (0, "")
    # A region covers practices scoped to it and those in its countries, as the list counts.
    assert cells(client, "region=eastern-africa")[(savings, "incomes")][:2] == (
        2,
        Level.RIGOROUSLY_TESTED,
    )
    assert cells(client, "country=PE")[(savings, "incomes")][:2] == (1, Level.PRACTICE_BASED)
    assert cells(client, "evidence=practice-based")[(savings, "incomes")][0] == 2


def test_the_page_is_an_accessible_table_with_a_legend_and_gaps(client, mapped):
    response = client.get(MAP)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<caption" in page and page.count('scope="col"') >= 2
    assert 'scope="row"' in page and 'scope="rowgroup"' in page
    assert 'role="region"' in page and 'tabindex="0"' in page  # a scrollable, focusable region
    table = page[page.index("<table") : page.index("</table>")]
    # Every approach against every outcome: all gaps but the two pairs assessed and confirmed.
    assert table.count('class="gap"') == Approach.objects.count() * Outcome.objects.count() - 2
    assert "●●●" in table and "Rigorously tested" in table  # a mark, not only a shade
    link = f"/practices/?approach={mapped['savings'].slug}&amp;outcome=incomes"
    assert f'href="{link}"' in table
    for level in Level.labels:
        assert str(level) in page[page.index("map-legend") :]
    assert "<script" not in page


def test_the_filter_form_keeps_its_choices_and_names_ignored_values(client, mapped):
    page = client.get(f"{MAP}?country=KE&evidence=bogus").content.decode()
    assert '<option value="KE" selected>' in page
    assert "bogus" in page  # said to be ignored
    assert re.search(r'<form class="map-filters[^>]*method="get"', page)


def test_the_csv_has_every_cell_gaps_included(client, mapped):
    response = client.get(f"{MAP}?format=csv&region=eastern-africa")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == Approach.objects.count() * Outcome.objects.count()
    incomes = next(
        r for r in rows if r["approach"] == "Savings groups" and r["outcome_slug"] == "incomes"
    )
    assert incomes["practices"] == "2" and "region=eastern-africa" in incomes["url"]


@pytest.mark.parametrize(
    "query",
    [
        "region=%00&country=%00&evidence=%00",
        "country=ZZ&country=KE&country=KE&region=nowhere",
        "evidence=" + "x" * 5000,
        "format=xml",
        "format=csv&format=json",
        "page=-1&sort=<script>",
        "region[]=africa&country=%E2%80%AE",
    ],
)
def test_odd_parameters_never_fail(client, mapped, query):
    response = client.get(f"{MAP}?{query}")
    assert response.status_code == 200
    assert b"<script>" not in response.content


def test_the_map_runs_as_many_queries_with_more_practices_and_outcomes(
    client, mapped, django_assert_max_num_queries
):
    def queries():
        with django_assert_max_num_queries(12) as captured:
            assert client.get(f"{MAP}?region=africa&evidence=practice-based").status_code == 200
        return len(captured)

    few = queries()
    for n in range(20):
        outcome = make_outcome(f"more-{n}")
        rate(make_practice(approach=make_approach()), outcome)
        rate(make_practice(approach=mapped["savings"]), outcome, Level.INDEPENDENTLY_EVALUATED)
    assert queries() == few


def test_the_map_is_linked_from_home_the_practice_list_and_coverage(client, content):
    for url in ("/", "/practices/", "/coverage/"):
        assert f'href="{MAP}"' in client.get(url).content.decode(), url


def test_the_map_knows_every_region(client, content):
    page = client.get(MAP).content.decode()
    assert page.count("<option") >= Region.objects.count() + Country.objects.count()


@pytest.mark.parametrize(
    ("language", "heading", "gap"),
    [
        ("fr", "Carte des lacunes de données probantes", "Lacune\u00a0: aucune pratique évaluée"),
        ("es", "Mapa de brechas de evidencia", "Brecha: ninguna práctica evaluada"),
    ],
)
def test_the_map_speaks_the_readers_language(client, mapped, language, heading, gap):
    call_command("compile_translations", verbosity=0)
    trans_real._translations.clear()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(MAP).content.decode()
    translation.activate(settings.LANGUAGE_CODE)
    assert f"<h1>{heading}</h1>" in page and gap in page


def test_the_map_weighs_under_60_kb_and_needs_no_script(client, mapped):
    html = client.get(MAP).content
    css = 0
    for name in ("css/site.css", "css/gap-map.css"):
        with open(finders.find(name), "rb") as handle:
            css += len(handle.read())
    assert len(html) + css <= 60 * 1024, (len(html), css)
    assert b"<script" not in html and b"https://" not in html
