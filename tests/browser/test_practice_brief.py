"""The practice page printed as a one-page brief for workshops: with print media, the site's
menus, search and footer are gone, and the brief's parts are there: what was done and what
changed, the principles it illustrates, its source and its citation.

The screenshot is written to the test's folder; with SCREENSHOTS=<folder> (docs/screenshots to
refresh the committed one) it is written there too."""

import os
import shutil
from pathlib import Path

import pytest

from .conftest import new_page

pytestmark = pytest.mark.browser

CAMBODIA = "/practices/coalition-building-for-safe-cities-for-women-in-phnom-penh-cambodia/"
A4 = {"width": 794, "height": 1123}  # an A4 page at 96 dots per inch


def test_the_practice_page_prints_as_a_brief(browser, live_server_url, tmp_path):
    page = new_page(browser, live_server_url, viewport=A4)
    assert page.goto(CAMBODIA).status == 200
    page.emulate_media(media="print")

    for hidden in ["header.site-header", "footer.site-footer", "nav.breadcrumbs"]:
        assert not page.locator(hidden).is_visible(), hidden
    assert not page.get_by_role("heading", name="Related practices").is_visible()
    assert not page.get_by_text("Download the citation").is_visible()

    for heading in ["Context", "What was done", "What changed", "How it is known", "Lessons"]:
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    results = page.locator("section.narrative", has_text="The online forums created spaces")
    assert results.is_visible()
    # The body, which the narrative gives in parts, is left out of the brief.
    assert not page.locator("article .prose.no-print").is_visible()
    assert page.get_by_role("heading", name="Guidance principles it illustrates").is_visible()
    assert page.get_by_role("heading", name="Cite this").is_visible()
    assert page.locator("p.citation").is_visible()
    assert page.locator("p.source").is_visible()
    assert page.get_by_text("Partial", exact=True).is_visible()

    target = tmp_path / "practice-brief-print.png"
    page.screenshot(path=target, full_page=True)
    assert target.stat().st_size > 10_000
    if os.environ.get("SCREENSHOTS"):
        folder = Path(os.environ["SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, folder / target.name)

    # On screen the menus are back.
    page.emulate_media(media="screen")
    assert page.locator("header.site-header").is_visible()
    page.context.close()
