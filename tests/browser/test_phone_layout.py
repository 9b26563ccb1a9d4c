"""Phone first: at 390 px the header stays under 100 px in every language, lists put their
"Filter" disclosure before the results and their sort above the results, unfolded, facet lists
never clip, the coverage charts' text stays legible, the language switch works without
JavaScript, and no page load asks for a missing file."""

import pytest

from .conftest import DESKTOP, new_page

pytestmark = pytest.mark.browser

PHONE_390 = {"width": 390, "height": 844}
PAGES = ["/", "/practices/", "/movements/", "/guidance/", "/countries/", "/coverage/"]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_header_is_at_most_100px_tall_on_a_phone(browser, live_server_url, language):
    page = new_page(browser, live_server_url, viewport=PHONE_390, language=language)
    heights = {}
    for url in PAGES:
        page.goto(url)
        heights[url] = page.locator(".site-header").bounding_box()["height"]
        # Every section of the site is still one tap away, on screen.
        for link in page.locator("header nav a").all():
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (url, link)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    page.context.close()
    assert all(height <= 100 for height in heights.values()), heights


def first_result_and_filters(page, label="Filter"):
    first = page.locator("main .cards .card").first
    disclosure = page.locator("main details.filter-box")
    assert disclosure.count() == 1
    assert disclosure.locator("> summary").inner_text().strip() == label
    before = disclosure.evaluate(
        "(box, card) => !!(box.compareDocumentPosition(card) & Node.DOCUMENT_POSITION_FOLLOWING)",
        first.element_handle(),
    )
    return first, disclosure, before


@pytest.mark.parametrize("url", ["/practices/", "/movements/"])
def test_lists_put_a_filter_disclosure_before_the_first_result(browser, live_server_url, url):
    page = new_page(browser, live_server_url, viewport=PHONE_390)
    page.goto(url)
    first, disclosure, before = first_result_and_filters(page)
    assert before, "the disclosure comes after the first result"
    assert disclosure.get_attribute("open") is None  # closed on a phone
    summary = disclosure.locator("> summary").bounding_box()
    assert summary["y"] + summary["height"] <= first.bounding_box()["y"]
    assert summary["y"] < PHONE_390["height"]  # on the first screen
    # Opened, the search comes first, then the filters; they apply.
    disclosure.locator("> summary").click()
    controls = disclosure.locator("select, input[type=search], input[type=checkbox]")
    assert controls.first.get_attribute("name") == "q"
    disclosure.locator("input[type=checkbox]").first.check()
    disclosure.get_by_role("button", name="Apply filters").first.click()
    page.wait_for_url("**?*")
    assert page.locator(".active-filters").count() == 1
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE_390, DESKTOP], ids=["phone", "desktop"])
def test_the_sort_sits_above_the_results_unfolded_and_keeps_the_filters(
    browser, live_server_url, viewport
):
    page = new_page(browser, live_server_url, viewport=viewport)
    page.goto("/practices/?country=KE")
    first = page.locator("main .cards .card").first
    sort = page.get_by_label("Sort by")
    assert sort.is_visible()  # shown without opening anything
    assert sort.bounding_box()["y"] + sort.bounding_box()["height"] <= first.bounding_box()["y"]
    assert sort.bounding_box()["y"] < viewport["height"]  # on the first screen
    sort.select_option("updated")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url("**sort=updated*")
    assert "country=KE" in page.url
    assert page.locator(".active-filters").count() == 1
    page.context.close()


def test_on_a_wide_screen_the_filters_show_open_beside_the_results(browser, live_server_url):
    page = new_page(browser, live_server_url, viewport=DESKTOP)
    page.goto("/practices/")
    first, disclosure, before = first_result_and_filters(page)
    assert before
    search = disclosure.locator("input[name=q]")
    assert search.is_visible()  # shown without opening anything
    assert disclosure.bounding_box()["x"] < first.bounding_box()["x"]
    # Facet lists are not scroll boxes: nothing in them is clipped.
    clipped = page.locator("form.facets ul").evaluate_all(
        "lists => lists.filter(l => l.scrollHeight > l.clientHeight + 1).length"
    )
    assert clipped == 0
    for details in page.locator("form.facets details.facet-more").all():
        assert details.locator("summary").inner_text().startswith("Show all")
        assert details.locator("input[type=checkbox]").count() > 0
    page.context.close()


TEXT_SIZES = """() => [...document.querySelectorAll('main svg text')].map(text => ({
    text: text.textContent,
    size: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
}))"""


@pytest.mark.parametrize("language", ["en", "fr"])
def test_coverage_charts_keep_their_text_at_least_12px_on_a_phone(
    browser, live_server_url, language
):
    page = new_page(browser, live_server_url, viewport=PHONE_390, language=language)
    page.goto("/coverage/")
    sizes = page.evaluate(TEXT_SIZES)
    assert len(sizes) > 10
    small = [item for item in sizes if item["size"] < 12]
    assert small == [], small[:5]
    # The charts fit the phone's width.
    for chart in page.locator("svg.chart").all():
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.context.close()


def test_the_language_switch_works_without_javascript(browser, live_server_url):
    context = browser.new_context(
        base_url=live_server_url, viewport=PHONE_390, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/practices/?country=KE")
    assert not page.locator("#site-language").is_visible()  # folded away
    page.locator(".lang-menu summary").click()
    page.locator("#site-language").select_option("fr")
    page.locator("form.lang-switch button").click()
    page.wait_for_url("**/practices/?country=KE")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Français" in page.locator(".lang-menu summary").inner_text()
    context.close()


def test_no_page_load_asks_for_a_missing_file(browser, live_server_url):
    page = new_page(browser, live_server_url, viewport=PHONE_390)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    for url in ["/", "/practices/", "/coverage/", "/admin/login/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.context.close()
    assert missing == []
