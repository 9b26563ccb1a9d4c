"""The interface in English, French and Spanish: complete catalogues, the language switch,
translated pages, localised dates, and content marked as English."""

import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import trans_real

from practices.models import Practice

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
NAVIGATION = {
    "en": ["Practices", "Movements", "Guidance", "Countries"],
    "fr": ["Pratiques", "Mouvements", "Orientations", "Pays"],
    "es": ["Prácticas", "Movimientos", "Orientaciones", "Países"],
}


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    """Compile the catalogues as `make test` does, and drop any catalogue Django cached before."""
    call_command("compile_translations", verbosity=0)
    trans_real._translations.clear()


@pytest.fixture(autouse=True)
def back_to_english():
    """LocaleMiddleware leaves the last request's language active in this thread: reset it so
    that the tests after these ones run in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def catalogue(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    messages = [message for message in catalogue(language) if message.id]
    assert len(messages) > 300
    untranslated = [
        message.id
        for message in messages
        if not message.string or (isinstance(message.string, tuple) and not all(message.string))
    ]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def navigation_of(html):
    start = html.index('<nav aria-label="')
    return html[start : html.index("</nav>", start)]


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("page", ["home", "practice list", "practice", "guidance", "search"])
def test_pages_render_in_the_chosen_language(client, content, language, page):
    practice = Practice.objects.published().order_by("title").first()
    url = {
        "home": "/",
        "practice list": "/practices/",
        "practice": practice.get_absolute_url(),
        "guidance": "/guidance/",
        "search": "/search/?q=women",
    }[page]
    response = in_language(client, language).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    navigation = navigation_of(html)
    for label in NAVIGATION[language]:
        assert f">{label}</a>" in navigation
    assert ">Practices</a>" not in navigation


def test_english_is_the_default(client, content):
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert ">Practices</a>" in navigation_of(html)


def test_language_switch_redirects_back_and_remembers_the_choice(client, content):
    response = client.get("/language/", {"language": "es", "next": "/practices/?theme=x"})
    assert response.status_code == 302
    assert response["Location"] == "/practices/?theme=x"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    html = client.get("/practices/").content.decode()
    assert '<html lang="es">' in html
    assert ">Prácticas</a>" in navigation_of(html)


def test_switcher_is_a_labelled_form_that_returns_to_the_same_page(client, content):
    html = client.get("/practices/?country=KE").content.decode()
    assert '<form class="lang-switch" action="/language/" method="get">' in html
    assert "csrfmiddlewaretoken" not in html
    assert '<label for="site-language">Language</label>' in html
    assert '<input type="hidden" name="next" value="/practices/?country=KE">' in html
    for code, name in [("en", "English"), ("fr", "Français"), ("es", "Español")]:
        assert f'<option value="{code}" lang="{code}"' in html
        assert f">{name}</option>" in html


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ({"language": "fr", "next": "https://evil.example/"}, "/"),
        ({"language": "fr", "next": "//evil.example/"}, "/"),
        ({"language": "fr"}, "/"),
    ],
)
def test_language_switch_never_leaves_the_site(client, query, location):
    response = client.get("/language/", query)
    assert response.status_code == 302
    assert response["Location"] == location
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


@pytest.mark.parametrize("code", ["xx", "", "fr" * 500, "<script>"])
def test_unknown_language_keeps_the_current_one(client, code):
    response = client.get("/language/", {"language": code, "next": "/practices/"})
    assert response.status_code == 302
    assert response["Location"] == "/practices/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "March 5, 2024"), ("fr", "5 mars 2024"), ("es", "5 de marzo de 2024")],
)
def test_dates_are_localised(client, content, language, expected):
    practice = Practice.objects.published().order_by("title").first()
    moment = timezone.make_aware(datetime.datetime(2024, 3, 5, 12, 0))
    Practice.objects.filter(pk=practice.pk).update(updated_at=moment)
    html = in_language(client, language).get(practice.get_absolute_url()).content.decode()
    assert f'<time datetime="2024-03-05T12:00:00+00:00">{expected}</time>' in html


def test_content_keeps_its_own_language(client, content):
    practice = Practice.objects.published().exclude(summary="").order_by("title").first()
    html = in_language(client, "fr").get(practice.get_absolute_url()).content.decode()
    assert '<html lang="fr">' in html
    assert f'<h1 lang="en">{practice.title}</h1>' in html
    assert '<div class="prose lead" lang="en">' in html
    assert "Dernière mise à jour" in html
