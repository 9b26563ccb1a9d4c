"""Search: what each kind of query finds, in what order, and how bad input is handled.

Everything runs on SQLite and on PostgreSQL; tests of PostgreSQL-only machinery (the english
stemmer, SearchHeadline, the stored vector and its index) are marked `postgres`.
"""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from core import listing
from core.models import Status
from guidance.models import Definition, Finding, Principle, Section
from movements.models import Movement
from practices.models import Country, Organisation, Practice, Region
from search.postgres import form_text
from search.query import parse_query

from .factories import make_approach, make_organisation, make_practice

skip_unless_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL full-text search"
)

SEARCH_URL = reverse("atlas:search")


def titles(queryset):
    return [str(record) for record in queryset]


def practice_titles(query):
    return titles(Practice.objects.published().search(query))


def result_titles(response):
    """The linked titles of the results on a /search/ page, in order."""
    html = response.content.decode()
    return [
        re.sub(r"<[^>]+>", "", title).strip()
        for title in re.findall(r"<h3[^>]*>\s*(.*?)</h3>", html, flags=re.S)
    ]


def result_labels(response):
    return re.findall(r'<span class="type-label">([^<]+)</span>', response.content.decode())


KENYAN = ["Women in self-help groups", "Smallholder Horticulture Empowerment"]
NIGERIAN = "Catalysing the collective power of women smallholder farmers in Nigeria"
CAMBODIAN = "Coalition building for Safe Cities for Women in Phnom Penh, Cambodia"
NEPALI = "Strengthening leadership and capacities of a rural women’s network in Nepal"


# -- Linked names: country, region, organisation, approach, tag ----------------------------


def test_a_country_finds_the_practices_in_it_even_where_their_text_never_says_it(content):
    kenya = Country.objects.get(code="KE")
    quiet = make_practice(title="Savings circles", summary="Members save together.")
    quiet.countries.set([kenya])

    found = practice_titles("Kenya")

    # With the practice scoped to Kenya's region, whose document names the countries it covers.
    assert set(found) == {*KENYAN, "Savings circles", "Learning for change"}


def test_a_region_finds_the_practices_in_its_countries(content):
    found = practice_titles("Eastern Africa")

    assert set(KENYAN) <= set(found)
    assert "Gender Action Learning Systems (GALS)" in found  # Uganda
    assert "Child Nutrition Initiative" not in found  # Peru


def test_an_organisation_finds_its_practices_first(content):
    found = practice_titles("GROOTS")

    assert found[0] == "Women in self-help groups"


def test_an_approach_name_finds_its_practices(content):
    approach = make_approach(name="Participatory Budget Monitoring")
    make_practice(title="Village ledgers", approach=approach, summary="Women read the books.")

    assert practice_titles("participatory budget monitoring") == ["Village ledgers"]
    assert "Child Nutrition Initiative" in practice_titles('"Cross-Agency Consortia"')


def test_a_tag_finds_practices_whose_text_never_uses_it(content):
    found = practice_titles('"economic empowerment"')

    assert {"Gender Action Learning Systems (GALS)", "Souqona"} <= set(found)


# -- Acronyms and full names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("GALS", "Gender Action Learning Systems (GALS)"),
        ("Gender Action Learning Systems", "Gender Action Learning Systems (GALS)"),
        ("SWOFON", NIGERIAN),
        ("Small Scale Women Farmers Organisation", NIGERIAN),
        ("CNI", "Child Nutrition Initiative"),
        ("SCWC", CAMBODIAN),
        ("Safe Cities for Women Coalition", CAMBODIAN),
        ("MAM", NEPALI),
        ("Mahila Adhika Manch", NEPALI),
    ],
)
def test_acronyms_and_full_names_find_the_practice(content, query, expected):
    assert practice_titles(query)[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SWOFON", "Small Scale Women Farmers Organisation in Nigeria"),
        ("MAM", "Mahila Adhika Manch"),
    ],
)
def test_an_acronym_finds_the_movement_first(content, query, expected):
    assert titles(Movement.objects.published().search(query))[0] == expected


def test_an_acronym_finds_text_that_only_spells_it_out_and_the_other_way_round(content):
    make_practice(title="Rights first", summary="Grounded in a human rights based approach.")
    make_practice(title="Learning together", summary="Households plan with GALS tools.")
    make_practice(title="Safe streets", summary="Tackling VAWG in markets.")

    assert practice_titles("HRBA") == ["Rights first"]
    assert "Learning together" in practice_titles('"Gender Action Learning Systems"')
    assert practice_titles('"violence against women and girls"') == ["Safe streets"]


