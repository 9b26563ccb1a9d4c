"""Every page type passes axe-core (WCAG 2.1 A and AA rules) with zero violations, in English and
French, at desktop and phone widths."""

import pytest

from .conftest import DESKTOP, PHONE, new_page

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def first_href(page, path, selector):
    page.goto(path)
    return page.locator(selector).first.get_attribute("href")


@pytest.fixture(scope="module")
def page_types(browser, live_server_url):
    """One URL per page type, found by following the site's own links from the seed content."""
    page = new_page(browser, live_server_url)
    practice = first_href(page, "/practices/", "main .cards h3 a")
    urls = {
        "home": "/",
        "practice list": "/practices/",
        "practice list filtered": "/practices/?country=KE&sort=title",
        "practice list empty": "/practices/?q=zzzznothingmatches",
        "practice": practice,
        "theme": first_href(page, "/", "main .grid h3 a[href^='/themes/']"),
        "approach": first_href(page, "/", "main .grid li a[href^='/approaches/']"),
        "tag": first_href(page, practice, "main .tags a"),
        "movement list": "/movements/",
        "movement": first_href(page, "/movements/", "main .cards h3 a"),
        "guidance": "/guidance/",
        "principle": first_href(page, "/guidance/", "main a[href*='/principles/']"),
        "checklist": "/guidance/checklist/",
        "country list": "/countries/",
        "country": first_href(page, "/countries/", "main table a"),
        "coverage": "/coverage/",
        "evidence rubric": "/evidence/rubric/",
        "search": "/search/?q=women",
        "search empty": "/search/?q=zzzznothingmatches",
        "not found": "/no-such-page/",
    }
    page.context.close()
    return urls


def axe_violations(page, tags=WCAG_TAGS):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": tags}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(
    ("language", "viewport"),
    [("en", DESKTOP), ("fr", PHONE), ("es", DESKTOP), ("en", PHONE)],
    ids=["en-desktop", "fr-phone", "es-desktop", "en-phone"],
)
def test_every_page_type_passes_axe(browser, live_server_url, page_types, language, viewport):
    page = new_page(browser, live_server_url, viewport=viewport, language=language)
    failures = {}
    for name, url in page_types.items():
        response = page.goto(url)
        assert response.status == (404 if name == "not found" else 200), (name, url)
        assert page.locator("html").get_attribute("lang") == language
        violations = axe_violations(page)
        if violations:
            failures[f"{name} {url}"] = violations
    page.context.close()
    assert not failures, "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in failures.items()
    )
