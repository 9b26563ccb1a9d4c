"""Every page names the site's icon, and browsers that ask for /favicon.ico find it too."""

import re

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_pages_link_a_small_svg_icon(client, db):
    html = client.get(reverse("atlas:home")).content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert link and link.group(1).endswith("favicon.svg")
    icon = finders.find("favicon.svg")
    assert icon, "static/favicon.svg is missing"
    with open(icon, "rb") as svg:
        content = svg.read()
    assert content.startswith(b"<svg") and len(content) < 1024


def test_favicon_ico_redirects_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("/favicon.svg")
