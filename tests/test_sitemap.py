"""sitemap.xml: an index of paginated sitemaps listing published records and public pages."""

import xml.etree.ElementTree as ET

from django.urls import reverse

from atlas.sitemaps import RecordSitemap
from core.models import Status
from guidance.models import Principle
from movements.models import Movement
from practices.models import Practice
from tests.factories import make_practice

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{NS}loc")]


def section_urls(client):
    """Every URL of every sitemap the index names."""
    urls = []
    for sitemap in locations(client.get("/sitemap.xml")):
        urls += locations(client.get(sitemap.removeprefix("http://testserver")))
    return urls


def test_sitemap_lists_published_records_and_static_pages(client, content):
    Practice.objects.filter(slug="child-nutrition-initiative").update(status=Status.DRAFT)
    urls = set(section_urls(client))
    absolute = "http://testserver{}".format
    for practice in Practice.objects.published():
        assert absolute(practice.get_absolute_url()) in urls
    assert absolute("/practices/child-nutrition-initiative/") not in urls
    for movement in Movement.objects.published():
        assert absolute(movement.get_absolute_url()) in urls
    for principle in Principle.objects.published():
        assert absolute(principle.get_absolute_url()) in urls
    assert absolute("/countries/ke/") in urls
    assert absolute("/countries/fr/") not in urls  # No record in France: no sitemap entry.
    for name in ("atlas:home", "practices:practice-list", "atlas:coverage"):
        assert absolute(reverse(name)) in urls
    assert len(urls) == len(section_urls(client))  # No URL twice.


def test_sitemap_index_pages_large_sections(client, db, monkeypatch):
    monkeypatch.setattr(RecordSitemap, "limit", 10)
    for _ in range(25):
        make_practice()
    sitemaps = locations(client.get("/sitemap.xml"))
    practice_pages = [url for url in sitemaps if "sitemap-practices.xml" in url]
    assert len(practice_pages) == 3
    assert len(locations(client.get("/sitemap-practices.xml", {"p": 3}))) == 5
    assert client.get("/sitemap-practices.xml", {"p": 9}).status_code == 404
    assert client.get("/sitemap-practices.xml", {"p": "abc"}).status_code == 404
