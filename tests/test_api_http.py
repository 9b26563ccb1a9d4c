"""The API over HTTP: cached and conditional like pages, throttled, open to other origins for
reading, and answering every bad request with a 4xx JSON body that says what was wrong."""

import base64
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client

from core import pagecache
from practices.models import Practice
from tests.api_client import api_get, check_against_schema
from tests.test_hostile_input import row_counts
from tests.test_page_cache import caching, fetch  # noqa: F401 (a fixture)

LIST = "/api/v1/practices/?country=KE&country=UG"


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value}


def test_a_second_get_is_a_page_cache_hit_and_an_etag_gives_304(client, caching):  # noqa: F811
    first, first_queries = fetch(client, LIST)
    second, second_queries = fetch(client, LIST)
    assert first.status_code == second.status_code == 200
    assert (first[pagecache.HEADER], second[pagecache.HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    assert first_queries > 0 and second_queries == 0
    assert "accept" not in vary(first) | vary(second)
    assert "public" in second["Cache-Control"]
    check_against_schema(second)

    again, again_queries = fetch(client, LIST, HTTP_IF_NONE_MATCH=second["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again_queries == 0


def test_any_origin_may_read_the_api_and_only_the_api(client, caching):  # noqa: F811
    for _ in range(2):  # a miss, then a hit from the page cache
        response = client.get(LIST, HTTP_ORIGIN="https://intranet.example.org")
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
    page = client.get("/practices/", HTTP_ORIGIN="https://intranet.example.org")
    assert "Access-Control-Allow-Origin" not in page
    preflight = client.options(
        LIST,
        HTTP_ORIGIN="https://intranet.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_anonymous_requests_past_the_rate_get_429_with_retry_after(client, content, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()
    try:
        statuses = [api_get(client, "/api/v1/themes/").status_code for _ in range(3)]
        throttled = api_get(client, "/api/v1/themes/")
    finally:
        cache.clear()
    assert statuses == [200, 200, 200]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "throttled" in throttled.json()["detail"].lower()
    other = Client(REMOTE_ADDR="10.0.0.9")  # Someone else is not held back.
    assert other.get("/api/v1/themes/").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(content, method):
    client = Client(enforce_csrf_checks=True)
    practice = Practice.objects.published().first()
    before = row_counts()
    for url in ["/api/v1/practices/", f"/api/v1/practices/{practice.slug}/", "/api/v1/search/"]:
        response = getattr(client, method)(url, {"title": "x"}, content_type="application/json")
        assert response.status_code == 405, (url, response.status_code)
        assert "detail" in response.json()
        assert "POST" not in response["Allow"]
    assert row_counts() == before


def cursor(position, offset=0):
    raw = f"o={offset}&p={quote(position)}"
    return quote(base64.b64encode(raw.encode()).decode())


HOSTILE = [
    ("/api/v1/practices/%00/", 404),
    ("/api/v1/countries/k%00/", 404),
    ("/api/v1/%00", 404),
    ("/api/v1/no-such-list/", 404),
    ("/api/v2/practices/", 404),
    ("/api/v1/practices/no-such-practice/", 404),
    ("/api/v1/practices/?cursor=%00", 200),  # decodes to no cursor: the first page
    ("/api/v1/practices/?cursor=not-base64!", 404),
    (f"/api/v1/practices/?cursor={cursor(chr(0))}", 404),
    (f"/api/v1/practices/?cursor={cursor('x' * 500)}", 404),
    (f"/api/v1/practices/?sort=updated&cursor={cursor('not a date')}", 404),
    (f"/api/v1/principles/?cursor={cursor('seven')}", 404),
    (f"/api/v1/practices/?cursor={cursor('a', offset=10**9)}", 200),
    ("/api/v1/practices/?sort=price", 400),
    ("/api/v1/practices/?sort=relevance", 400),
    ("/api/v1/practices/?sort=relevance&q=+", 400),
    ("/api/v1/practices/?page_size=0", 400),
    ("/api/v1/practices/?page_size=101", 400),
    ("/api/v1/practices/?page_size=%C2%B2", 400),
    ("/api/v1/practices/?page_size=99999999999999999999", 400),
    ("/api/v1/practices/?country=%00", 200),
    ("/api/v1/practices/?country=K%00E", 200),
    ("/api/v1/practices/?q=%00", 200),
    ("/api/v1/practices/?q=" + "x" * 5000, 200),
    ("/api/v1/practices/?" + "&".join(["country=KE"] * 500), 200),
    ("/api/v1/practices/?" + "&".join(f"tag=t{n}" for n in range(2000)), 400),
    ("/api/v1/practices/?scope=sideways", 400),
    ("/api/v1/movements/?kind=%00", 200),
    ("/api/v1/search/?q=%00", 200),
    ("/api/v1/search/?q=Kenya&page=0", 404),
    ("/api/v1/search/?q=Kenya&page=%00", 404),
    ("/api/v1/search/?q=Kenya&page=99999999999999999999", 404),
    ("/api/v1/search/?q=Kenya&type=%00", 400),
]


@pytest.mark.parametrize(("url", "status"), HOSTILE)
def test_hostile_requests_get_a_4xx_json_answer_and_write_nothing(client, content, url, status):
    before = row_counts()
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] if status >= 400 else "results" in response.json()
    if "/api/v1/" in url and not url.startswith(("/api/v1/%00", "/api/v1/no-such", "/api/v2")):
        check_against_schema(response)
    assert row_counts() == before


def test_the_documentation_is_served_from_this_site_under_its_csp(client, content):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html  # nothing inline to allow
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200


def test_the_footer_links_the_api_documentation(client, content):
    assert 'href="/api/docs/"' in client.get("/").content.decode()
