"""Drafts are previewed only by curators with the view permission on their model, and the public
tag, country and region pages count and name published records only."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from taggit.models import Tag

from core.models import Status
from practices.models import Country
from tests.factories import make_practice
from tests.test_admin import make_movement, make_principle, member_of


@pytest.fixture
def drafts(db):
    """A draft practice, movement and principle: {name: (page URL, citation file URLs)}."""
    practice = make_practice(status=Status.DRAFT, title="Draft practice")
    movement = make_movement(status=Status.DRAFT)
    principle = make_principle(status=Status.DRAFT)
    return {
        "practice": (
            practice.get_absolute_url(),
            [
                reverse(f"practices:practice-cite-{style}", args=[practice.slug])
                for style in ("bibtex", "ris", "csl-json")
            ],
        ),
        "movement": (
            movement.get_absolute_url(),
            [
                reverse(f"movements:movement-cite-{style}", args=[movement.slug])
                for style in ("bibtex", "ris", "csl-json")
            ],
        ),
        "principle": (principle.get_absolute_url(), []),
    }


def test_staff_without_a_group_cannot_preview_drafts_or_their_citations(client, drafts):
    client.force_login(get_user_model().objects.create_user("staff", password="pw", is_staff=True))
    for page, citations in drafts.values():
        assert client.get(page).status_code == 404, page
        for url in citations:
            assert client.get(url).status_code == 404, url


def test_an_editor_previews_drafts_and_downloads_their_citations(client, drafts):
    client.force_login(member_of("Editor"))
    for page, citations in drafts.values():
        response = client.get(page)
        assert response.status_code == 200, page
        assert "Preview:" in response.content.decode()
        for url in citations:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "attachment" in response["Content-Disposition"]


def test_a_user_with_the_permission_but_not_staff_sees_no_draft(client, drafts):
    editor = member_of("Editor")
    editor.is_staff = False
    editor.save()
    client.force_login(editor)
    for page, _citations in drafts.values():
        assert client.get(page).status_code == 404, page


def test_a_tag_only_drafts_or_withdrawn_records_have_is_not_public(client, db):
    tag = Tag.objects.create(name="Secret campaign", slug="secret-campaign")
    url = reverse("atlas:tag-detail", args=[tag.slug])
    practice = make_practice(status=Status.DRAFT, title="Unpublished practice", tags=[tag])
    movement = make_movement(status=Status.WITHDRAWN)
    movement.tags.add(tag)
    principle = make_principle(status=Status.DRAFT)
    principle.tags.add(tag)
    assert client.get(url).status_code == 404

    # Published, the practice makes the tag public; the others stay unnamed.
    practice.status = Status.PUBLISHED
    practice.save()
    html = client.get(url).content.decode()
    assert "Unpublished practice" in html
    assert "1 practice" in html
    assert movement.name not in html
    assert principle.title not in html


def count_cells(html, country):
    """The Practices, Movements and Findings figures in a country's row of /countries/."""
    row = re.search(rf">{re.escape(country)}</a></th>(.*?)</tr>", html)
    return row and re.findall(r'<td class="num">(\d+)</td>', row.group(1))


def test_country_and_region_pages_count_published_records_only(client, db):
    kenya, niger = Country.objects.get(code="KE"), Country.objects.get(code="NE")
    make_practice(title="Published in Kenya", countries=[kenya])
    make_practice(title="Draft in Kenya", countries=[kenya], status=Status.DRAFT)
    make_practice(title="Withdrawn in Niger", countries=[niger], status=Status.WITHDRAWN)
    movement = make_movement(status=Status.DRAFT)
    movement.countries.add(kenya)

    html = client.get(reverse("atlas:country-list")).content.decode()
    assert count_cells(html, "Kenya") == ["1", "0", "0"]
    assert count_cells(html, "Niger") is None  # nothing public there

    html = client.get(kenya.get_absolute_url()).content.decode()
    assert "Published in Kenya" in html
    assert "Draft in Kenya" not in html and movement.name not in html

    html = client.get(kenya.region.get_absolute_url()).content.decode()
    assert "Published in Kenya" in html
    assert "Draft in Kenya" not in html
