"""Record pages describe their record in schema.org JSON-LD that a real JSON-LD processor reads,
whatever the curators wrote, without any script the Content-Security-Policy would have to allow."""

import json
from html.parser import HTMLParser

from pyld import jsonld

from guidance.models import Principle
from movements.models import Movement
from practices.models import Country, SourceDocument
from tests.factories import make_organisation, make_practice

SCHEMA = "https://schema.org/"
HOSTILE_TITLE = 'Savings </script><script>alert("x")</script> & <!-- groups'


class Scripts(HTMLParser):
    """Every <script> element of a page: its attributes and its text."""

    def __init__(self):
        super().__init__()
        self.found, self.current = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.current = [dict(attrs), ""]
            self.found.append(self.current)

    def handle_data(self, data):
        if self.current is not None:
            self.current[1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self.current = None


def offline_loader(url, options=None):
    """schema.org's context, which maps every term into its vocabulary, without the network."""
    assert url.rstrip("/") == SCHEMA.rstrip("/"), url
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": SCHEMA}},
    }


def json_ld(client, url):
    """The page's JSON-LD, expanded by pyld; asserts it is the page's only script."""
    response = client.get(url)
    assert response.status_code == 200
    parser = Scripts()
    parser.feed(response.content.decode())
    assert [attrs["type"] for attrs, _text in parser.found] == ["application/ld+json"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    document = json.loads(parser.found[0][1])
    expanded = jsonld.expand(document, {"documentLoader": offline_loader})
    assert len(expanded) == 1
    return document, expanded[0]


def values(node, term):
    return [item.get("@value", item.get("@id")) for item in node.get(SCHEMA + term, [])]


def names(node, term):
    return [name for item in node.get(SCHEMA + term, []) for name in values(item, "name")]


def test_a_practice_whose_title_holds_script_tags_yields_parseable_json_ld(client, content):
    source = SourceDocument.objects.get(slug="care-promising-practices")
    practice = make_practice(
        title=HOSTILE_TITLE,
        summary="**Women** `</SCRIPT>` [save](https://example.org/) _together_.",
        countries=[Country.objects.get(code="KE")],
        organisations=[make_organisation(name="GROOTS </script> Kenya", acronym="GK")],
        tags=["savings"],
        source=source,
        locator="Box 1",
    )
    document, node = json_ld(client, practice.get_absolute_url())
    assert node["@type"] == [SCHEMA + "CreativeWork"]
    assert values(node, "name") == [HOSTILE_TITLE]
    # The summary's Markdown reads as plain text; its code span's </SCRIPT> is text, escaped.
    assert values(node, "description") == ["Women </SCRIPT> save together."]
    assert names(node, "contributor") == ["GROOTS </script> Kenya"]
    assert names(node, "spatialCoverage") == ["Kenya"]
    kenya = node[SCHEMA + "spatialCoverage"][0]
    assert names(kenya, "containedInPlace") == ["Eastern Africa"]
    assert names(node, "isBasedOn") == [source.title]
    assert values(node, "citation") == [f"{source.short_title}, Box 1"]
    assert values(node, "dateModified") == [practice.updated_at.isoformat()]
    assert document["url"] == f"http://testserver{practice.get_absolute_url()}"


def test_movement_principle_and_country_pages_describe_their_records(client, content):
    movement = Movement.objects.published().filter(countries__isnull=False).first()
    _document, node = json_ld(client, movement.get_absolute_url())
    assert node["@type"] == [SCHEMA + "Organization"]
    assert values(node, "name") == [movement.name]
    assert set(names(node, "areaServed")) == set(movement.countries.values_list("name", flat=True))
    assert names(node, "subjectOf") == [movement.source.title]

    principle = Principle.objects.published().first()
    _document, node = json_ld(client, principle.get_absolute_url())
    assert node["@type"] == [SCHEMA + "CreativeWork"]
    assert values(node, "name") == [principle.title]
    assert names(node, "isPartOf") == [str(principle.section)]

    _document, node = json_ld(client, "/countries/ke/")
    assert node["@type"] == [SCHEMA + "Country"]
    assert values(node, "name") == ["Kenya"]
    assert values(node, "identifier") == ["KE"]
    assert names(node, "containedInPlace") == ["Eastern Africa"]


def test_descriptions_hold_no_markdown_marks(client, content):
    """A record whose text is Markdown is described in the plain text its meta description shows."""
    practice = make_practice(
        summary="Groups build **leadership** with [village banks](https://example.org/vsla).\n\n"
        "- *savings*\n- loans"
    )
    movement = Movement.objects.published().first()
    movement.description = "A **network** of [groups](https://example.org/) in _Kenya_."
    movement.save()
    principle = Principle.objects.published().first()
    principle.explanation = "Staff **listen** first; see [the guide](https://example.org/)."
    principle.save()
    descriptions = []
    for record in (practice, movement, principle):
        _document, node = json_ld(client, record.get_absolute_url())
        descriptions += values(node, "description")
    assert descriptions == [
        "Groups build leadership with village banks. savings loans",
        "A network of groups in Kenya.",
        "Staff listen first; see the guide.",
    ]
    assert not [text for text in descriptions if any(mark in text for mark in "*[_`")]
