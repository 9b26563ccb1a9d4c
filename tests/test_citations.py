"""“Cite this” on practice and movement pages, the BibTeX, RIS and CSL-JSON downloads, and
OpenGraph tags on record pages."""

import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from core.citations import Citation
from core.models import Status
from guidance.models import Principle
from movements.models import Movement
from practices.models import Practice

PRACTICE = "child-nutrition-initiative"
LOCATOR = "Leadership & Collective Action › Cross-Agency Consortia for Advancing Rights"
RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - .*$")


def download(client, name, slug):
    return client.get(reverse(name, args=[slug]))


def test_practice_page_shows_a_citation_naming_source_and_locator(client, content):
    response = client.get(reverse("practices:practice-detail", args=[PRACTICE]))
    html = response.content.decode()
    assert "Cite this" in html
    citation = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    assert citation.startswith("CARE. “Child Nutrition Initiative.” In CARE Promising Practices, ")
    assert escape(LOCATOR) in citation
    assert f"Practice Atlas, http://testserver/practices/{PRACTICE}/." in citation
    assert "Accessed " in citation
    for suffix in ("cite.bib", "cite.ris", "cite.json"):
        assert f'href="/practices/{PRACTICE}/{suffix}"' in html


def test_bibtex_download(client, content):
    response = download(client, "practices:practice-cite-bibtex", PRACTICE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert f'filename="{PRACTICE}.bib"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith(f"@misc{{atlas:practice:{PRACTICE},\n")
    assert "  author = {{CARE}}," in text
    assert "  title = {{Child Nutrition Initiative}}," in text
    assert r"In CARE Promising Practices, Leadership \& Collective Action" in text
    assert f"  url = {{http://testserver/practices/{PRACTICE}/}}," in text
    assert text.count("{") == text.count("}")
    assert text.rstrip().endswith("}")


def test_ris_download(client, content):
    response = download(client, "practices:practice-cite-ris", PRACTICE)
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    text = response.content.decode()
    lines = text.split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert lines[-2:] == ["ER  - ", ""]
    assert all(RIS_LINE.match(line) for line in lines[:-2])
    assert "AU  - CARE" in lines
    assert "TI  - Child Nutrition Initiative" in lines
    assert "T2  - CARE Promising Practices" in lines
    assert f"SE  - {LOCATOR}" in lines
    assert f"UR  - http://testserver/practices/{PRACTICE}/" in lines


def test_csl_json_download(client, content):
    response = download(client, "practices:practice-cite-csl-json", PRACTICE)
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    [item] = json.loads(response.content)
    assert item["title"] == "Child Nutrition Initiative"
    assert item["URL"] == f"http://testserver/practices/{PRACTICE}/"
    assert item["author"] == [{"literal": "CARE"}]
    assert item["container-title"] == "CARE Promising Practices"
    assert item["section"] == LOCATOR
    assert item["type"] == "webpage"
    assert len(item["accessed"]["date-parts"][0]) == 3


def test_movement_citation_and_downloads(client, content):
    movement = Movement.objects.published().get(slug="swofon")
    html = client.get(movement.get_absolute_url()).content.decode()
    citation = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    assert f"In {movement.source.short_title}, Box 1." in citation
    assert citation.startswith("“")  # No organisation is named as author of a movement.

    bib = download(client, "movements:movement-cite-bibtex", "swofon").content.decode()
    assert bib.startswith("@misc{atlas:movement:swofon,") and "author" not in bib
    assert "(SWOFON)" in bib
    ris = download(client, "movements:movement-cite-ris", "swofon").content.decode()
    assert "SE  - Box 1\r\n" in ris and ris.endswith("ER  - \r\n")
    [item] = json.loads(download(client, "movements:movement-cite-csl-json", "swofon").content)
    assert item["URL"].endswith("/movements/swofon/") and item["section"] == "Box 1"


def test_drafts_have_no_public_citation(client, content):
    practice = Practice.objects.get(slug=PRACTICE)
    practice.status = Status.DRAFT
    practice.save()
    assert download(client, "practices:practice-cite-bibtex", PRACTICE).status_code == 404
    assert download(client, "practices:practice-cite-ris", "no-such-practice").status_code == 404


def test_special_characters_are_escaped():
    citation = Citation(
        key="atlas:practice:odd",
        title="50% of {funds} & more_#1 ~ ^\\\nsecond line",
        url="http://testserver/practices/odd/",
        accessed=date(2025, 3, 1),
        authors=("Smith, Jones & Co",),
        source="A source",
        locator="Part 1",
    )
    bib = citation.bibtex()
    assert r"50\% of \{funds\} \& more\_\#1 \textasciitilde{} \textasciicircum{}" in bib
    assert r"\textbackslash{} second line" in bib
    assert "author = {{Smith, Jones \\& Co}}" in bib
    # Escaped braces aside, the braces balance.
    plain = bib.replace(r"\{", "").replace(r"\}", "")
    assert plain.count("{") == plain.count("}")
    ris = citation.ris()
    assert "TI  - 50% of {funds} & more_#1 ~ ^\\ second line\r\n" in ris
    assert "Y2  - 2025/03/01\r\n" in ris
    assert all(RIS_LINE.match(line) for line in ris.split("\r\n")[:-1])
    assert json.loads(citation.csl_json())[0]["title"].endswith("second line")
    assert citation.text.startswith("Smith, Jones & Co. “50% of")


def test_no_year_is_invented(client, content):
    bib = download(client, "practices:practice-cite-bibtex", PRACTICE).content.decode()
    assert "year" not in bib.replace("urldate", "")
    [item] = json.loads(download(client, "practices:practice-cite-csl-json", PRACTICE).content)
    assert "issued" not in item


@pytest.mark.parametrize(
    "get_record",
    [
        lambda: Practice.objects.published().get(slug=PRACTICE),
        lambda: Movement.objects.published().get(slug="swofon"),
        lambda: Principle.objects.published().order_by("pk").first(),
    ],
    ids=["practice", "movement", "principle"],
)
def test_opengraph_tags_on_record_pages(client, content, get_record):
    record = get_record()
    html = client.get(record.get_absolute_url()).content.decode()
    tags = dict(re.findall(r'<meta property="(og:[a-z_]+)" content="([^"]*)">', html))
    assert tags["og:type"] == "article"
    assert tags["og:site_name"] == "Practice Atlas"
    assert tags["og:url"] == "http://testserver" + record.get_absolute_url()
    assert tags["og:title"] == escape(getattr(record, "title", "") or record.name)
    assert tags["og:description"]
