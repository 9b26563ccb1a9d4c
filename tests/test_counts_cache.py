"""What a list counts is cached apart from its page (core.facets.value_counts, the paginator's
count, a theme's approaches): each facet's counts serve every list that leaves that facet's
filter out, and a page made stale by a new summary is rebuilt without counting again, while a
withdrawal is counted on the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.counts import stale
from core.models import Status
from movements.models import Movement
from practices.models import Country, Practice
from tests.test_invalidation import warm
from tests.test_page_cache import caching  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("caching")


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [query["sql"] for query in captured.captured_queries]


def counts(sql):
    return [query for query in sql if "COUNT(" in query.upper()]


def a_tag(model):
    return model.objects.published().filter(tags__isnull=False).values("tags__slug")[0]


def test_a_list_filtered_by_one_tag_counts_tags_as_the_whole_list_did(client):
    # As before the counts are kept in the database (tests/test_kept_counts), or after a raw load.
    stale(["movements.movement"])
    url = f"/movements/?tag={a_tag(Movement)['tags__slug']}"
    _, alone = queries_of(client, url)
    cache.clear()
    queries_of(client, "/movements/")
    response, after_whole_list = queries_of(client, url)

    assert response["X-Page-Cache"] == "miss"
    assert len(counts(after_whole_list)) < len(counts(alone))
    tag_counts = '"taggit_tag"."slug" AS "tag__slug"'  # the tag facet's grouped query
    assert any(tag_counts in sql for sql in alone)
    assert not any(tag_counts in sql for sql in after_whole_list)


def test_a_new_summary_rebuilds_a_theme_page_without_counting_again(client):
    practice = Practice.objects.published().filter(approach__isnull=False).first()
    practice.summary = "A summary before."  # So that the edit below leaves its completeness.
    practice.save()
    url = practice.approach.theme.get_absolute_url()
    warm(client, url)

    practice.summary = "A summary edited by a curator."
    practice.save()
    response, sql = queries_of(client, url)

    assert response["X-Page-Cache"] == "miss"
    assert counts(sql) == []


def test_a_withdrawal_is_counted_on_the_next_request(client):
    practice = Practice.objects.published().filter(approach__isnull=False).first()
    approach, theme = practice.approach, practice.approach.theme
    urls = ["/practices/", theme.get_absolute_url(), f"/practices/?theme={theme.slug}"]
    warm(client, *urls)

    practice.status = Status.WITHDRAWN
    practice.save()

    published = Practice.objects.published()
    in_theme = published.filter(approach__theme=theme).count()
    pages = {}
    for url, expected in zip(urls, [published.count(), in_theme, in_theme], strict=True):
        pages[url] = response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert response.context["page"].paginator.count == expected, url
    shown = {a.pk: a.practice_count for a in pages[urls[1]].context["approaches"]}
    assert shown[approach.pk] == published.filter(approach=approach).count()
    theme_facet = next(f for f in pages[urls[0]].context["facets"] if f["param"] == "theme")
    option = next(o for o in theme_facet["options"] if o["value"] == theme.slug)
    assert option["count"] == in_theme


@pytest.mark.parametrize("path", ["/practices/", "/movements/"])
@pytest.mark.parametrize("query", ["zzqxnothing", '"', "-women -kenya"])
def test_a_search_that_can_find_nothing_is_counted_without_a_cache_key(client, path, query):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def facet_labels(response, param):
    facet = next(f for f in response.context["facets"] if f["param"] == param)
    return {option["value"]: option["label"] for option in facet["options"]}


def test_facet_names_are_read_once_and_a_renamed_country_shows_on_the_next_request(client):
    names = '"practices_country"."code" AS "code"'  # the country facet's names
    first, before = queries_of(client, "/practices/?q=women")
    response, after = queries_of(client, "/practices/?q=rights")
    assert any(names in sql for sql in before)
    assert not any(names in sql for sql in after)

    code = next(iter(facet_labels(response, "country")))
    country = Country.objects.get(code=code)
    country.name = "Renamed Land"
    country.save()
    response, sql = queries_of(client, "/practices/?q=leadership")
    assert facet_labels(response, "country")[code] == "Renamed Land"
    assert any(names in query for query in sql)
