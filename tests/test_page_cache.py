"""Whole pages cached for visitors who are not signed in, until the content changes."""

import gzip
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from core import cache as content_cache
from core import pagecache
from core.models import Status
from practices.models import Practice
from tests.test_admin import member_of

LIST = "/practices/"


@pytest.fixture
def caching(content, monkeypatch):
    """Caching as outside a transaction (tests run inside one, where nothing is cached)."""
    outside = SimpleNamespace(in_atomic_block=False)
    monkeypatch.setattr(pagecache, "connection", outside)
    monkeypatch.setattr(content_cache, "connection", outside)
    cache.clear()
    yield
    cache.clear()


def fetch(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_a_page_seen_twice_comes_from_the_cache_without_a_query(client, caching):
    first, first_queries = fetch(client, LIST)
    second, second_queries = fetch(client, LIST)
    assert first.status_code == second.status_code == 200
    assert first[pagecache.HEADER] == "miss"
    assert second[pagecache.HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert first_queries > 0
    assert second_queries == 0


def test_a_reader_who_accepts_gzip_gets_the_stored_compressed_page(client, caching):
    """Pages are kept as sent, compressed for readers who accept gzip: a hit is not compressed
    again, and a reader who does not accept gzip gets the same page uncompressed."""
    plain, _ = fetch(client, LIST)
    first, _ = fetch(client, LIST, HTTP_ACCEPT_ENCODING="gzip, deflate")
    second, queries = fetch(client, LIST, HTTP_ACCEPT_ENCODING="gzip")
    assert first[pagecache.HEADER] == "miss"  # Its own entry, not the plain page's.
    assert second[pagecache.HEADER] == "hit"
    assert queries == 0
    assert "Content-Encoding" not in plain
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"
    assert second.content == first.content
    assert gzip.decompress(second.content) == plain.content
    assert int(second["Content-Length"]) == len(second.content)
    assert second["ETag"] != plain["ETag"]  # Two representations, two validators.
    again, _ = fetch(client, LIST)
    assert again[pagecache.HEADER] == "hit"
    assert again.content == plain.content


def test_a_cached_page_says_it_varies_on_the_language_cookie(client, caching):
    first, _ = fetch(client, LIST)
    second, _ = fetch(client, LIST)
    assert second[pagecache.HEADER] == "hit"
    for response in (first, second):
        vary = {value.strip().lower() for value in response["Vary"].split(",")}
        # A shared cache in front must tell a reader who chose French from one who chose English.
        assert {"accept-language", "cookie"} <= vary

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french, _ = fetch(client, LIST)
    assert french["Content-Language"] == "fr" and french.content != first.content


def test_each_query_string_is_its_own_page(client, caching):
    practice = Practice.objects.published().order_by("title").first()
    fetch(client, LIST)
    response, _ = fetch(client, f"{LIST}?q={practice.title[:30]}")
    assert response[pagecache.HEADER] == "miss"
    assert practice.title in response.content.decode()


def test_an_edit_shows_on_the_next_request(client, caching):
    practice = Practice.objects.published().order_by("title").first()
    fetch(client, practice.get_absolute_url())
    practice.title = "A title the curator just gave it"
    practice.save()
    response, _ = fetch(client, practice.get_absolute_url())
    assert response[pagecache.HEADER] == "miss"
    assert "A title the curator just gave it" in response.content.decode()


def test_a_browser_that_has_the_page_gets_304_until_the_content_changes(client, caching):
    practice = Practice.objects.published().order_by("title").first()
    url = practice.get_absolute_url()
    first, _ = fetch(client, url)
    # Kept, but asked about again every time: an edit shows on the next request.
    assert "public" in first["Cache-Control"] and "max-age=0" in first["Cache-Control"]
    etag, last_modified = first["ETag"], first["Last-Modified"]

    again, queries = fetch(client, url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and queries == 0
    assert again["ETag"] == etag
    dated, _ = fetch(client, url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert dated.status_code == 304

    practice.title = "A title the curator just gave it"
    practice.save()
    changed, _ = fetch(client, url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "A title the curator just gave it" in changed.content.decode()


def test_a_page_in_another_language_has_its_own_etag(client, caching):
    english, _ = fetch(client, LIST)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french, _ = fetch(client, LIST, HTTP_IF_NONE_MATCH=english["ETag"])
    assert french.status_code == 200 and french["ETag"] != english["ETag"]


def test_pages_for_signed_in_staff_carry_no_validators(client, caching, editor):
    client.force_login(editor)
    response, _ = fetch(client, LIST)
    assert response.status_code == 200
    assert "ETag" not in response and "public" not in response.get("Cache-Control", "")


def test_a_new_link_shows_on_the_next_request(client, caching):
    practice = Practice.objects.published().order_by("title").first()
    fetch(client, practice.get_absolute_url())
    practice.tags.add("newly curated tag")
    response, _ = fetch(client, practice.get_absolute_url())
    assert response[pagecache.HEADER] == "miss"
    tag = Tag.objects.get(name="newly curated tag")
    assert f'href="/tags/{tag.slug}/"' in response.content.decode()


def test_a_withdrawn_practice_leaves_the_cached_list(client, caching):
    practice = Practice.objects.published().order_by("title").first()
    assert practice.title in fetch(client, LIST)[0].content.decode()
    practice.status = Status.WITHDRAWN
    practice.save()
    assert practice.title not in fetch(client, LIST)[0].content.decode()
    assert fetch(client, practice.get_absolute_url())[0].status_code == 404


def test_languages_are_cached_apart(client, caching):
    fetch(client, LIST)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french, _ = fetch(client, LIST)
    assert french[pagecache.HEADER] == "miss"
    assert '<html lang="fr">' in french.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _ = fetch(client, LIST)
    assert english[pagecache.HEADER] == "hit"
    assert '<html lang="en">' in english.content.decode()


def test_signed_in_staff_always_get_a_fresh_page(client, caching):
    draft = Practice.objects.published().order_by("title").first()
    fetch(client, draft.get_absolute_url())
    Practice.objects.filter(pk=draft.pk).update(status=Status.DRAFT)  # no signal: no new version
    client.force_login(member_of("Editor", "curator"))  # who may preview the draft
    response, _ = fetch(client, draft.get_absolute_url())
    assert response.status_code == 200
    assert pagecache.HEADER not in response
    admin_page, _ = fetch(client, "/admin/")
    assert pagecache.HEADER not in admin_page


@pytest.mark.parametrize("url", ["/practices/no-such-practice/", f"{LIST}?page=9999", "/language/"])
def test_errors_and_redirects_are_never_stored(client, caching, url):
    first, _ = fetch(client, url)
    second, second_queries = fetch(client, url)
    assert first.status_code in (302, 404)
    assert second.status_code == first.status_code
    assert pagecache.HEADER not in second


def test_nothing_is_cached_when_turned_off(client, caching, settings):
    settings.PAGE_CACHE_SECONDS = 0
    fetch(client, LIST)
    response, queries = fetch(client, LIST)
    assert pagecache.HEADER not in response
    assert queries > 0


def test_a_head_request_is_answered_from_the_cache(client, caching):
    fetch(client, LIST)
    response = client.head(LIST)
    assert response.status_code == 200
    assert response[pagecache.HEADER] == "hit"


def test_a_save_still_succeeds_when_the_version_cannot_be_written(caching, monkeypatch, caplog):
    class Unwritable:
        def set(self, *args, **kwargs):
            raise PermissionError("read-only")

        set_many = set

    monkeypatch.setattr(content_cache, "versions", Unwritable)
    practice = Practice.objects.published().order_by("title").first()
    practice.title = "Saved all the same"
    practice.save()
    assert Practice.objects.get(pk=practice.pk).title == "Saved all the same"
    assert "Could not record a new content version" in caplog.text


def test_pages_are_served_uncached_when_the_version_cannot_be_read(client, caching, monkeypatch):
    class Unreadable:
        def get(self, *args, **kwargs):
            raise PermissionError("unreadable")

        add = set = get_many = set_many = get

    monkeypatch.setattr(content_cache, "versions", Unreadable)
    for _ in range(2):
        response, queries = fetch(client, LIST)
        assert response.status_code == 200
        assert pagecache.HEADER not in response
        assert queries > 0


def test_a_page_that_hands_out_a_csrf_token_is_never_stored(rf, caching):
    def view(request):
        return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")

    middleware = pagecache.AnonymousPageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get("/a-page-with-a-form/"))
        assert pagecache.HEADER not in response


def test_rebuilding_the_search_index_drops_cached_pages(client, caching):
    fetch(client, "/search/?q=women")
    call_command("rebuild_search_index", verbosity=0)
    response, _ = fetch(client, "/search/?q=women")
    assert response[pagecache.HEADER] == "miss"
