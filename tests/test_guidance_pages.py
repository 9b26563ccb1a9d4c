"""The guidance note page, the principle pages and the printable reflection checklist."""

import re
from itertools import count

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from core.models import Status
from guidance.models import (
    Definition,
    Finding,
    InfographicGroup,
    MemberType,
    Phase,
    Principle,
    Resource,
    Section,
    ValueAdd,
)
from movements.models import Movement
from practices.models import Country, Practice
from tests.factories import make_practice
from tests.test_admin import member_of

GUIDANCE = reverse("guidance:guidance")
CHECKLIST = reverse("guidance:checklist")
CAMBODIA_PRACTICE = "coalition-building-for-safe-cities-for-women-in-phnom-penh-cambodia"

_serial = count(1)


def principle_url(slug):
    return reverse("guidance:principle-detail", args=[slug])


def make_section(**fields):
    n = next(_serial)
    return Section.objects.create(
        **{
            "number": f"9.{n}",
            "title": f"Section {n}",
            "slug": f"section-{n}",
            "order": n,
            **fields,
        }
    )


def make_principle(section, practices=(), movements=(), tags=(), **fields):
    n = next(_serial)
    principle = Principle.objects.create(
        **{
            "section": section,
            "title": f"Principle {n}",
            "slug": f"principle-{n}",
            "order": n,
            "explanation": f"Why principle {n} matters.",
            "status": Status.PUBLISHED,
            **fields,
        }
    )
    if practices:
        principle.practices.set(practices)
    if movements:
        principle.movements.set(movements)
    if tags:
        principle.tags.set(list(tags))
    return principle


def many_principles(sections=5, per_section=12):
    """A guidance note at several times its real size, with every kind of entry filled in."""
    practice = make_practice(countries=Country.objects.filter(code__in=["KE", "NP"]))
    movement = Movement.objects.create(name="A movement", slug="a-movement", status="published")
    movement.countries.set(Country.objects.filter(code__in=["KE", "NP"]))
    group = InfographicGroup.objects.create(number=1, title="Group", slug="group", order=1)
    for _ in range(sections):
        section = make_section()
        for i in range(per_section):
            make_principle(
                section,
                practices=[practice],
                movements=[movement],
                tags=[f"tag {i % 4}"],
                infographic_group=group,
                short_title=f"In short {i}",
            )
    for n in range(20):
        Phase.objects.create(name=f"Phase {n}", slug=f"phase-{n}", order=n)
        ValueAdd.objects.create(text=f"Value {n}", slug=f"value-{n}", order=n)
        finding = Finding.objects.create(
            kind=Finding.Kind.values[n % 2], text=f"Finding {n}", slug=f"finding-{n}", order=n
        )
        finding.countries.set(Country.objects.filter(code__in=["KH", "NP"]))
        Definition.objects.create(term=f"Term {n}", text="Means.", slug=f"term-{n}", order=n)
        MemberType.objects.create(name=f"Member {n}", slug=f"member-{n}", order=n)
        Resource.objects.create(
            category=Resource.Category.values[n % 3],
            title=f"Resource {n}",
            slug=f"resource-{n}",
            order=n,
            url="https://example.org/",
        )
    return Principle.objects.filter(section__order__gt=1).first()


@pytest.fixture
def staff_client(db):
    """A second client, logged in as an Editor (who may preview drafts), beside `client`."""
    user = member_of("Editor", "curator")
    staff = Client()
    staff.force_login(user)
    return staff


def test_guidance_shows_every_section_and_published_principle(client, content):
    response = client.get(GUIDANCE)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/guidance/" aria-current="page">' in html
    sections = list(Section.objects.all())
    assert [s.number for s in sections] == ["7.1", "7.2", "7.3", "7.4", "7.5"]
    for section in sections:
        assert f'id="section-{section.slug}"' in html
        assert section.get_absolute_url() == f"/guidance/#section-{section.slug}"
        assert escape(section.title) in html
    principles = Principle.objects.published()
    assert principles.count() >= 30
    for principle in principles:
        assert escape(principle.title) in html
        assert f'href="{principle.get_absolute_url()}"' in html
    assert "<script" not in html and "style=" not in html


