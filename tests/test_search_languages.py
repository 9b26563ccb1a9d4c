"""Search in French and Spanish (place names in every document, the glossary's translations) and
a spelling fallback that corrects only what is misspelt, on SQLite and PostgreSQL alike."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from atlas.views import search_sources
from practices.models import Country, Practice, Region
from search.query import GLOSSARY, parse_query
from search.queryset import CombinedResults, suggest_corrections

from .factories import make_organisation, make_practice
from .test_search import result_titles

SEARCH_URL = reverse("atlas:search")
CORRECTED = "Including results for"


def found(query):
    """{(kind, key)} of every record /search/ finds for `query`, without spelling correction."""
    return {(kind, pk) for kind, pk, _rank in CombinedResults(search_sources(), query)}


def page(client, query):
    response = client.get(SEARCH_URL, {"q": query})
    assert response.status_code == 200
    return response.content.decode(), result_titles(response)


@pytest.mark.parametrize(
    ("query", "english"),
    [
        ("femmes", "women"),
        ("mujeres", "women"),
        ("mouvements", "movements"),
        ("movimientos", "movements"),
        ("Cambodge", "Cambodia"),
        ("Camboya", "Cambodia"),
    ],
)
def test_french_and_spanish_find_what_english_finds_without_a_correction(
    client, content, query, english
):
    html, titles = page(client, query)
    english_html, english_titles = page(client, english)

    assert found(query) == found(english) != set()
    assert sorted(titles) == sorted(english_titles)
    assert CORRECTED not in html


def test_a_french_page_marks_the_english_records_it_finds_as_english(client, content):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(SEARCH_URL, {"q": "Cambodge"}).content.decode()

    assert '<html lang="fr"' in html
    assert re.search(r'<h3 lang="en">\s*<a [^>]*>Coalition building for Safe Cities', html)
    assert "Résultats pour" not in html  # No correction notice, in French either.


@pytest.mark.parametrize(("english", "forms"), GLOSSARY["translations"].items())
def test_each_glossary_entry_finds_what_its_english_word_finds(content, english, forms):
    assert found(english), f"{english!r} finds nothing in the content: not a word of the domain"
    for form in forms:
        assert english in [f.words[0] for t in parse_query(form).terms() for f in t.forms()]
        assert found(form) >= found(english), form
        assert found(form.upper()) == found(form)


def test_a_phrase_in_french_drops_its_little_words(content):
    assert found("droits des femmes") == found("rights of women") != set()
    assert found("derechos de las mujeres") == found("rights of women")


def test_every_document_names_its_places_in_three_languages(content):
    cambodian = Practice.objects.get(countries__code="KH")
    regional = Practice.objects.get(title="Learning for change")

    assert {"Cambodia", "Cambodge", "Camboya", "Asie du Sud-Est"} <= set(
        cambodian.search_names.split(" · ")
    )
    assert {"Afrique orientale", "África oriental"} <= set(regional.search_names.split(" · "))
    # English names first, so that an excerpt of the names reads in English.
    assert cambodian.search_names.index("Cambodia") < cambodian.search_names.index("Cambodge")


# -- The countries a regional practice covers ---------------------------------------------------

REGIONAL = "Learning for change"  # CARE, "East Africa Region": scoped to Eastern Africa, no country


def practice_titles(query):
    return {str(p) for p in Practice.objects.published().search(query, spelling=False)}


@pytest.mark.parametrize("query", ["Kenya", "Kenia", "Uganda", "Ouganda", "Tanzanie"])
def test_a_regional_practice_is_found_by_the_countries_of_its_region(client, content, query):
    _html, titles = page(client, query)

    assert REGIONAL in titles


def test_a_practice_scoped_to_a_continent_is_found_by_its_countries(content):
    africa = Region.objects.get(slug="africa")
    make_practice(title="Pan-African study", scope="regional", scope_region=africa)

    assert {"Pan-African study", REGIONAL} <= practice_titles("Kenia")
    assert "Pan-African study" in practice_titles("Sénégal")
    assert "Pan-African study" not in practice_titles("Cambodia")


def test_the_countries_a_regional_practice_is_found_by_follow_its_region(content):
    eastern = Region.objects.get(slug="eastern-africa")
    nigeria, kenya = Country.objects.get(code="NG"), Country.objects.get(code="KE")
    assert REGIONAL not in practice_titles("Nigeria")

    nigeria.region = eastern
    nigeria.save()
    kenya.region = Region.objects.get(slug="western-africa")
    kenya.save()
    added = Country.objects.create(code="QQ", name="Quokka Islands", region=eastern)

    assert REGIONAL in practice_titles("Nigeria") & practice_titles("Quokka")
    assert REGIONAL not in practice_titles("Kenia")

    added.name = "Wombat Islands"
    added.save()
    assert REGIONAL in practice_titles("Wombat") - practice_titles("Quokka")
    added.delete()
    assert REGIONAL not in practice_titles("Wombat")


def test_a_place_name_is_found_with_or_without_its_accents(content):
    peruvian = found("Peru")
    assert peruvian and found("Pérou") == found("Perou") == peruvian
    assert found("Perú") == found("Peru")


def test_a_translated_word_can_be_excluded(content):
    assert found("Cambodia -femmes") == found("Cambodia -women")


# -- Spelling: only what is misspelt -----------------------------------------------------------


@pytest.mark.parametrize("query", ["Great Lakes", "Lakes", "Horticulture", "Phnom Penh", "Perou"])
def test_a_word_in_the_index_is_never_corrected(client, content, query):
    html, titles = page(client, query)

    assert CORRECTED not in html
    assert len(titles) == len(found(query)) > 0


@pytest.mark.parametrize(
    ("query", "correction", "expected"),
    [
        ("Ugnada", "Uganda", "Gender Action Learning Systems (GALS)"),
        (
            "Cambodai",
            "Cambodia",
            "Coalition building for Safe Cities for Women in Phnom Penh, Cambodia",
        ),
        ("Kenay", "Kenya", "Women in self-help groups"),
        (
            "Nigeira",
            "Nigeria",
            "Catalysing the collective power of women smallholder farmers in Nigeria",
        ),
        ("Oxfma", "Oxfam", "Gender Action Learning Systems (GALS)"),
        ("GROTS", "GROOTS", "Women in self-help groups"),
        ("SWOFNO", "SWOFON", "Small Scale Women Farmers Organisation in Nigeria (SWOFON)"),
        ("Mahila Adihka Manch", "Adhika", "Mahila Adhika Manch (MAM)"),
        ("Safe Citeis", "Cities", "Safe Cities for Women Coalition (SCWC)"),
    ],
)
def test_a_misspelt_name_is_corrected_and_found(client, content, query, correction, expected):
    html, titles = page(client, query)

    assert f"{CORRECTED} {correction}." in html
    assert expected in titles


def test_a_correction_that_finds_nothing_is_not_offered(client, db):
    organisation = make_organisation(name="Ephemeral Alliance")
    make_practice(title="Renamed", organisations=[organisation])
    organisation.name = "Lasting Alliance"
    organisation.save()  # "Ephemeral" stays a known word until the next rebuild.

    html, titles = page(client, "Ephemeril")

    assert CORRECTED not in html
    assert titles == []


def test_two_known_words_equally_close_are_not_a_correction(db):
    for name in ("Tarnwick Trust", "Tarnwock Trust"):
        make_practice(organisations=[make_organisation(name=name)])
    published = [Practice.objects.published()]

    assert suggest_corrections(parse_query("Tarnwack"), published) == {}
    assert suggest_corrections(parse_query("Tarnwikc"), published) == {"Tarnwikc": "Tarnwick"}
