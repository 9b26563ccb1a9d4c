"""A curator's Markdown shown as a short text (cards, search snippets, meta and OpenGraph
descriptions, feed summaries) reads as plain words; the record's own page still renders it."""

import re
from html import unescape

import nh3
import pytest
from django.urls import reverse

from core.templatetags.rich_text import plain_snippet, plain_text, render_markdown
from movements.models import Movement
from practices.models import Country
from tests.factories import edit, make_practice

SUMMARY = (
    "Savings groups where **women lead** and _decide_ together, in [Kenya](https://example.org/k)."
    "\n\n- `ledger` books\n- *weekly* meetings"
)
# What a reader should never see of that Markdown outside the record's own page.
MARKS = ["**", "_decide_", "*weekly*", "[Kenya]", "](", "`", "- "]


def marks_in(text):
    return [mark for mark in MARKS if mark in text]


def cards(html):
    """The text of every card on a page, tags removed."""
    found = re.findall(r'<li class="card"[^>]*>(.*?)</li>', html, flags=re.S)
    assert found, "no card on the page"
    return [unescape(re.sub(r"<[^>]+>", " ", card)) for card in found]


def meta_content(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{name}" content="([^"]*)"', html)
    assert match, f"no {name} meta element"
    return unescape(match.group(1))


@pytest.fixture
def markdown_practice(content):
    kenya = Country.objects.get(code="KE")
    practice = make_practice(
        title="Savings circles led by women", summary=SUMMARY, countries=[kenya]
    )
    return edit(practice)  # an edit, so the home page lists it as recently updated


@pytest.fixture
def markdown_movement(content):
    movement = Movement.objects.create(
        name="Savings movement", slug="savings-movement", status="published", description=SUMMARY
    )
    movement.countries.set([Country.objects.get(code="KE")])
    return movement


def test_plain_text_keeps_the_words_and_drops_the_marks():
    assert plain_text(SUMMARY) == (
        "Savings groups where women lead and decide together, in Kenya."
        " ledger books weekly meetings"
    )
    assert plain_text("Fish & chips <b>bold</b> <script>alert(1)</script>") == "Fish & chips bold"


def test_a_snippet_loses_its_marks_and_keeps_its_highlights():
    snippet = "lead** and _<mark>decide</mark>_ &lt;b&gt;\n- snake_case 3*4 [Kenya](https://x.org)"
    assert plain_snippet(snippet) == ("lead and <mark>decide</mark> &lt;b&gt; snake_case 3*4 Kenya")


@pytest.mark.parametrize(
    "path",
    [
        reverse("practices:practice-list") + "?country=KE",
        reverse("practices:practice-list") + "?q=savings",
        reverse("atlas:home"),
        "/countries/ke/",
    ],
)
def test_practice_cards_show_no_markdown(client, markdown_practice, path):
    html = client.get(path).content.decode()
    ours = [card for card in cards(html) if markdown_practice.title in card]
    assert ours, f"the practice is not on {path}"
    assert "women lead and decide together" in " ".join(ours[0].split())
    assert marks_in(ours[0]) == []


def test_movement_cards_show_no_markdown(client, markdown_movement):
    html = client.get(reverse("movements:movement-list") + "?country=KE").content.decode()
    ours = [card for card in cards(html) if markdown_movement.name in card]
    assert ours
    assert "women lead and decide together" in " ".join(ours[0].split())
    assert marks_in(ours[0]) == []


def test_search_snippets_show_no_markdown(client, markdown_practice, markdown_movement):
    html = client.get(reverse("atlas:search") + "?q=decide").content.decode()
    found = cards(html)
    assert any(markdown_practice.title in card for card in found)
    assert any(markdown_movement.name in card for card in found)
    for card in found:
        assert "decide" in card
        assert marks_in(card) == []


@pytest.mark.parametrize("record", ["markdown_practice", "markdown_movement"])
def test_detail_pages_describe_themselves_in_plain_text(client, content, request, record):
    # `content` named here, not only through the fixture looked up below, so that the test runs
    # with the other database tests, before the tests that empty the tables.
    record = request.getfixturevalue(record)
    html = client.get(record.get_absolute_url()).content.decode()
    for attribute, name in [("name", "description"), ("property", "og:description")]:
        description = meta_content(html, attribute, name)
        assert description.startswith("Savings groups where women lead and decide together")
        assert marks_in(description) == []
    assert "<strong>women lead</strong>" in html  # the page itself renders the Markdown
    assert '<a href="https://example.org/k"' in html


def test_feed_summaries_show_no_markdown(client, markdown_practice, markdown_movement):
    for path in [
        reverse("practices:practice-feed"),
        reverse("atlas:search") + "?q=decide&format=atom",
    ]:
        feed = client.get(path).content.decode()
        summaries = [unescape(s) for s in re.findall(r"<summary[^>]*>(.*?)</summary>", feed, re.S)]
        ours = [s for s in summaries if "women lead and decide" in s]
        assert ours, path
        assert all(marks_in(summary) == [] for summary in ours), path


@pytest.mark.parametrize(
    "text",
    [
        "Plain words, as most summaries are.",
        "AT&T and &amp; entities",
        "1. first\n2. second",
        "A heading\n===\nthen text",
        "a *word* stressed",
        "one\n- item",
        "a line  \nbroken",
        "    indented as code",
        "he said \"no\" and 'yes'",
        "50% of 3 + 4 = 7 -- roughly",
        "above\n\n---\n\nbelow",
        "  > quoted",
    ],
)
def test_text_without_marks_is_shown_as_rendering_would_show_it(text):
    # plain_text skips rendering a text without Markdown marks: the words must be the same.
    rendered = nh3.clean(render_markdown(text), tags=set())
    assert plain_text(text) == " ".join(unescape(rendered).split())
