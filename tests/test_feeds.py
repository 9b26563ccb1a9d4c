"""Atom feeds: the site-wide feed of new and updated practices and `?format=atom` on any filtered
list; valid Atom, filters respected, drafts left out, newest first, bounded queries."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.feeds import FEED_LIMIT
from core.models import Status
from movements.models import Movement
from practices.models import Country, Practice
from tests.factories import make_approach, make_organisation, make_practice

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_FEED = reverse("practices:practice-feed")
PRACTICES = reverse("practices:practice-list")
MOVEMENTS = reverse("movements:movement-list")


def parse_feed(response):
    """The feed's root element, after checking what every Atom feed must have."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    return root


def entry_links(root):
    return [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]


def entry_slugs(root):
    return [href.rstrip("/").rsplit("/", 1)[-1] for href in entry_links(root)]


def test_site_feed_lists_published_practices_newest_first(client, content):
    Practice.objects.filter(slug="child-nutrition-initiative").update(
        updated_at=timezone.now() + timedelta(days=1)
    )
    draft = Practice.objects.published().exclude(slug="child-nutrition-initiative").first()
    draft.status = Status.DRAFT
    draft.save()
    root = parse_feed(client.get(SITE_FEED))
    slugs = entry_slugs(root)
    assert slugs[0] == "child-nutrition-initiative"
    assert draft.slug not in slugs
    assert set(slugs) == set(Practice.objects.published().values_list("slug", flat=True))
    assert "new and updated practices" in root.find(f"{ATOM}title").text


def test_filtered_practice_feed_follows_the_filters(client, content):
    approach = Practice.objects.get(slug="smallholder-horticulture-empowerment").approach
    kenya = Country.objects.get(code="KE")
    make_practice(countries=[kenya], approach=approach, status=Status.DRAFT, slug="kenya-draft")
    response = client.get(PRACTICES, {"country": "KE", "approach": approach.slug, "format": "atom"})
    root = parse_feed(response)
    expected = Practice.objects.published().filter(countries=kenya, approach=approach)
    assert set(entry_slugs(root)) == set(expected.values_list("slug", flat=True))
    assert "kenya-draft" not in entry_slugs(root)
    title = root.find(f"{ATOM}title").text
    assert "Kenya" in title and approach.name in title
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate.startswith("http://testserver/practices/?")
    assert "country=KE" in alternate and "format" not in alternate


def test_feeds_stop_at_fifty_newest(client, db):
    now = timezone.now()
    for n in range(FEED_LIMIT + 5):
        practice = make_practice(slug=f"feed-{n:02d}")
        Practice.objects.filter(pk=practice.pk).update(updated_at=now - timedelta(hours=n))
    for url in (SITE_FEED, PRACTICES + "?format=atom"):
        slugs = entry_slugs(parse_feed(client.get(url)))
        assert len(slugs) == FEED_LIMIT
        assert slugs == [f"feed-{n:02d}" for n in range(FEED_LIMIT)]


def test_feed_queries_are_bounded(client, db, django_assert_max_num_queries):
    kenya = Country.objects.get(code="KE")
    organisation = make_organisation()
    approach = make_approach()
    for _ in range(60):
        make_practice(
            countries=[kenya], organisations=[organisation], approach=approach, tags=["a", "b"]
        )
    with django_assert_max_num_queries(8):
        assert len(entry_links(parse_feed(client.get(SITE_FEED)))) == FEED_LIMIT
    with django_assert_max_num_queries(12):
        response = client.get(PRACTICES, {"country": "KE", "format": "atom"})
        assert len(entry_links(parse_feed(response))) == FEED_LIMIT


def test_movement_feed(client, content, django_assert_max_num_queries):
    nepal = Country.objects.get(code="NP")
    draft = Movement.objects.create(name="Draft", slug="draft-movement", status=Status.DRAFT)
    draft.countries.set([nepal])
    for n in range(55):
        movement = Movement.objects.create(
            name=f"Nepal movement {n}", slug=f"nepal-{n}", status=Status.PUBLISHED
        )
        movement.countries.set([nepal])
    with django_assert_max_num_queries(12):
        root = parse_feed(client.get(MOVEMENTS, {"country": "NP", "format": "atom"}))
    slugs = entry_slugs(root)
    assert len(slugs) == FEED_LIMIT and "draft-movement" not in slugs
    assert set(slugs) <= set(
        Movement.objects.published().filter(countries=nepal).values_list("slug", flat=True)
    )
    assert "Nepal" in root.find(f"{ATOM}title").text


@pytest.mark.parametrize("url", [PRACTICES, MOVEMENTS])
def test_list_pages_offer_feed_and_downloads(client, content, url):
    html = client.get(url, {"country": "NP", "page": "1"}).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{url}?country=NP&amp;format=atom"' in html
    assert f'href="{url}?country=NP&amp;format=csv"' in html
    assert f'href="{url}?country=NP&amp;format=json"' in html
    assert "Subscribe" in html


def test_search_feed(client, content, django_assert_max_num_queries):
    for n in range(55):
        make_practice(title=f"Beekeeping cooperative {n}", slug=f"beekeeping-{n}")
    make_practice(title="Beekeeping draft", slug="beekeeping-draft", status=Status.DRAFT)
    with django_assert_max_num_queries(15):
        root = parse_feed(
            client.get(reverse("atlas:search"), {"q": "beekeeping", "format": "atom"})
        )
    slugs = entry_slugs(root)
    assert len(slugs) == FEED_LIMIT and "beekeeping-draft" not in slugs
    assert all(slug.startswith("beekeeping-") for slug in slugs)
    assert "beekeeping" in root.find(f"{ATOM}title").text
    updated = [e.find(f"{ATOM}updated").text for e in root.findall(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True)
