"""Screenshots of the main pages in English, French and Spanish, at desktop and phone widths,
for a person to look at: `.venv/bin/python -m tests.browser.screenshots [folder]`
(default /tmp/atlas-screenshots). Not a test; nothing is committed."""

import sys
from pathlib import Path

from .conftest import DESKTOP, PHONE, chromium, new_page, serve_site

PAGES = {
    "home": "/",
    "practices": "/practices/",
    "practices-filtered": "/practices/?country=KE",
    "movements": "/movements/",
    "guidance": "/guidance/",
    "checklist": "/guidance/checklist/",
    "countries": "/countries/",
    "coverage": "/coverage/",
    "search": "/search/?q=women",
    "not-found": "/no-such-page/",
}


def main(folder):
    folder.mkdir(parents=True, exist_ok=True)
    with serve_site() as url, chromium() as browser:
        page = new_page(browser, url)
        page.goto("/practices/")
        PAGES["practice"] = page.locator("main .cards h3 a").first.get_attribute("href")
        page.goto("/movements/")
        PAGES["movement"] = page.locator("main .cards h3 a").first.get_attribute("href")
        page.context.close()
        for language in ["en", "fr", "es"]:
            for width, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
                page = new_page(browser, url, viewport=viewport, language=language)
                for name, path in PAGES.items():
                    page.goto(path)
                    target = folder / f"{name}-{language}-{width}.png"
                    page.screenshot(path=target, full_page=width == "desktop")
                    print(target)
                page.context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/atlas-screenshots"))
