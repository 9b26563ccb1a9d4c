"""The evidence gap map and the rubric in a browser: axe-core finds nothing in English, French
and Spanish at 390 and 1280 px; at 390 px the map scrolls inside its own labelled, focusable
region and the page itself does not scroll sideways. The seed assessments are confirmed first,
by a publisher in the admin, so that the map has cells.

`.venv/bin/python -m tests.browser.test_evidence_pages [folder]` saves the screenshots of
docs/screenshots (evidence-gap-map-390.png, -1280.png)."""

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PUBLISHER, chromium, new_page, serve_site
from .test_accessibility import axe_violations
from .test_journeys import log_in

pytestmark = pytest.mark.browser

NARROW = {"width": 390, "height": 844}
PAGES = ["/evidence/", "/evidence/?evidence=not-assessed&region=asia", "/evidence/rubric/"]


def confirm_seed_assessments(browser, base_url):
    page = new_page(browser, base_url)
    log_in(page, PUBLISHER)
    page.goto("/admin/evidence/assessment/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("confirm")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("confirmed")
    page.context.close()


@pytest.fixture(scope="module")
def confirmed_site(browser, live_server_url):
    confirm_seed_assessments(browser, live_server_url)
    return live_server_url


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("viewport", [DESKTOP, NARROW], ids=["1280", "390"])
def test_the_gap_map_and_the_rubric_pass_axe(browser, confirmed_site, language, viewport):
    page = new_page(browser, confirmed_site, viewport=viewport, language=language)
    failures = {}
    for url in PAGES:
        assert page.goto(url).status == 200, url
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        if violations:
            failures[url] = violations
    page.context.close()
    assert not failures, failures


def test_the_map_has_cells_and_scrolls_inside_its_region_on_a_phone(browser, confirmed_site):
    page = new_page(browser, confirmed_site, viewport=NARROW)
    page.goto("/evidence/")
    cells = page.locator("table.gap-map td a")
    assert cells.count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], width
    region = page.get_by_role("region", name="Practices with confirmed evidence")
    region.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.classList.contains('map-scroll')")
    cells.first.click()
    assert "/practices/?approach=" in page.url and "outcome=" in page.url
    assert page.locator("main .cards li").count() >= 1
    page.context.close()


def save_screenshots(folder):
    folder.mkdir(parents=True, exist_ok=True)
    with serve_site() as url, chromium() as browser:
        confirm_seed_assessments(browser, url)
        for width, viewport, language in [(1280, DESKTOP, "en"), (390, NARROW, "fr")]:
            page = new_page(browser, url, viewport=viewport, language=language)
            page.goto("/evidence/")
            target = folder / f"evidence-gap-map-{width}.png"
            page.screenshot(path=target, full_page=True)
            print(target)
            page.context.close()


if __name__ == "__main__":
    save_screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
