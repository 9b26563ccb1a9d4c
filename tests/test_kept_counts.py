"""The practice list's facet counts are kept in the database as records change (core.counts): a
page reads them instead of counting 100,000 practices, and after every kind of write they are
what counting afresh gives."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from core.counts import counts_of, kept_counts, recount_all, stale, values_of
from core.keys import keyed
from core.models import FacetCount, RecordValues, Status
from core.records import counted_facets, record_type
from evidence.models import Assessment, Outcome
from evidence.rubric import Direction, Level
from movements.models import Movement
from practices.filters import PracticeFilter
from practices.models import Approach, Country, Practice, Region
from tests.factories import admin_url, make_practice, make_theme, member_of
from tests.test_admin import form_data

pytestmark = pytest.mark.usefixtures("content")
PRACTICE, MOVEMENT = "practices.practice", "movements.movement"


def kept(label=PRACTICE):
    counts = kept_counts(counted_facets(label), record_type(label).published())
    return {param: [(value, n) for value, _label, n in found] for param, found in counts.items()}


def live(label=PRACTICE):
    published = record_type(label).published()
    return {
        facet.param: [(value, n) for value, _label, n in facet.counts(published)]
        for facet in counted_facets(label)
    }


def assert_kept_as_counted(label=PRACTICE):
    found = kept(label)
    assert found, "the counts are not kept"
    assert found == live(label)
    stored = RecordValues.objects.filter(record_type=label)
    assert {row.record_id: set(row.values) for row in stored} == values_of(
        label, record_type(label).published()
    )


def a_practice():
    return Practice.objects.published().filter(countries__isnull=False).order_by("slug").first()


def test_the_seed_load_keeps_the_counts_of_every_facet():
    found = kept()
    assert set(found) == {facet.param for facet in PracticeFilter.all_facets()}
    assert found["theme"] and found["country"] and found["tag"]
    assert_kept_as_counted()


def test_links_added_and_removed_from_either_end():
    practice = a_practice()
    peru, kenya = Country.objects.get(code="PE"), Country.objects.get(code="KE")
    practice.countries.add(peru)
    assert_kept_as_counted()
    kenya.practices.add(practice)
    assert_kept_as_counted()
    practice.countries.remove(peru)
    assert_kept_as_counted()
    practice.countries.clear()
    assert_kept_as_counted()
    practice.tags.add("a new tag")
    assert_kept_as_counted()
    practice.tags.set(["another tag"])
    assert_kept_as_counted()
    practice.organisations.clear()
    assert_kept_as_counted()


def test_a_record_published_edited_withdrawn_and_deleted():
    kenya = Country.objects.get(code="KE")
    draft = make_practice(countries=[kenya], tags=["drafted"], status=Status.DRAFT)
    assert_kept_as_counted()
    draft.status = Status.PUBLISHED
    draft.save()
    assert_kept_as_counted()
    draft.approach = Approach.objects.order_by("slug").last()
    draft.scope = "regional"
    draft.scope_region = Region.objects.get(slug="eastern-africa")
    draft.save()
    assert_kept_as_counted()
    draft.status = Status.WITHDRAWN
    draft.save()
    assert_kept_as_counted()
    draft.status = Status.PUBLISHED
    draft.save()
    draft.delete()
    assert_kept_as_counted()


def test_rows_of_a_record_move_its_counts():
    practice = a_practice()
    outcome = Outcome.objects.order_by("slug").first()
    assessment = Assessment.objects.create(
        practice=practice, outcome=outcome, level=Level.PRACTICE_BASED, direction=Direction.POSITIVE
    )
    assert_kept_as_counted()
    assessment.confirm(member_of("Publisher"))
    assessment.save()  # confirmed: the evidence facets count it from now on
    assert_kept_as_counted()
    assert dict(kept()["evidence"]).get(Level.PRACTICE_BASED)
    assessment.delete()
    assert_kept_as_counted()


def test_what_values_stand_for_moved_or_deleted():
    approach = Approach.objects.filter(practices__status=Status.PUBLISHED).first()
    approach.theme = make_theme()
    approach.save()
    assert_kept_as_counted()
    kenya = Country.objects.get(code="KE")
    kenya.region = Region.objects.get(slug="western-africa")
    kenya.save()
    assert_kept_as_counted()
    Tag.objects.filter(pk__in=a_practice().tags.values("pk")).delete()
    assert_kept_as_counted()


def test_writes_rolled_back_leave_the_counts_as_they_were():
    before = kept()
    with transaction.atomic():
        make_practice(countries=[Country.objects.get(code="KE")], tags=["rolled back"])
        assert kept() != before
        transaction.set_rollback(True)
    assert kept() == before


def test_a_raw_load_leaves_them_to_be_counted_afresh(tmp_path):
    practice = a_practice()
    fixture = tmp_path / "one.json"
    with fixture.open("w") as out:
        call_command("dumpdata", "practices.practice", pks=str(practice.pk), stdout=out)
    Practice.objects.filter(pk=practice.pk).update(status=Status.DRAFT)  # as no signal says

    call_command("loaddata", str(fixture), verbosity=0)

    assert kept() == {}  # stale: the list counts afresh
    assert not FacetCount.objects.filter(record_type="practices.practice", facet="").exists()
    recount_all()
    assert_kept_as_counted()


def test_a_publisher_saving_the_admin_form_moves_the_counts(client):
    client.force_login(member_of("Publisher"))
    practice = make_practice(countries=[Country.objects.get(code="KE")])
    url = admin_url(Practice, "change", practice.pk)
    peru = str(Country.objects.get(code="PE").pk)
    approach = str(Approach.objects.order_by("slug").last().pk)
    data = form_data(client.get(url), countries=[peru], approach=approach)

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    practice.refresh_from_db()
    assert str(practice.approach_id) == approach
    assert list(practice.countries.values_list("code", flat=True)) == ["PE"]
    assert_kept_as_counted()


def test_the_list_reads_the_kept_counts_and_shows_a_change_at_once(client):
    kenya = Country.objects.get(code="KE")
    before = dict(kept()["country"])["KE"]
    make_practice(countries=[kenya])

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/practices/")

    kenya_option = next(
        option
        for facet in response.context["facets"]
        if facet["param"] == "country"
        for option in facet["options"]
        if option["value"] == "KE"
    )
    assert kenya_option["count"] == before + 1
    grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    assert not any("practices_practice_countries" in sql for sql in grouped)


def without_labels(counts):
    return {param: [(value, n) for value, _label, n in found] for param, found in counts.items()}


@pytest.mark.parametrize(
    "records",
    [
        lambda: Practice.objects.published().filter(countries__code="KE"),
        lambda: Practice.objects.published().filter(tags__isnull=False).distinct(),
        lambda: Practice.objects.published().filter(scope="regional"),
    ],
)
def test_a_filtered_set_is_counted_from_the_kept_values(records):
    facets = PracticeFilter.all_facets()
    records = Practice.objects.filter(pk__in=list(records().values_list("pk", flat=True)))

    from_values = counts_of(facets, keyed(records))

    assert set(from_values) == {facet.param for facet in facets}
    assert without_labels(from_values) == {
        facet.param: [(value, n) for value, _label, n in facet.counts(records)] for facet in facets
    }


@pytest.mark.parametrize("query", ["?tag={tag}", "?q=women", "?country=KE&theme={theme}"])
def test_filtered_and_searched_lists_show_what_counting_afresh_shows(client, query):
    published = Practice.objects.published()
    tagged = published.filter(tags__isnull=False).values_list("tags__slug", flat=True)
    themed = published.filter(countries__code="KE", approach__isnull=False)
    url = "/practices/" + query.format(
        tag=tagged.first(), theme=themed.values_list("approach__theme__slug", flat=True).first()
    )
    with CaptureQueriesContext(connection) as captured:
        kept_page = client.get(url)
    grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    totals = [q["sql"] for q in captured.captured_queries if '"__count"' in q["sql"]]
    keys = 'SELECT "practices_practice"."id" AS "pk" FROM "practices_practice"'
    key_reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(keys)]
    stale([PRACTICE])
    afresh = client.get(url)

    assert kept_page.status_code == afresh.status_code == 200
    assert kept_page.context["facets"] == afresh.context["facets"]
    assert kept_page.context["page"].paginator.count == afresh.context["page"].paginator.count
    # One query counted every facet not in force, from the records' values; a facet in force
    # is counted with the others' filters alone, on its own when no other facet shares them.
    assert sum("GROUP BY v.value" in sql for sql in grouped) == 1
    if "&" not in query:
        assert len(grouped) == 1
    if query.startswith("?tag"):  # narrowed to one value: its kept count is the list's
        assert totals == []
        # Its records' keys are read once, in order: for the page and for the facets.
        assert len(key_reads) == 1


def test_a_record_saved_again_as_a_copy_is_counted():
    practice = make_practice(countries=[Country.objects.get(code="KE")])
    practice.summary = "A new summary: nothing counted moves."
    practice.save()
    practice.pk, practice.slug = None, "a-copy"  # the same object, saved as a new record
    practice.save()
    assert_kept_as_counted()


def test_the_movement_list_keeps_its_counts_as_movements_and_places_change():
    assert_kept_as_counted(MOVEMENT)
    movement = Movement.objects.published().filter(countries__isnull=False).order_by("slug")[0]
    movement.countries.add(Country.objects.get(code="PE"))
    assert_kept_as_counted(MOVEMENT)
    movement.tags.add("a movement's new tag")
    assert_kept_as_counted(MOVEMENT)
    kenya = Country.objects.get(code="KE")
    kenya.region = Region.objects.get(slug="western-africa")
    kenya.save()
    assert_kept_as_counted(MOVEMENT)
    movement.status = Status.DRAFT
    movement.save()
    assert_kept_as_counted(MOVEMENT)


@pytest.mark.parametrize(
    "query", ["", "?region=africa", "?kind=network", "?region=eastern-africa&kind=network"]
)
def test_the_movement_list_shows_what_counting_afresh_shows(client, query):
    with CaptureQueriesContext(connection) as captured:
        kept_page = client.get("/movements/" + query)
    grouped = [q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"]]
    totals = [q["sql"] for q in captured.captured_queries if '"__count"' in q["sql"]]
    stale([MOVEMENT])
    afresh = client.get("/movements/" + query)

    assert kept_page.status_code == afresh.status_code == 200
    assert kept_page.context["facets"] == afresh.context["facets"]
    assert kept_page.context["page"].paginator.count == afresh.context["page"].paginator.count
    if query.count("=") <= 1:  # kept counts; a facet in force counts with the others' filters
        assert not any("movements_movement_countries" in sql for sql in grouped)
    if query.count("=") == 1:  # narrowed to one value: its kept count is the list's
        assert totals == []