def test_an_organisations_acronym_field_expands_in_other_records(content):
    make_organisation(name="Women Farmers Union of Zambia", acronym="WFUZ")
    make_practice(title="Seed banks", summary="Run with the WFUZ in every district.")

    assert practice_titles('"Women Farmers Union of Zambia"') == ["Seed banks"]


def test_guidance_is_found_by_acronym_and_its_expansion(content):
    ingo = titles(Principle.objects.published().search("international NGO"))
    vawg = titles(Principle.objects.published().search("violence against women and girls"))

    assert "Be sensitive to the role of ActionAid as an INGO" in ingo
    assert vawg  # The principle that mentions VAWG.
    assert Finding.objects.search("INGO").count() >= 2


# -- Query language -------------------------------------------------------------------------


def test_leaders_finds_leadership_and_organising_finds_organised(content):
    make_practice(title="Tenancy", summary="Tenants organised a strike.")
    assert "Tenancy" in practice_titles("organising")

    found = practice_titles("leaders")

    assert "Grassroots Women’s Leadership" in found
    assert NEPALI in found


def test_a_quoted_phrase_must_appear_in_order(content):
    assert practice_titles('"safe cities"') == [CAMBODIAN]
    assert practice_titles('"Penh Phnom"') == []


def test_a_minus_sign_excludes_a_word(content):
    with_kenya = practice_titles("women")
    without = practice_titles("women -Kenya")

    assert set(KENYAN) <= set(with_kenya)
    assert not set(KENYAN) & set(without)
    assert NEPALI in without


def test_or_finds_either_word(content):
    found = practice_titles("Nepal or Peru")

    assert set(found) == {NEPALI, "Child Nutrition Initiative"}


def test_a_title_match_ranks_above_a_match_in_the_body(content):
    make_practice(title="Dairy cooperatives", summary="Milk.", body="Cattle.")
    make_practice(title="Market days", summary="Stalls.", body="Some sell through dairy stalls.")

    assert practice_titles("dairy") == ["Dairy cooperatives", "Market days"]


def test_the_parser_keeps_syntax_out_of_the_database_query():
    parsed = parse_query("""women -"sad cat" or x-ray ' % _ \\ ; DROP :* ! & | ( )""")

    terms = [term for group in parsed.groups for term in group]
    text = " ".join(form_text(term) for term in terms)

    assert [form_text(term) for term in terms[:2]] == ["'women':*", "('sad' <-> 'cat')"]
    assert terms[1].negated
    assert "'DROP'" in text
    # Only operators we wrote: no stray quote, colon, backslash or percent sign.
    assert not re.search(r"[%\\;]|''", text)


# -- Typos ----------------------------------------------------------------------------------


def test_a_misspelt_organisation_still_finds_its_practice(content):
    assert practice_titles("GROTS") == ["Women in self-help groups"]


def test_a_misspelt_country_still_finds_its_records(content):
    assert CAMBODIAN in practice_titles("Cambdia")
    movements = titles(Movement.objects.published().search("Cambdia"))
    assert "Safe Cities for Women Coalition" in movements


def test_the_search_page_says_which_correction_it_used(client, content):
    response = client.get(SEARCH_URL, {"q": "Cambdia"})

    assert "Including results for Cambodia." in response.content.decode()
    assert CAMBODIAN in result_titles(response)


# -- Only published records -----------------------------------------------------------------


def test_drafts_and_withdrawn_records_are_never_found(client, content):
    make_practice(title="Quokka draft", status=Status.DRAFT)
    make_practice(title="Quokka withdrawn", status=Status.WITHDRAWN)
    Movement.objects.create(name="Quokka network", slug="quokka-network", status=Status.DRAFT)

    assert practice_titles("quokka") == []
    assert practice_titles("Quoka") == []  # nor through the typo fallback
    response = client.get(SEARCH_URL, {"q": "quokka"})
    assert "Quokka" not in response.content.decode().replace("“quokka”", "")
    assert (
        client.get(reverse("practices:practice-list"), {"q": "quokka"})
        .context["page"]
        .paginator.count
        == 0
    )


# -- Keeping the index current --------------------------------------------------------------


