"""The world map of /countries/, /coverage/, region pages and the practice list's map view: it
fits a phone and a desktop, its countries are links that lead to their pages, and axe-core finds
nothing on the pages that show it, in English, French and Spanish."""

import pytest

from .conftest import DESKTOP, new_page
from .test_accessibility import axe_violations

pytestmark = pytest.mark.browser

NARROW = {"width": 390, "height": 844}
MAP_PAGES = [
    "/countries/",
    "/coverage/",
    "/regions/africa/",
    "/regions/eastern-africa/",
    "/practices/?region=africa&view=map",
]


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["390px", "1280px"])
def test_map_fits_and_its_countries_lead_to_their_pages(browser, live_server_url, viewport):
    page = new_page(browser, live_server_url, viewport=viewport)
    page.goto("/countries/")
    svg = page.locator("main figure.world-map svg")
    box = svg.bounding_box()
    assert 0 < box["width"] <= viewport["width"]
    assert box["height"] > 100
    # No horizontal scrolling: the map shrinks to the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    kenya = page.locator('main figure.world-map a[href="/countries/ke/"]')
    assert kenya.get_attribute("aria-label").startswith("Kenya: ")
    kenya.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/countries/ke/")
    assert page.locator("h1").inner_text() == "Kenya"
    page.context.close()


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_pages_with_the_map_pass_axe(browser, live_server_url, language):
    page = new_page(browser, live_server_url, language=language)
    failures = {}
    for url in MAP_PAGES:
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("figure.world-map svg a").count() > 0, url
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    page.context.close()
    assert not failures, "\n".join(
        f"{url}:\n  " + "\n  ".join(found) for url, found in failures.items()
    )