def test_guidance_shows_the_rest_of_the_note(client, content):
    html = client.get(GUIDANCE).content.decode()
    for heading in [
        "The principles at a glance",
        "When to use this guidance",
        "How ActionAid adds value",
        "What the research found",
        "Opportunities",
        "Challenges",
        "Definitions",
        "Who social movements bring together",
        "Resources",
    ]:
        assert heading in html
    assert "Building women&#x27;s voice, leadership and collective action" in html
    assert "Empower women and promote their leadership at all stages" in html  # short form
    assert "Programme scoping and design" in html
    assert "Profile raising and media work" in html
    assert escape("Feminist leadership") in html and "Batliwala" in html
    assert "Trade unions" in html
    assert 'href="http://tinyurl.com/j7xq96z"' in html
    assert 'href="/countries/kh/">Cambodia</a>' in html  # findings name their countries
    assert "Source: ActionAid guidance note" in html


def test_guidance_headings_are_in_order(client, content):
    html = client.get(GUIDANCE).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_principle_page_shows_its_section_and_what_illustrates_it(client, content):
    response = client.get(principle_url("distribute-power"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 lang="en">Distribute power</h1>' in html
    assert "<title>Distribute power · Practice Atlas</title>" in html
    section = Section.objects.get(number="7.3")
    assert f'href="{section.get_absolute_url()}"' in html
    assert f'href="/practices/{CAMBODIA_PRACTICE}/"' in html
    assert 'href="/movements/scwc/"' in html
    assert 'href="/tags/coalitions/"' in html
    assert "Source: ActionAid guidance note, Part 7.3" in html


def test_principle_page_shows_its_short_form(client, content):
    principle = Principle.objects.get(slug="participatory-approaches-and-leadership-at-all-stages")
    html = client.get(principle.get_absolute_url()).content.decode()
    assert "Empower women and promote their leadership at all stages" in html
    assert principle.short_text[:40] in html
    assert escape(principle.infographic_group.title) in html


def test_previous_and_next_run_across_sections(client, content):
    html = client.get(principle_url("distribute-power")).content.decode()  # last of 7.3
    assert f'href="{principle_url("movement-sustainability")}" rel="prev"' in html
    assert f'href="{principle_url("trust-takes-time")}" rel="next"' in html  # first of 7.4
    first = Principle.objects.published().first()
    html = client.get(first.get_absolute_url()).content.decode()
    assert 'rel="prev"' not in html and 'rel="next"' in html


def test_previous_and_next_skip_drafts(client, content):
    Principle.objects.filter(slug="movement-sustainability").update(status=Status.DRAFT)
    html = client.get(principle_url("distribute-power")).content.decode()
    assert f'href="{principle_url("democracy-and-transparency")}" rel="prev"' in html


def test_principle_page_leaves_out_unpublished_practices_and_movements(client, content):
    Practice.objects.filter(slug=CAMBODIA_PRACTICE).update(status=Status.DRAFT)
    Movement.objects.filter(slug="scwc").update(status=Status.DRAFT)
    html = client.get(principle_url("distribute-power")).content.decode()
    assert CAMBODIA_PRACTICE not in html
    assert "/movements/scwc/" not in html


def test_checklist_has_one_labelled_box_per_published_principle(client, content):
    Principle.objects.filter(slug="distribute-power").update(status=Status.DRAFT)
    response = client.get(CHECKLIST)
    html = response.content.decode()
    assert response.status_code == 200
    published = list(Principle.objects.published())
    assert len(published) >= 30
    assert html.count('type="checkbox"') == len(published)
    assert html.count('<span class="box" aria-hidden="true">') == len(published)
    for principle in published:
        assert f'<label for="principle-{principle.slug}">' in html
        assert f'id="principle-{principle.slug}"' in html
    assert "Distribute power" not in html
    assert "Programme scoping and design" in html and "Strategic reviews" in html
    assert "Print" in html
    assert "css/print.css" in html
    assert "<script" not in html and "style=" not in html


def test_drafts_are_hidden_but_staff_may_preview(client, staff_client, content):
    Principle.objects.filter(slug="distribute-power").update(status=Status.DRAFT)
    assert "Distribute power" not in client.get(GUIDANCE).content.decode()
    assert client.get(principle_url("distribute-power")).status_code == 404
    response = staff_client.get(principle_url("distribute-power"))
    assert response.status_code == 200
    assert "Preview:" in response.content.decode()


def test_unknown_principle_is_404(client, content):
    assert client.get(principle_url("no-such-principle")).status_code == 404


def test_guidance_pages_run_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    principle = many_principles()
    with django_assert_max_num_queries(12):
        assert client.get(GUIDANCE).status_code == 200
    # 6: the practices and the movements that illustrate the principles, two reads in all.
    with django_assert_max_num_queries(6):
        assert client.get(CHECKLIST).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(principle.get_absolute_url()).status_code == 200
