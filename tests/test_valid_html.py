"""Every public page type is valid HTML in English, French and Spanish: the W3C Nu HTML checker
(scripts/vnu, which installs the vnu-jar npm package on first use) finds no error in them.

Marked `html` and left out of the default run (it needs Java and, once, npm): `make html-check`,
which CI runs."""

import json
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from atlas.catalogue import public_urls

pytestmark = pytest.mark.html

VNU = Path(__file__).resolve().parents[1] / "scripts" / "vnu"
LANGUAGES = ["en", "fr", "es"]


def page_catalogue():
    """[(kind, path)]: one page of each HTML kind the catalogue lists, and the pages it leaves
    out (coverage, empty results, not found)."""
    pages, seen = [], set()
    for kind, path in public_urls(per_kind=1):
        if kind not in seen and not (kind.startswith("api") and kind != "api docs"):
            seen.add(kind)
            pages.append((kind, path))
    practice_list = reverse("practices:practice-list")
    return pages + [
        ("practice list sorted", practice_list + "?sort=title"),
        ("practice list empty", practice_list + "?q=zzzznothingmatches&country=KE"),
        ("movement list filtered", reverse("movements:movement-list") + "?country=KE"),
        ("search filtered", reverse("atlas:search") + "?q=women&type=practice"),
        ("search nothing", reverse("atlas:search") + "?q=zzzznothingmatches"),
        ("coverage", reverse("atlas:coverage")),
        ("evidence rubric", reverse("evidence:rubric")),
        ("not found", "/no-such-page/"),
    ]


def test_every_page_type_is_valid_html_in_every_language(client, content, tmp_path):
    files = {}
    for language in LANGUAGES:
        client.cookies["django_language"] = language
        for kind, path in page_catalogue():
            response = client.get(path)
            assert response.status_code == (404 if kind == "not found" else 200), path
            assert response["Content-Type"].startswith("text/html"), path
            name = f"{language}-{kind.replace(' ', '-')}.html"
            (tmp_path / name).write_bytes(response.content)
            files[name] = f"{path} ({language})"

    checked = subprocess.run(
        [VNU, "--errors-only", "--format", "json", "--stdout", *sorted(files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert checked.stdout, checked.stderr
    errors = [
        f"{files[Path(message['url']).name]} line {message.get('lastLine')}: {message['message']}"
        for message in json.loads(checked.stdout)["messages"]
    ]
    print(f"Nu HTML checker: {len(files)} pages, {len(errors)} errors")
    assert not errors, "\n".join(errors)
