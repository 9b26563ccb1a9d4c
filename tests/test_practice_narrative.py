"""What a practice tells a staffer who wants to act on it: the narrative fields, period, partners
and links, filled from the documents only; how complete each practice is; the curators'
worklist."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.models import Status
from curation.models import PendingChange
from practices.models import Organisation, Practice
from practices.narrative import (
    NARRATIVE_FIELDS,
    Completeness,
    Partner,
    PracticeLink,
    completeness_of,
)
from tests.api_client import api_get
from tests.factories import admin_url, make_practice
from tests.test_admin import errors_in, form_data, inline_prefix, save_in_admin
from tests.test_exports import csv_rows, json_results
from tests.test_fixtures import ACTIONAID, CAMBODIA, MARKERS, NEPAL, NIGERIA, SEEDS, squash

LIST = reverse("practices:practice-list")
CNI = "child-nutrition-initiative"
FILLED = {
    NEPAL: {"context", "activities", "results", "evidence_basis"},
    CAMBODIA: {"context", "activities", "results", "evidence_basis", "lessons"},
    NIGERIA: {"activities", "results"},
    CNI: {"activities"},
}
EMPTY = {field: "" for field in NARRATIVE_FIELDS}


def complete_fields(**fields):
    """Every field completeness asks for, filled."""
    return {
        "summary": "A summary.",
        **{name: f"The {name}." for name in NARRATIVE_FIELDS},
        "start_year": 2014,
        **fields,
    }


def actionaid_document():
    text = (SEEDS / "002_b96c9118ff325429.txt").read_text(encoding="utf-8")
    for old, new in MARKERS:
        text = text.replace(old, new)
    return squash(text)


# --- the seed content: the documents' words, with locators ---------------------------------------


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source documents not available")
def test_the_actionaid_cases_hold_the_documents_words_with_locators(content):
    document = actionaid_document()
    care = squash((SEEDS / "000_739582dff8c238ea.txt").read_text(encoding="utf-8"))
    for slug, fields in FILLED.items():
        practice = Practice.objects.get(slug=slug)
        source = care if practice.source.slug != ACTIONAID else document
        filled = {name for name in NARRATIVE_FIELDS if getattr(practice, name)}
        assert filled == fields, slug
        for name in fields:
            for paragraph in getattr(practice, name).split("\n\n"):
                assert squash(paragraph) in source, (slug, name, paragraph)
            assert practice.field_locators[name], (slug, name)
    nepal = Practice.objects.get(slug=NEPAL)
    assert "two training programmes were given" in nepal.activities
    assert nepal.field_locators["activities"] == "Part 8.1"
    assert Practice.objects.get(slug=CAMBODIA).field_locators["lessons"] == "Part 8.2"
    nigeria = Practice.objects.get(slug=NIGERIA)
    assert (nigeria.start_year, nigeria.end_year) == (2012, None)
    assert nigeria.field_locators["period"] == "Box 1"
    assert "In 2012, ActionAid Nigeria helped to establish" in nigeria.activities


def test_the_other_seed_practices_leave_the_new_fields_empty(content):
    others = Practice.objects.exclude(slug__in=FILLED)
    assert others.count() == 12
    assert not others.exclude(**EMPTY).exists()
    assert not others.filter(start_year__isnull=False).exists()
    assert not others.filter(end_year__isnull=False).exists()
    assert not others.exclude(field_locators={}).exists()
    for practice in Practice.objects.filter(slug__in=FILLED):
        assert practice.end_year is None
        assert set(practice.field_locators) <= {*FILLED[practice.slug], "period"}
    assert not Partner.objects.exists()
    assert not PracticeLink.objects.exists()


# --- the practice page and its print brief ------------------------------------------------------


def test_the_page_shows_each_filled_field_under_its_heading_with_its_locator(client, content):
    html = client.get(Practice.objects.get(slug=CAMBODIA).get_absolute_url()).content.decode()
    for heading in ["Context", "What was done", "What changed", "How it is known", "Lessons"]:
        assert f">{heading}</h2>" in html
    assert ">Adapting it elsewhere</h2>" not in html
    assert "ActionAid guidance note, Part 8.2" in html
    assert "interest-based sub-groups" in html
    assert "without a description of its own" not in html
    assert 'class="badge completeness-partial"' in html


def test_a_stub_shows_no_empty_headings(client, content):
    html = client.get(reverse("practices:practice-detail", args=["souqona"])).content.decode()
    for field in NARRATIVE_FIELDS:
        assert f'id="narrative-{field}"' not in html
    assert "without a description of its own" in html
    assert ">Period</dt>" not in html and ">Partners</dt>" not in html
    assert "Original pages and reports" not in html
    assert 'class="badge completeness-stub"' in html


def test_period_partners_and_links_show_on_the_page_and_in_its_json_ld(client, db):
    practice = make_practice(start_year=2012, end_year=2014, field_locators={"period": "Box 1"})
    funder = Organisation.objects.create(name="A Fund", slug="a-fund")
    Partner.objects.create(practice=practice, organisation=funder, role=Partner.Role.FUNDER)
    PracticeLink.objects.create(practice=practice, title="Final report", url="https://x.org/r")
    html = client.get(practice.get_absolute_url()).content.decode()
    assert "2012–2014" in html and "(Box 1)" in html
    assert "A Fund</a> (funder)" in html
    assert '<a href="https://x.org/r" lang="en">Final report</a>' in html
    assert '"temporalCoverage": "2012/2014"' in html
    assert '"isBasedOn": ["https://x.org/r"]' in html


# --- validation --------------------------------------------------------------------------------


def test_the_database_refuses_a_period_out_of_order_or_implausible(db):
    for years in [(2015, 2012), (1200, None), (None, 3000)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            make_practice(start_year=years[0], end_year=years[1])


@pytest.mark.parametrize(
    "bad",
    [
        {"start_year": "2015", "end_year": "2012"},
        {"start_year": "12"},
        {"field_locators": '{"no-such-field": "Part 1"}'},
        {"field_locators": '["Part 1"]'},
        {"field_locators": "{not json"},
    ],
)
def test_the_admin_refuses_bad_periods_and_locators_and_writes_nothing(admin_client, db, bad):
    practice = make_practice(summary="Kept.")
    url = admin_url(Practice, "change", practice.pk)
    response = admin_client.post(url, form_data(admin_client.get(url), **bad, summary="Changed"))
    assert response.status_code == 200
    assert errors_in(response)
    practice.refresh_from_db()
    assert (practice.summary, practice.start_year, practice.field_locators) == ("Kept.", None, {})


# --- curation: editors propose, publishers publish, history keeps it all -----------------------


def test_an_editors_narrative_change_waits_for_review_with_a_diff(
    client, editor, publisher, content
):
    practice = Practice.objects.get(slug="souqona")
    care = Organisation.objects.get(slug="care")
    client.force_login(editor)
    page = client.get(admin_url(Practice, "change", practice.pk))
    partners, links = inline_prefix(page, Partner), inline_prefix(page, PracticeLink)
    save_in_admin(
        client,
        practice,
        lessons="Work with the cooperatives.",
        start_year="2013",
        change_reason="From the report",
        **{
            f"{partners}-TOTAL_FORMS": "1",
            f"{partners}-0-organisation": str(care.pk),
            f"{partners}-0-role": "implementer",
            f"{links}-TOTAL_FORMS": "1",
            f"{links}-0-title": "Report",
            f"{links}-0-url": "https://example.org/report",
        },
    )
    # Nothing live changed.
    assert practice.lessons == "" and practice.start_year is None
    assert not practice.partners.exists() and not practice.links.exists()
    change = PendingChange.objects.get()
    client.force_login(publisher)
    review = client.get(reverse("admin:curation_pendingchange_change", args=[change.pk]))
    html = review.content.decode()
    for shown in ["Lessons", "Work with the cooperatives.", "Start year", "2013", "Partners"]:
        assert shown in html
    assert "Report" in html
    data = {"token": review.context["form"]["token"].initial, "comment": "", "_approve": "1"}
    client.post(reverse("admin:curation_pendingchange_change", args=[change.pk]), data)
    practice.refresh_from_db()
    assert practice.lessons == "Work with the cooperatives." and practice.start_year == 2013
    assert [str(p) for p in practice.partners.all()] == ["CARE (Implementer)"]
    assert list(practice.links.values_list("url", flat=True)) == ["https://example.org/report"]
    history = client.get(admin_url(Practice, "history", practice.pk)).content.decode()
    assert "CARE (Implementer)" in history and "Lessons" in history


# --- completeness -------------------------------------------------------------------------------


def test_completeness_is_computed_from_the_fields(db):
    stub = make_practice(summary="")
    assert stub.completeness == Completeness.STUB
    practice = make_practice(**complete_fields())
    assert practice.completeness == Completeness.COMPLETE
    practice.lessons = ""
    practice.save(update_fields=["lessons"])
    practice.refresh_from_db()
    assert practice.completeness == Completeness.PARTIAL
    stub.activities = "What was done."
    stub.save()
    assert Practice.objects.get(pk=stub.pk).completeness == Completeness.PARTIAL


def test_the_seed_practices_are_stubs_or_partial(content):
    levels = dict(Practice.objects.values_list("slug", "completeness"))
    assert {slug for slug, level in levels.items() if level == "partial"} == set(FILLED)
    assert sum(level == "stub" for level in levels.values()) == 12
    assert all(completeness_of(p) == p.completeness for p in Practice.objects.all())


def test_the_completeness_facet_counts_and_filters_like_the_others(client, content):
    response = client.get(LIST, {"completeness": "partial"})
    facet = next(f for f in response.context["facets"] if f["param"] == "completeness")
    counts = {option["value"]: option["count"] for option in facet["options"]}
    assert counts == {"partial": 4, "stub": 12}  # its own selection does not narrow its counts
    titles = {p.slug for p in response.context["page"].object_list}
    assert titles == set(FILLED)
    narrowed = client.get(LIST, {"completeness": "stub", "country": "KE"})
    # Kenya's two, and "Learning for change", scoped to Eastern Africa: all stubs.
    assert len(narrowed.context["page"].object_list) == 3
    html = client.get(LIST).content.decode()
    assert html.count('class="badge completeness-stub"') == 12


def test_the_api_filters_by_completeness_and_its_detail_has_the_fields(client, content):
    listed = api_get(client, "/api/v1/practices/?completeness=partial").json()
    assert {record["slug"] for record in listed["results"]} == set(FILLED)
    assert {record["completeness"] for record in listed["results"]} == {"partial"}
    detail = api_get(client, f"/api/v1/practices/{NIGERIA}/").json()
    assert detail["start_year"] == 2012 and detail["end_year"] is None
    assert detail["activities"].startswith("In 2012, ActionAid Nigeria")
    assert detail["field_locators"]["results"] == "Box 1"
    assert detail["partners"] == [] and detail["links"] == []


@pytest.mark.parametrize("value", ["<script>", "x" * 500, "STUB", "\x00"])
def test_odd_completeness_values_never_fail(client, content, value):
    assert client.get(LIST, {"completeness": value}).status_code == 200


def test_the_list_queries_do_not_grow_with_the_practices(client, db, django_assert_max_num_queries):
    for n in range(30):
        make_practice(**(complete_fields() if n % 3 else {}))
    # 21: with the looks for kept counts (core.counts), which a database without a seed load
    # has not.
    with django_assert_max_num_queries(21):
        response = client.get(LIST, {"completeness": "complete"})
    assert len(response.context["page"].object_list) == 20


# --- exports ------------------------------------------------------------------------------------


def test_exports_end_with_the_new_columns(client, content):
    header, rows = csv_rows(client.get(LIST, {"format": "csv", "completeness": "partial"}))
    assert header[-13:] == [
        "completeness",
        *NARRATIVE_FIELDS,
        "start_year",
        "end_year",
        "partners",
        "links",
        "outcomes",  # Then the evidence app's columns (tests/test_evidence_facets.py).
        "evidence",
    ]
    nigeria = next(row for row in rows if row["slug"] == NIGERIA)
    assert nigeria["start_year"] == "2012" and nigeria["completeness"] == "partial"
    assert nigeria["results"].startswith("The movement has grown quickly")
    _columns, results = json_results(client.get(LIST, {"format": "json"}))
    cambodia = next(row for row in results if row["slug"] == CAMBODIA)
    assert cambodia["lessons"].startswith("Managing the diverse agendas")
    assert cambodia["partners"] == []


# --- the worklist --------------------------------------------------------------------------------


def test_the_worklist_says_what_each_incomplete_practice_lacks(client, editor, content):
    client.force_login(editor)
    url = reverse("admin:practices_practice_worklist")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('id="incomplete-practices"')[1].split("</table>")[0]
    rows = re.findall(r"<th scope=\"row\"><a [^>]+>([^<]+)</a></th>", table)
    assert "Souqona" in rows and len(rows) == 16
    souqona = re.search(r">Souqona</a></th>\s*<td>Stub</td>\s*<td>([^<]+)</td>", html)
    assert "summary" in souqona.group(1) and "what was done" in souqona.group(1)
    nigeria = re.search(r">Catalysing[^<]+</a></th>\s*<td>Partial</td>\s*<td>([^<]+)</td>", html)
    assert "what was done" not in nigeria.group(1) and "lessons" in nigeria.group(1)
    assert 'id="unillustrated-principles"' in html
    assert 'id="unassessed-outcomes"' in html
    # It is in the admin's menu, under Review.
    index = client.get(reverse("admin:index")).content.decode()
    assert url in index


def test_the_worklist_lists_principles_without_practices_and_unassessed_outcomes(
    client, editor, db
):
    from guidance.models import Principle
    from tests.test_admin import make_principle
    from tests.test_evidence_models import make_assessment, make_outcome

    make_principle(title="Listen first", status=Status.PUBLISHED)
    illustrated = make_principle(title="Share power", slug="share-power", order=2)
    illustrated.practices.add(make_practice())
    assessed = make_outcome("assessed-outcome")
    make_assessment(outcome=assessed)
    make_outcome("lonely-outcome")
    client.force_login(editor)
    html = client.get(reverse("admin:practices_practice_worklist")).content.decode()
    principles = html.split('id="unillustrated-principles"')[1].split("</div>")[0]
    assert "Listen first" in principles and "Share power" not in principles
    outcomes = html.split('id="unassessed-outcomes"')[1].split("</div>")[0]
    assert "Lonely Outcome" in outcomes and "Assessed Outcome" not in outcomes
    assert Principle.objects.count() == 2


def test_the_worklist_is_for_curators_only(client, db):
    url = reverse("admin:practices_practice_worklist")
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