def test_renaming_an_organisation_renames_it_in_the_index(content):
    organisation = Organisation.objects.get(name="GROOTS Kenya")
    organisation.name = "Grassroots Sisterhood Trust"
    organisation.save()

    assert practice_titles('"Grassroots Sisterhood Trust"') == ["Women in self-help groups"]
    assert practice_titles("GROOTS") != ["Women in self-help groups"]


def test_renaming_a_region_reaches_the_practices_in_its_countries(content):
    region = Region.objects.get(name="Eastern Africa")
    region.name = "East African Community"
    region.save()

    assert set(KENYAN) <= set(practice_titles('"East African Community"'))


def test_tags_and_countries_changed_later_are_searchable(content):
    practice = make_practice(title="Radio dramas", summary="Stories on air.")
    practice.tags.add("soap operas")
    practice.countries.add(Country.objects.get(code="KH"))

    assert practice_titles('"soap operas"') == ["Radio dramas"]
    assert "Radio dramas" in practice_titles("Cambodia")

    practice.tags.remove("soap operas")
    Country.objects.get(code="KH").practices.remove(practice)

    assert practice_titles('"soap operas"') == []
    assert "Radio dramas" not in practice_titles("Cambodia")


def test_movement_and_guidance_documents_follow_their_links(content):
    movement = Movement.objects.get(acronym="SCWC")
    movement.countries.add(Country.objects.get(code="TH"))
    finding = Finding.objects.filter(countries__code="KH").first()
    finding.countries.clear()

    assert "Safe Cities for Women Coalition" in titles(
        Movement.objects.published().search("Thailand")
    )
    assert finding not in Finding.objects.search("Cambodia")


def test_deleting_a_linked_record_takes_its_name_out_of_the_index(content):
    organisation = Organisation.objects.get(name="GROOTS Kenya")
    organisation.name = "Quokka Sisterhood Trust"
    organisation.save()
    assert practice_titles("Quokka") == ["Women in self-help groups"]

    organisation.delete()

    assert practice_titles("Quokka") == []
    assert Practice.objects.filter(title="Women in self-help groups").exists()


def test_a_renamed_section_reaches_its_principles_and_a_new_acronym_its_expansions(content):
    section = Section.objects.get(number="7.1")
    section.title = "Quokka principles"
    section.save()
    assert set(titles(Principle.objects.search("Quokka"))) == set(
        section.principles.values_list("title", flat=True)
    )

    movement = Movement.objects.get(acronym="SCWC")
    movement.acronym = "QSC"
    movement.save()
    # Another record that spells the name out is now found by the new acronym too.
    make_practice(title="Audits with the Safe Cities for Women Coalition", summary="Walks.")
    assert "Audits with the Safe Cities for Women Coalition" in practice_titles("QSC")


def test_rebuild_search_index_restores_emptied_documents(content):
    Practice.objects.update(search_names="", search_vector=None)
    assert "Women in self-help groups" not in practice_titles("GROOTS")

    call_command("rebuild_search_index", verbosity=0)

    assert practice_titles("GROOTS") == ["Women in self-help groups"]


# -- The practice list ----------------------------------------------------------------------


def test_search_combines_with_facets_on_the_practice_list(client, content):
    response = client.get(reverse("practices:practice-list"), {"q": "women", "country": "KE"})

    found = [practice.title for practice in response.context["page"].object_list]
    assert set(found) == set(KENYAN) | {"Learning for change"}  # scoped to Kenya's region
    assert response.context["sort"] == "relevance"


def test_a_search_matching_more_than_the_pool_is_cut_and_says_so(client, content, monkeypatch):
    monkeypatch.setattr(listing, "LIST_SEARCH_POOL", 5)
    matching = Practice.objects.published().search("women", spelling=False)
    assert matching.count() > 11  # so that the cut shows
    response = client.get(reverse("practices:practice-list"), {"q": "women"})
    html = response.content.decode()

    listed = response.context["page"].paginator.count
    assert 5 < listed <= 11  # the 6 found first and up to 5 with "women" in the title
    assert "More than 5 practices" in html
    assert "only some are listed" in html
    assert set(response.context["page"].object_list) <= set(matching)
    ranks = [practice.rank for practice in response.context["page"].object_list]
    assert ranks == sorted(ranks, reverse=True)


