"""The curators' admin in a browser: the practice changelist and change form pass axe-core at both
widths, the changelist's columns fit beside the menu and the filters at 1280 px, and the tags
field suggests existing tags as the curator types."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, EDITOR, PHONE, new_page
from .test_accessibility import WCAG_TAGS, axe_violations
from .test_journeys import log_in

pytestmark = pytest.mark.browser

# The admin's pages are Django's: they are held to the WCAG 2.1 A and AA rules; axe's further
# "best practice" rules, which the public pages also pass, flag markup of Django's own (an empty
# header over the links column of tabular inlines).
WCAG_ONLY = [tag for tag in WCAG_TAGS if tag != "best-practice"]


@pytest.fixture(scope="module")
def practice_form_url(browser, live_server_url):
    page = new_page(browser, live_server_url)
    log_in(page, EDITOR)
    page.goto("/admin/practices/practice/")
    url = page.locator("#result_list th.field-title a").first.get_attribute("href")
    page.context.close()
    return url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_practice_changelist_and_form_pass_axe(
    browser, live_server_url, practice_form_url, viewport
):
    page = new_page(browser, live_server_url, viewport=viewport)
    log_in(page, EDITOR)
    failures = {}
    for url in ("/admin/practices/practice/", practice_form_url):
        assert page.goto(url).status == 200
        violations = axe_violations(page, WCAG_ONLY)
        if violations:
            failures[url] = violations
    page.context.close()
    assert not failures, failures


def test_the_changelists_last_column_is_in_view_at_1280_px(browser, live_server_url):
    page = new_page(browser, live_server_url, viewport=DESKTOP)
    log_in(page, EDITOR)
    for url in ("/admin/practices/practice/", "/admin/movements/movement/"):
        page.goto(url)
        results = page.locator("#changelist .results").bounding_box()
        for column in ("status", "updated_by"):
            box = page.locator(f"#result_list thead th.column-{column}").bounding_box()
            assert box["x"] + box["width"] <= results["x"] + results["width"] + 1, (url, column)
    page.context.close()


def test_the_tags_field_offers_existing_tags_and_keeps_those_chosen(
    browser, live_server_url, practice_form_url
):
    page = new_page(browser, live_server_url, viewport=DESKTOP)
    log_in(page, EDITOR)
    page.goto(practice_form_url)
    chosen = page.locator(".field-tags .select2-selection__choice")
    before = [text.lstrip("×") for text in chosen.all_inner_texts()]
    # Every tag the record has is shown as chosen, apostrophes and all.
    assert "women's leadership" in before
    page.locator(".field-tags .select2-search__field").press_sequentially("safe cit")
    page.locator(".select2-results__option", has_text="safe cities").click()
    expect(chosen).to_have_count(len(before) + 1)
    expect(chosen.last).to_contain_text("safe cities")
    expect(page.locator("#id_new_tags")).to_be_visible()
    page.context.close()
