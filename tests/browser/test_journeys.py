"""The main journeys through the site, as a visitor and as an editor, in headless Chromium."""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # The browser fixture skips, or fails in CI, with the reason.
    expect = None

from .conftest import EDITOR, PHONE, PUBLISHER, new_page

pytestmark = pytest.mark.browser


def result_count(page):
    """The number in the announced result count, e.g. 12 from "12 practices"."""
    status = page.locator("[role=status] #results-heading")
    return int(re.search(r"\d+", status.inner_text().replace(",", "")).group())


def test_home_then_theme_then_practice(page):
    page.goto("/")
    theme_link = page.locator("main .grid h3 a[href^='/themes/']").first
    theme = theme_link.inner_text()
    theme_link.click()
    assert page.locator("h1").inner_text() == theme
    practice_link = page.locator("main .cards h3 a").first
    practice = practice_link.inner_text()
    practice_link.click()
    assert re.search(r"/practices/[\w-]+/$", page.url)
    assert page.locator("h1").inner_text() == practice
    expect(page.locator(".factbox").get_by_role("link", name=theme)).to_be_visible()


def test_follow_a_principle_and_a_movement_from_a_practice(page):
    page.goto("/movements/")
    movement_link = page.locator("main .cards h3 a").first
    movement_link.click()
    practice_link = page.locator("main .cards h3 a").first
    practice = practice_link.inner_text()
    practice_link.click()
    assert page.locator("h1").inner_text() == practice

    movement = page.locator("main a[href^='/movements/']").first
    name = movement.inner_text()
    movement.click()
    assert re.search(r"/movements/[\w-]+/$", page.url)
    assert page.locator("h1").inner_text().startswith(name.split(" (")[0])
    expect(
        page.get_by_role("heading", name="Practices that built or worked with it")
    ).to_be_visible()


def test_follow_a_principle_from_a_practice(page):
    # Find a practice that illustrates some principle, through the principles' own pages.
    page.goto("/guidance/")
    principles = page.locator("main .cards a[href*='/principles/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    for url in principles:
        page.goto(url)
        if page.locator("main .cards h3 a").count():
            break
    else:
        pytest.fail("no principle lists a practice that illustrates it")
    page.locator("main .cards h3 a").first.click()
    principle = page.locator("main a[href*='/principles/']").first
    title = principle.inner_text()
    principle.click()
    assert re.search(r"/guidance/principles/[\w-]+/$", page.url)
    assert page.locator("h1").inner_text() == title
    assert page.locator(".type-label").inner_text().lower() == "guidance principle"


def tick(page, param, value):
    box = page.locator(f"form.facets input[name={param}][value='{value}']")
    if not box.is_visible():  # among the values behind the facet's "Show all"
        box.locator("xpath=ancestor::details[1]/summary").click()
    box.check()
    page.locator("form.facets").get_by_role("button", name="Apply filters").first.click()


def test_filter_by_country_and_approach_then_clear_a_filter(page):
    page.goto("/practices/")
    everything = result_count(page)
    assert page.locator("#results-heading").inner_text() == f"{everything} practices"

    tick(page, "country", "KE")
    assert "country=KE" in page.url
    in_kenya = result_count(page)
    assert 0 < in_kenya < everything
    expect(
        page.locator(".active-filters").get_by_role("link", name=re.compile("Kenya"))
    ).to_be_visible()

    approach = page.locator("form.facets input[name=approach]").first
    approach_slug = approach.get_attribute("value")
    tick(page, "approach", approach_slug)
    both = result_count(page)
    assert 0 < both <= in_kenya
    assert f"approach={approach_slug}" in page.url and "country=KE" in page.url
    assert page.locator("form.facets input[name=country][value=KE]").is_checked()

    page.locator(".active-filters").get_by_role("link", name=re.compile("Kenya")).click()
    assert "country=KE" not in page.url and f"approach={approach_slug}" in page.url
    assert both <= result_count(page) < everything
    assert not page.locator("form.facets input[name=country][value=KE]").is_checked()


def test_search_and_open_a_result(page):
    page.goto("/")
    page.locator("#home-q").fill("Kenya")
    page.locator("#home-q").press("Enter")
    assert "/search/?q=Kenya" in page.url
    assert result_count(page) > 0
    first = page.locator("main .cards h3 a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title


@pytest.mark.parametrize(
    ("language", "practices", "skip_link"),
    [("fr", "Pratiques", "Aller au contenu principal"), ("es", "Prácticas", "Saltar al contenido")],
)
def test_switch_language(page, language, practices, skip_link):
    page.goto("/practices/?country=KE")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".lang-menu summary").click()
    page.locator("#site-language").select_option(language)
    page.get_by_role("button", name="Change language").click()
    # Back on the same page, in the new language, and it stays so on the next page.
    page.wait_for_url("**/practices/?country=KE")
    expect(page.locator("html")).to_have_attribute("lang", language)
    navigation = page.locator("header nav")
    expect(navigation.get_by_role("link", name=practices, exact=True)).to_be_visible()
    assert skip_link in page.locator(".skip-link").inner_text()
    navigation.get_by_role("link", name=practices, exact=True).click()
    page.wait_for_url("**/practices/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#site-language")).to_have_value(language)


def test_language_switch_works_on_a_phone(browser, live_server_url):
    page = new_page(browser, live_server_url, viewport=PHONE)
    page.goto("/guidance/")
    page.locator(".lang-menu summary").click()
    page.locator("#site-language").select_option("es")
    page.locator("form.lang-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith("/guidance/")
    expect(page.locator("h1")).to_be_visible()
    page.context.close()


def test_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_main(page):
    page.goto("/practices/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def log_in(page, account):
    page.goto("/admin/")
    page.locator("#id_username").fill(account["username"])
    page.locator("#id_password").fill(account["password"])
    page.locator("input[type=submit]").click()
    assert page.url.endswith("/admin/")


def test_an_editors_change_goes_live_when_a_publisher_approves_it(browser, live_server_url):
    editor = new_page(browser, live_server_url)
    log_in(editor, EDITOR)
    editor.goto("/practices/")
    public_link = editor.locator("main .cards h3 a").first
    title = public_link.inner_text()
    public_url = public_link.get_attribute("href")

    editor.goto("/admin/practices/practice/")
    editor.locator("#result_list").get_by_role("link", name=title, exact=True).click()
    summary = "A summary the editor wrote in the browser test."
    editor.locator("#id_summary").fill(summary)
    editor.locator("#id_change_reason").fill("Browser test edit")
    editor.locator("input[name=_save]").click()
    expect(editor.locator(".messagelist .success")).to_contain_text("awaits a publisher")

    # Visitors still see the published version.
    visitor = new_page(browser, live_server_url)
    visitor.goto(public_url)
    assert visitor.locator("h1").inner_text() == title
    assert summary not in visitor.locator("main").inner_text()

    publisher = new_page(browser, live_server_url)
    log_in(publisher, PUBLISHER)
    publisher.goto("/admin/curation/pendingchange/")
    publisher.locator("#result_list").get_by_role("link", name=title, exact=True).click()
    expect(publisher.locator("#content-main table")).to_contain_text(summary)
    publisher.get_by_role("button", name="Approve and publish").click()
    expect(publisher.locator(".messagelist .success")).to_contain_text("approved")

    visitor.goto(public_url)
    assert summary in visitor.locator(".prose.lead").inner_text()
    expect(visitor.locator(".change-log")).to_contain_text("Browser test edit")
    for page in (editor, visitor, publisher):
        page.context.close()