def test_a_search_within_the_pool_lists_every_match_with_the_filters(client, content, monkeypatch):
    in_kenya = {*KENYAN, "Learning for change"}  # with the practice scoped to Kenya's region
    monkeypatch.setattr(listing, "LIST_SEARCH_POOL", len(in_kenya))
    response = client.get(reverse("practices:practice-list"), {"q": "women", "country": "KE"})
    html = response.content.decode()

    # The filters apply first, so the pool is drawn from the Kenyan practices only.
    assert {p.title for p in response.context["page"].object_list} == in_kenya
    assert f"{len(in_kenya)} practices" in html
    assert "only some are listed" not in html


def test_the_practice_list_orders_by_relevance_only_when_searching(client, content):
    searched = client.get(reverse("practices:practice-list"), {"q": "leadership"})
    browsing = client.get(reverse("practices:practice-list"), {"sort": "relevance"})

    ranks = [practice.rank for practice in searched.context["page"].object_list]
    assert ranks == sorted(ranks, reverse=True)
    assert browsing.status_code == 200
    assert browsing.context["sort"] == "title"


# -- The search page ------------------------------------------------------------------------


def test_the_search_page_covers_every_type_with_labels_and_links(client, content):
    response = client.get(SEARCH_URL, {"q": "Nepal"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "results for “Nepal”" in html
    assert {"Practice", "Movement", "Research finding"} <= set(result_labels(response))
    assert reverse("movements:movement-detail", args=["mam"]) in html
    assert reverse("guidance:guidance") + "#findings" in html
    assert "<mark>Nepal</mark>" in html
    # Cards list a practice's organisations and link a movement's or a finding's countries.
    organisations = Practice.objects.get(title=NEPALI).organisations.all()
    assert organisations and all(organisation.name in html for organisation in organisations)
    assert f'<a href="{reverse("atlas:country-detail", args=["np"])}">Nepal</a>' in html


def test_definitions_link_to_the_guidance_page(client, content):
    response = client.get(SEARCH_URL, {"q": '"feminist leadership"'})

    assert "Definition" in result_labels(response)
    assert reverse("guidance:guidance") + "#definitions" in response.content.decode()


def test_the_type_filter_narrows_results_and_ignores_unknown_types(client, content):
    response = client.get(SEARCH_URL, {"q": "women", "type": ["movement", "spaceship"]})
    html = response.content.decode()

    assert set(result_labels(response)) == {"Movement"}
    assert "Unknown type ignored: spaceship." in html
    assert (
        response.context["page"].paginator.count
        == Movement.objects.published().search("women").count()
    )


def test_results_are_ranked_and_paginated_ten_a_page(client, content):
    for n in range(25):
        make_practice(title=f"Sunflower oil press {n}", summary="Pressing seeds.")

    first = client.get(SEARCH_URL, {"q": "sunflower"})
    last = client.get(SEARCH_URL, {"q": "sunflower", "page": 3})

    assert len(result_titles(first)) == 10
    assert len(result_titles(last)) == 5
    assert "25 results for “sunflower”" in first.content.decode()
    assert "Page 1 of 3" in first.content.decode()
    assert client.get(SEARCH_URL, {"q": "sunflower", "page": 4}).status_code == 404
    assert client.get(SEARCH_URL, {"q": "sunflower", "page": "x"}).status_code == 404


def test_an_empty_search_suggests_popular_themes_and_countries(client, content):
    response = client.get(SEARCH_URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Popular themes" in html
    assert reverse("practices:theme-detail", args=["leadership-and-collective-action"]) in html
    assert reverse("atlas:country-detail", args=["ke"]) in html


def test_a_records_own_markup_is_shown_escaped_in_snippets(client, content):
    make_practice(
        title="Beekeeping",
        summary='<script>alert("x")</script> <b>Hives</b> & honey for <mark>sale</mark>.',
    )

    html = client.get(SEARCH_URL, {"q": "honey"}).content.decode()

    # Shown escaped (SQLite) or dropped by SearchHeadline (PostgreSQL), never as markup.
    assert "<script>alert" not in html
    assert "<b>Hives</b>" not in html
    assert "<mark>sale</mark>" not in html
    assert "<mark>honey</mark>" in html


def test_search_page_queries_do_not_grow_with_the_results(
    client, content, django_assert_max_num_queries
):
    for n in range(60):
        make_practice(title=f"Cassava mill {n}", summary="Cassava flour.")
    for n in range(3):
        Movement.objects.create(
            name=f"Cassava growers {n}", slug=f"cassava-{n}", status=Status.PUBLISHED
        )
    Definition.objects.create(term="Cassava", slug="cassava", text="A root crop.")

    with django_assert_max_num_queries(12):
        response = client.get(SEARCH_URL, {"q": "cassava"})
    with django_assert_max_num_queries(12):
        client.get(SEARCH_URL, {"q": "cassava", "page": 4})

    assert "64 results for “cassava”" in response.content.decode()


# -- Bad input ------------------------------------------------------------------------------

BAD_QUERIES = [
    "",
    "x" * 5000,
    '"',
    "'",
    "-",
    "or or",
    "%",
    "_",
    "\\",
    "'; DROP TABLE practices_practice; --",
    "<script>alert(1)</script>",
    "women\x00kenya",
    "\x01\x02\x1b[31m\x7f",
    ":* & | ! <-> ( )",
    "(?:a+)+$ .* [",
    '"unclosed phrase',
    "-women -kenya",
]


def database_state():
    return (
        list(Practice.objects.order_by("pk").values_list("pk", "title", "status")),
        Movement.objects.count(),
        Principle.objects.count(),
        Finding.objects.count(),
        Definition.objects.count(),
        Organisation.objects.count(),
    )


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_never_fail_and_never_write(client, content, query):
    before = database_state()

    responses = [
        client.get(SEARCH_URL, {"q": query}),
        client.get(reverse("practices:practice-list"), {"q": query}),
        client.get(reverse("movements:movement-list"), {"q": query}),
    ]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert database_state() == before
    html = responses[0].content.decode()
    assert "<script>alert(1)" not in html
    assert "\x00" not in html


def test_a_script_in_the_query_is_shown_escaped(client, content):
    html = client.get(SEARCH_URL, {"q": "<script>alert(1)</script>"}).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_long_query_is_cut_to_200_characters(client, content):
    response = client.get(SEARCH_URL, {"q": "women " * 1000})

    assert response.status_code == 200
    assert len(response.context["query"]) <= 200
    assert "only its first 200 were searched" in response.content.decode()


def test_a_query_within_200_characters_is_not_said_to_be_cut(client, content):
    response = client.get(SEARCH_URL, {"q": "women leadership"})

    assert response.status_code == 200
    assert "were searched" not in response.content.decode()


# -- PostgreSQL only ------------------------------------------------------------------------


def test_english_stemming_matches_other_forms_of_a_word(content):
    make_practice(title="Wellbeing", summary="Members say they are happy.")

    # The english stemmer (PostgreSQL) and the porter stemmer (FTS5) both reduce them to "happi".
    assert practice_titles("happiness") == ["Wellbeing"]


@pytest.mark.postgres
@skip_unless_postgres
def test_every_published_record_has_a_weighted_vector_behind_a_gin_index(content):
    assert not Practice.objects.filter(search_vector__isnull=True).exists()
    assert not Principle.objects.filter(search_vector__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN "
            "('practice_search_vector', 'practice_title_trgm', 'movement_search_vector', "
            "'searchword_word_trgm')"
        )
        indexes = dict(cursor.fetchall())
    assert "USING gin (search_vector)" in indexes["practice_search_vector"]
    assert "gin_trgm_ops" in indexes["practice_title_trgm"]
    assert "movement_search_vector" in indexes
    # The spelling fallback reads words by their first letters and length, which a trigram
    # index on the words cannot answer: it is dropped.
    assert "searchword_word_trgm" not in indexes


@pytest.mark.postgres
@skip_unless_postgres
def test_search_headline_marks_the_matches_in_sql(content):
    practice = (
        Practice.objects.published()
        .search("malnutrition")
        .with_headlines("malnutrition")
        .get(title="Child Nutrition Initiative")
    )

    assert "\ue000malnutrition\ue001" in practice.headline


def test_typo_correction_gives_the_closest_known_word(content):
    from atlas.views import search_sources
    from search.queryset import suggest_corrections

    query = parse_query("Cambdia or GROTS")
    assert suggest_corrections(query, search_sources().values()) == {
        "Cambdia": "Cambodia",
        "GROTS": "GROOTS",
    }


@pytest.mark.parametrize("query", ["Perú", "PERÚ", "perú", "Tamaño"])
def test_words_outside_ascii_are_found_in_any_case(db, query):
    practice = make_practice(title="Mujeres rurales de Perú", summary="Un programa de gran tamaño.")
    make_practice(title="Something else entirely")
    assert list(Practice.objects.published().search(query, spelling=False)) == [practice]
