"""The seed content in fixtures/: what it holds, where each record comes from, and reloading.

Uses the ``content`` fixture (tests/conftest.py), which puts what load_content adds into the test
database; the last test checks that it gives what a real load gives.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from taggit.models import Tag

from core.models import Status
from guidance.models import (
    Definition,
    Finding,
    InfographicGroup,
    MemberType,
    Phase,
    Principle,
    Resource,
    Section,
    ValueAdd,
)
from movements.models import Figure, Movement
from practices.models import (
    Approach,
    Organisation,
    Practice,
    Region,
    SourceDocument,
    Theme,
)
from practices.narrative import NARRATIVE_FIELDS
from search.models import SearchWord

from .conftest import insert_rows

CARE = "care-promising-practices"
ACTIONAID = "actionaid-movement-building"
NEPAL = "strengthening-leadership-and-capacities-of-a-rural-womens-network-in-nepal"
CAMBODIA = "coalition-building-for-safe-cities-for-women-in-phnom-penh-cambodia"
NIGERIA = "catalysing-the-collective-power-of-women-smallholder-farmers-in-nigeria"

SOURCED_MODELS = [
    Organisation,
    Theme,
    Approach,
    Practice,
    Movement,
    Section,
    InfographicGroup,
    Principle,
    Phase,
    ValueAdd,
    Finding,
    Definition,
    MemberType,
    Resource,
]
ALL_MODELS = [SourceDocument, *SOURCED_MODELS, Figure, Tag]


def counts():
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


# --- what the fixtures hold ---------------------------------------------------------------------


def test_counts_per_model(content):
    assert SourceDocument.objects.count() == 2
    assert Theme.objects.count() == 1
    assert Approach.objects.count() == 4
    assert Practice.objects.filter(source__slug=CARE).count() == 13
    assert Practice.objects.filter(source__slug=ACTIONAID).count() == 3
    assert Practice.objects.count() == 16
    assert Section.objects.count() == 5
    assert InfographicGroup.objects.count() == 3
    assert Principle.objects.count() == 34
    assert Phase.objects.count() == 5
    assert ValueAdd.objects.count() == 11
    assert MemberType.objects.count() == 10
    assert Definition.objects.count() == 3
    assert Finding.objects.count() == 11
    assert Resource.objects.count() == 12


def test_principles_per_section(content):
    per_section = {s.number: s.principles.count() for s in Section.objects.all()}
    assert per_section == {"7.1": 9, "7.2": 9, "7.3": 4, "7.4": 9, "7.5": 3}
    for section in Section.objects.all():
        orders = list(section.principles.values_list("order", flat=True))
        assert orders == list(range(1, len(orders) + 1))


def test_care_practices_by_approach(content):
    per_approach = {a.slug: a.practices.count() for a in Approach.objects.all()}
    assert per_approach == {
        "womens-leadership-and-networking": 7,
        "strengthening-women-in-electoral-politics": 2,
        "supporting-womens-action-in-value-chains": 3,
        "cross-agency-consortia-for-advancing-rights": 1,
    }
    assert not Practice.objects.filter(source__slug=ACTIONAID, approach__isnull=False).exists()
    theme = Theme.objects.get()
    assert theme.name == "Leadership & Collective Action"
    assert all(a.theme_id == theme.pk for a in Approach.objects.all())


def test_swofon(content):
    swofon = Movement.objects.get(acronym="SWOFON")
    assert swofon.name == "Small Scale Women Farmers Organisation in Nigeria"
    assert swofon.kind == Movement.Kind.UMBRELLA
    assert swofon.founded_year == 2012
    assert list(swofon.countries.values_list("code", flat=True)) == ["NG"]
    assert list(swofon.practices.values_list("slug", flat=True)) == [NIGERIA]
    assert swofon.locator == "Box 1"
    figures = {f.measure: f for f in swofon.figures.all()}
    assert set(figures) == {"members", "member-groups", "states"}
    members = figures["members"]
    assert (members.value, members.qualifier, members.year) == (200_000, "about", 2014)
    assert members.note == "some 200,000 members"
    groups = figures["member-groups"]
    assert (groups.value, groups.qualifier, groups.year) == (500, "over", 2014)
    assert groups.note == "over 500 cooperatives groups"
    assert (figures["states"].value, figures["states"].qualifier) == (29, "")


def test_mam_and_scwc(content):
    mam = Movement.objects.get(acronym="MAM")
    assert mam.name == "Mahila Adhika Manch"
    assert mam.kind == Movement.Kind.NETWORK
    assert mam.founded_year is None
    assert list(mam.countries.values_list("code", flat=True)) == ["NP"]
    figures = {f.measure: f for f in mam.figures.all()}
    assert (figures["districts"].value, figures["districts"].qualifier) == (28, "")
    assert (figures["members"].value, figures["members"].qualifier) == (50_000, "about")
    assert figures["members"].year is None
    assert list(mam.practices.values_list("slug", flat=True)) == [NEPAL]

    scwc = Movement.objects.get(acronym="SCWC")
    assert scwc.name == "Safe Cities for Women Coalition"
    assert scwc.kind == Movement.Kind.COALITION
    assert scwc.founded_year == 2013
    assert list(scwc.countries.values_list("code", flat=True)) == ["KH"]
    assert list(scwc.practices.values_list("slug", flat=True)) == [CAMBODIA]
    assert not scwc.figures.exists()


def test_child_nutrition_initiative(content):
    cni = Practice.objects.get(title="Child Nutrition Initiative")
    assert "16 organizations" in cni.body
    assert "(CNI)" in cni.summary
    assert list(cni.countries.values_list("code", flat=True)) == ["PE"]
    assert cni.approach.slug == "cross-agency-consortia-for-advancing-rights"
    assert "[1]" not in cni.body


def test_care_practices_without_text_stay_empty(content):
    others = Practice.objects.filter(source__slug=CARE).exclude(title="Child Nutrition Initiative")
    assert others.count() == 12
    assert not others.exclude(summary="").exists()
    assert not others.exclude(body="").exists()


def test_learning_for_change_is_east_african(content):
    practice = Practice.objects.get(title="Learning for change")
    assert practice.scope == Practice.Scope.REGIONAL
    assert practice.scope_label == "East Africa Region"
    assert practice.scope_region == Region.objects.get(code="014")
    assert practice.scope_region.name == "Eastern Africa"


def test_scopes_as_stated(content):
    labels = dict(Practice.objects.values_list("slug", "scope_label"))
    assert labels["women-lead-in-emergencies"] == "Global"
    assert labels["great-lakes-advocacy-initiative"] == "Multi-country"
    assert labels["care-and-domestic-worker-syndicates"] == "Multi-country"
    assert labels["gender-action-learning-systems"] == "Uganda"
    national = Practice.objects.filter(scope=Practice.Scope.NATIONAL)
    assert national.count() == 12
    for practice in national:
        assert practice.countries.count() == 1, practice
    assert (
        not Practice.objects.exclude(scope=Practice.Scope.NATIONAL)
        .filter(countries__isnull=False)
        .exists()
    )


def test_kenya_practices(content):
    kenya = Practice.objects.filter(countries__code="KE")
    assert set(kenya.values_list("title", flat=True)) == {
        "Women in self-help groups",
        "Smallholder Horticulture Empowerment",
    }
    assert set(Practice.objects.in_country("ke")) == set(kenya)


def test_actionaid_cases(content):
    expected = {
        NEPAL: ("Part 8.1", "NP", "Mahila Adhika Manch (MAM)"),
        CAMBODIA: ("Part 8.2", "KH", "Safe Cities for Women Coalition (SCWC)"),
        NIGERIA: ("Box 1", "NG", "(SWOFON)"),
    }
    for slug, (locator, country, phrase) in expected.items():
        practice = Practice.objects.get(slug=slug)
        assert practice.locator == locator
        assert practice.scope == Practice.Scope.NATIONAL
        assert list(practice.countries.values_list("code", flat=True)) == [country]
        assert list(practice.organisations.values_list("slug", flat=True)) == ["actionaid"]
        assert phrase in practice.summary
        assert practice.summary in practice.body


def test_organisations(content):
    actionaid = Organisation.objects.get(name="ActionAid")
    assert actionaid.kind == Organisation.Kind.INGO
    ministry = Organisation.objects.get(name="Kenyan Ministry of Agriculture")
    assert ministry.kind == Organisation.Kind.GOVERNMENT
    assert ministry.country_id == "KE"
    # The documents say what kind of body only these two are.
    assert set(Organisation.objects.exclude(kind="").values_list("name", flat=True)) == {
        "ActionAid",
        "Kenyan Ministry of Agriculture",
    }
    assert (
        Practice.objects.get(title="Gender Action Learning Systems (GALS)").organisations.get().name
        == "Oxfam"
    )


def test_infographic_restatements(content):
    per_group = {g.number: g.principles.count() for g in InfographicGroup.objects.all()}
    assert per_group == {1: 5, 2: 4, 3: 5}
    for principle in Principle.objects.all():
        restated = bool(principle.short_title)
        assert restated == bool(principle.short_text) == bool(principle.infographic_group_id)
    duplication = Principle.objects.get(title="Avoid duplication and proliferation")
    assert duplication.short_title == "Avoid duplication"
    assert duplication.infographic_group.number == 3


def test_principle_titles(content):
    first = Principle.objects.get(section__number="7.4", order=1)
    assert first.title.startswith("Recognise that building trust and relations")
    assert first.explanation.startswith("This requires a high degree of sensitivity")
    embed = Principle.objects.get(section__number="7.1", order=2)
    assert embed.title.endswith("of movement building and mobilisations")
    assert Principle.objects.get(section__number="7.3", order=4).title == "Distribute power"


def test_principles_illustrated_only_where_the_note_says(content):
    links = {
        p.slug: (
            set(p.practices.values_list("slug", flat=True)),
            set(p.movements.values_list("slug", flat=True)),
        )
        for p in Principle.objects.all()
        if p.practices.exists() or p.movements.exists()
    }
    assert links == {
        "understand-capacity-needs-and-priorities": ({NEPAL}, set()),
        "social-media-for-young-women-and-youth": ({CAMBODIA}, set()),
        "link-womens-and-social-movements": ({NEPAL}, {"mam", "land-rights-movement-nepal"}),
        "distribute-power": ({CAMBODIA}, {"scwc"}),
    }


def test_findings(content):
    assert Finding.objects.filter(kind=Finding.Kind.OPPORTUNITY).count() == 4
    assert Finding.objects.filter(kind=Finding.Kind.CHALLENGE).count() == 7
    for finding in Finding.objects.all():
        codes = set(finding.countries.values_list("code", flat=True))
        assert codes == ({"KH", "NP"} if "both countries" in finding.text else set()), finding


def test_definitions(content):
    social = Definition.objects.get(term="Social movement")
    assert social.text.startswith("an organised set of constituents")
    assert social.attribution.startswith("Batliwala, S. (2012)")
    assert Definition.objects.get(slug="womens-movements").attribution == ""
    feminist = Definition.objects.get(term="Feminist leadership")
    assert "Barton, T." in feminist.attribution


def test_resources(content):
    per_category = {
        c: Resource.objects.filter(category=c).count() for c in Resource.Category.values
    }
    assert per_category == {"pilot-project": 5, "literature": 3, "defenders": 4}
    for resource in Resource.objects.exclude(url=""):
        assert " " not in resource.url and resource.url.startswith("http"), resource.url
    un = Resource.objects.get(slug="un-resolution-on-women-human-rights-defenders")
    assert un.url == "http://www.un.org/ga/search/view_doc.asp?symbol=A/C.3/68/L.64"
    assert (
        Resource.objects.get(slug="working-with-womens-movements").note
        == "Internal document produced for International Women’s Day 2015"
    )


def test_source_documents(content):
    care = SourceDocument.objects.get(slug=CARE)
    actionaid = SourceDocument.objects.get(slug=ACTIONAID)
    assert care.short_title == "CARE Promising Practices"
    assert actionaid.short_title == "ActionAid guidance note"
    # Neither document states a publication year or gives its own link.
    assert care.year is None and actionaid.year is None
    assert care.url == "" and actionaid.url == ""


# --- every record says where it comes from -----------------------------------------------------


@pytest.mark.parametrize("model", SOURCED_MODELS, ids=lambda m: m.__name__)
def test_every_record_names_its_source(content, model):
    assert model.objects.exists()
    assert not model.objects.filter(source__isnull=True).exists()
    assert not model.objects.filter(locator="").exists()


def test_figures_have_locators(content):
    assert Figure.objects.count() == 5
    assert not Figure.objects.filter(locator="").exists()


def test_everything_is_published(content):
    for model in (Practice, Movement, Principle):
        assert model.objects.count() == model.objects.published().count()
        assert not model.objects.exclude(status=Status.PUBLISHED).exists()


def test_tags(content):
    names = list(Tag.objects.values_list("name", flat=True))
    assert names and all(name == name.lower() for name in names)
    assert set(Practice.objects.get(slug=CAMBODIA).tags.names()) >= {"coalitions", "social media"}
    assert (
        "electoral politics"
        in Practice.objects.get(slug="grassroots-womens-leadership").tags.names()
    )
    assert Movement.objects.get(slug="swofon").tags.exists()
    assert not Principle.objects.filter(tagged_items__isnull=True).exists()


TEXT_FIELDS = {
    Practice: ["title", "summary", "body", *NARRATIVE_FIELDS],
    Movement: ["name", "description"],
    Principle: ["title", "explanation", "short_title", "short_text"],
    Finding: ["text"],
    Definition: ["text"],
    ValueAdd: ["text"],
    Resource: ["title", "note"],
}
# Editorial joins the documents do not print in one piece: the listing reads
# "Gender Action Learning Systems (GALS, Uganda)", and a resource note joins two annexe phrases.
NOT_CONTIGUOUS = [" (GALS)", "ActionAid UK. "]


def test_no_pdf_artefacts(content):
    glued_marker = re.compile(r"[a-z’][.:,](\d+|i{1,3}|iv)$|[a-z][.:](\d+|i{1,3}|iv)[A-Z ]")
    for model, fields in TEXT_FIELDS.items():
        for record in model.objects.all():
            for field in fields:
                value = getattr(record, field)
                assert "Sticky Note" not in value and "check ref" not in value
                assert "[1]" not in value
                for paragraph in value.split("\n\n"):
                    assert not glued_marker.search(paragraph.strip()), (record, field, paragraph)
                assert "  " not in value, (record, field)


# --- faithfulness: texts are the documents' own --------------------------------------------------

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # shared/ beside the repo
# Footnote markers glued to words in the PDF extraction, and what the fixtures write instead.
MARKERS = [
    ("researchii", "research"),
    ("Cambodiaiii", "Cambodia"),
    ("women.iThis", "women.This"),
    ("vloggingiv", "vlogging"),
]


def squash(text):
    return re.sub(r"\s+", "", text).casefold()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source documents not available")
def test_texts_are_quoted_from_the_documents(content):
    care = squash((SEEDS / "000_739582dff8c238ea.txt").read_text(encoding="utf-8"))
    actionaid = (SEEDS / "002_b96c9118ff325429.txt").read_text(encoding="utf-8")
    for old, new in MARKERS:
        actionaid = actionaid.replace(old, new)
    actionaid = squash(actionaid).replace("•", "")
    assert squash("Distribute power") in actionaid
    documents = {CARE: care, ACTIONAID: actionaid}
    fields = {
        **TEXT_FIELDS,
        Approach: ["name", "description"],
        Theme: ["name", "description"],
        Section: ["title"],
        Phase: ["name"],
        MemberType: ["name"],
    }
    for model, names in fields.items():
        for record in model.objects.select_related("source"):
            document = documents[record.source.slug]
            for name in names:
                value = getattr(record, name)
                for join in NOT_CONTIGUOUS:
                    value = value.replace(join, "\n\n")
                for paragraph in value.split("\n\n"):
                    assert squash(paragraph) in document, (model.__name__, record, name)
    for figure in Figure.objects.all():
        assert squash(figure.note) in actionaid


# --- loading again ------------------------------------------------------------------------------


def test_loading_again_adds_nothing(content):
    before = counts()
    out = StringIO()
    call_command("load_content", stdout=out)
    assert "0 records added" in out.getvalue()
    assert counts() == before


def test_loading_again_keeps_curators_edits(content):
    practice = Practice.objects.get(slug="souqona")
    practice.summary = "Edited by a curator."
    practice.save()
    swofon = Figure.objects.get(movement__slug="swofon", measure="members")
    swofon.note = "edited"
    swofon.save()
    call_command("load_content", stdout=StringIO())
    practice.refresh_from_db()
    swofon.refresh_from_db()
    assert practice.summary == "Edited by a curator."
    assert swofon.note == "edited"
    assert practice.countries.count() == 1


def indexed_content():
    """What a load leaves, keys and times aside: rows per table, each practice's and movement's
    search document, the links, and the words and lexemes searches look up."""
    tables = connection.introspection.table_names(include_views=False)
    # Not an FTS5 index's segments (SQLite), whose layout follows the order of the writes; its
    # documents (`_fts_docsize`) count.
    tables = [table for table in tables if not re.search(r"_fts_(data|idx)$", table)]
    with connection.cursor() as cursor:
        sizes = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            sizes[table] = cursor.fetchone()[0]
    return {
        "rows": sizes,
        "practices": set(Practice.objects.values_list("slug", "status", "search_names")),
        "movements": set(Movement.objects.values_list("slug", "search_names")),
        "principles": set(Principle.objects.values_list("slug", "search_names")),
        "countries": set(
            Practice.countries.through.objects.values_list("practice__slug", "country")
        ),
        "tags": set(Tag.objects.values_list("name", "slug")),
        "words": set(SearchWord.objects.values_list("word", flat=True)),
    }


def test_the_content_fixture_holds_what_a_real_load_gives(db, content_rows):
    # The `content` fixture inserts again the rows that one real load added (tests/conftest.py).
    with transaction.atomic():
        call_command("load_content", stdout=StringIO())
        loaded = indexed_content()
        transaction.set_rollback(True)
    insert_rows(content_rows[1])

    assert indexed_content() == loaded
    assert loaded["practices"] and loaded["words"]
