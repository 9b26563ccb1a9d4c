"""The coverage page: published practices per theme, approach, region and country, as tables
and server-rendered SVG charts, with the gaps shown."""

import re
from html import unescape

from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape

from core.models import Status
from practices.models import Approach, Country, Practice, Region, Theme
from tests.factories import make_practice

COVERAGE = reverse("atlas:coverage")


def table_counts(html, section_id):
    """{row heading text: count} from the table in the section with that heading id."""
    section = html.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]
    table = section.split("<table", 1)[1].split("</table>", 1)[0]
    row = r'<th scope="row"[^>]*>(.*?)</th>(?:<td>[^<]*</td>)*<td class="num[^"]*">([\d,]+)</td>'
    rows = re.findall(row, table)
    return {unescape(re.sub(r"<[^>]+>", "", label)): int(n.replace(",", "")) for label, n in rows}


def test_counts_equal_the_database(client, content):
    kenya = Country.objects.get(code="KE")
    make_practice(countries=[kenya], status=Status.DRAFT)  # Drafts never count.
    response = client.get(COVERAGE)
    assert response.status_code == 200
    html = response.content.decode()
    published = Practice.objects.published()

    themes = table_counts(html, "by-theme")
    for theme in Theme.objects.all():
        assert themes[theme.name] == published.filter(approach__theme=theme).count()

    approaches = table_counts(html, "by-approach")
    for approach in Approach.objects.all():
        assert approaches[approach.name] == published.filter(approach=approach).count()

    countries = table_counts(html, "by-country")
    expected = dict(
        published.filter(countries__isnull=False)
        .values_list("countries__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert countries == expected
    assert countries["Kenya"] == published.filter(countries=kenya).count()

    regions = table_counts(html, "by-region")
    for region in Region.objects.all():
        assert regions[region.name] == published.filter(regions=region).count()


def test_gaps_are_visible(client, content):
    html = client.get(COVERAGE).content.decode()
    empty = [
        r.name for r in Region.objects.all() if not Practice.objects.published().filter(regions=r)
    ]
    assert empty
    gaps = html.split("Regions with no practice yet", 1)[1].split("</ul>", 1)[0]
    for name in empty:
        assert f"<li>{escape(name)}</li>" in gaps
    assert "0 — a gap" in html


def test_charts_are_accessible_svg(client, content):
    html = client.get(COVERAGE).content.decode()
    charts = re.findall(r"<svg class=\"chart\"[^>]*>.*?</svg>", html, re.S)
    assert len(charts) == 4
    for chart in charts:
        assert 'role="img"' in chart
        ids = re.search(r'aria-labelledby="([^"]+)"', chart).group(1).split()
        for element_id in ids:
            assert f'id="{element_id}"' in chart
        assert "<title" in chart and "<desc" in chart
        assert "style=" not in chart and "<script" not in chart
    assert html.count("<table") == 4


def test_coverage_queries_are_bounded(client, db, django_assert_max_num_queries):
    for code in ("KE", "UG", "NP", "PE", "FR"):
        make_practice(countries=[Country.objects.get(code=code)])
    with django_assert_max_num_queries(10):
        assert client.get(COVERAGE).status_code == 200


def test_footer_links_to_coverage(client, db):
    assert f'href="{COVERAGE}"' in client.get(reverse("atlas:home")).content.decode()
