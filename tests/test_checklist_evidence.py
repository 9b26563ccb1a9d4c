"""The reflection checklist tied to evidence: each principle lists the published practices and
movements that illustrate it, linked on screen and as short references in print, with room for
notes on paper; in a number of queries that does not grow with them."""

import re

from django.urls import reverse

from core.models import Status
from guidance.models import Principle
from movements.models import Movement
from practices.models import Practice
from tests.factories import make_practice

CHECKLIST = reverse("guidance:checklist")
NEPAL = "strengthening-leadership-and-capacities-of-a-rural-womens-network-in-nepal"
CAMBODIA = "coalition-building-for-safe-cities-for-women-in-phnom-penh-cambodia"


def principle_item(html, slug):
    """The checklist's list item of one principle."""
    match = re.search(
        rf'<li>\s*<input type="checkbox" id="principle-{slug}".*?</div>\s*</li>', html, re.S
    )
    assert match, slug
    return match.group()


def test_each_principle_links_the_practices_and_movements_that_illustrate_it(client, content):
    html = client.get(CHECKLIST).content.decode()
    item = principle_item(html, "link-womens-and-social-movements")
    nepal = Practice.objects.get(slug=NEPAL)
    assert f'<a href="{nepal.get_absolute_url()}" lang="en">{nepal.title}</a>' in item
    for slug in ["mam", "land-rights-movement-nepal"]:
        movement = Movement.objects.get(slug=slug)
        assert f'<a href="{movement.get_absolute_url()}" lang="en">' in item
    # On paper: short references, and a place for notes.
    printed = re.search(r'<p class="meta print-only">(.*?)</p>', item, re.S).group(1)
    assert "MAM" in printed and "href" not in printed
    assert '<p class="notes print-only">' in item
    distribute = principle_item(html, "distribute-power")
    assert Practice.objects.get(slug=CAMBODIA).title in distribute
    assert "SCWC" in distribute


def test_principles_illustrated_by_nothing_list_nothing_but_keep_room_for_notes(client, content):
    html = client.get(CHECKLIST).content.decode()
    item = principle_item(html, "accessible-information")
    assert "illustrate it" not in item and 'print-only">See' not in item
    assert '<p class="notes print-only">' in item
    assert html.count('<p class="notes print-only">') == Principle.objects.published().count()


def test_drafts_and_withdrawn_records_are_not_listed(client, content):
    Practice.objects.filter(slug=CAMBODIA).update(status=Status.DRAFT)
    Movement.objects.filter(slug="scwc").update(status=Status.WITHDRAWN)
    item = principle_item(client.get(CHECKLIST).content.decode(), "distribute-power")
    assert "Safe Cities" not in item and "SCWC" not in item


def test_print_rules_hide_links_and_show_the_references(client, content):
    with open("static/css/site.css", encoding="utf-8") as handle:
        css = handle.read()
    screen, printed = css.split("@media print {", 1)
    assert ".print-only { display: none; }" in screen
    assert ".print-only { display: block; }" in printed


def test_the_checklist_queries_do_not_grow_with_the_illustrations(
    client, content, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        client.get(CHECKLIST)
    principles = list(Principle.objects.published())
    for n in range(40):
        practice = make_practice()
        practice.principles.add(principles[n % len(principles)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(CHECKLIST).content.decode()
    assert html.count("Practice ") >= 40
