"""The admin as curators use it: a menu grouped into records, vocabularies and review (the site's
own tables for superusers only), tags suggested from those that exist, choices named the way
curators tell records apart, errors beside their fields, and a changelist whose columns fit."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from taggit.models import Tag

from core.models import Status
from guidance.models import Principle, Section
from movements.models import Movement
from practices.models import Country, Practice, Region
from tests.factories import admin_url, make_practice
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


def menu(response):
    """The menu's groups and, in each, the names of its models, as the index page lists them."""
    html = response.content.decode()
    groups = {}
    for caption, body in re.findall(
        r"<caption>\s*(?:<span class=\"section\">|<a [^>]*>)([^<]+)<.*?</caption>(.*?)</table>",
        html,
        re.S,
    ):
        groups[caption.strip()] = re.findall(
            r'<th scope="row"[^>]*>\s*<a href="[^"]+"[^>]*>([^<]+)<', body
        )
    return groups


def test_an_editor_sees_records_vocabularies_and_review_and_not_the_sites_tables(client, editor):
    client.force_login(editor)
    groups = menu(client.get(reverse("admin:index")))
    assert list(groups) == [
        "Records",
        "Vocabularies",
        "Evidence",
        "Parts of the guidance note",
        "Review",
    ]
    assert groups["Evidence"] == ["Evidence assessments", "Outcomes", "Studies"]
    assert groups["Records"] == ["Movements", "Practices", "Principles"]
    assert {"Organisations", "Tags", "Themes", "Approaches", "Countries"} <= set(
        groups["Vocabularies"]
    )
    assert "Sections" in groups["Parts of the guidance note"]
    assert "Changes awaiting review" in groups["Review"]
    every_model = {name for names in groups.values() for name in names}
    assert not every_model & {"Users", "Groups", "Access attempts", "Access logs"}


def test_a_superuser_finds_the_sites_own_tables_last_under_site_administration(admin_client):
    groups = menu(admin_client.get(reverse("admin:index")))
    assert list(groups)[-1] == "Site administration"
    assert {"Users", "Groups", "Access attempts", "Access failures"} <= set(
        groups["Site administration"]
    )


def test_every_link_in_the_menu_and_each_apps_own_page_opens(client, editor, admin_client):
    client.force_login(editor)
    for user_client in (client, admin_client):
        html = user_client.get(reverse("admin:index")).content.decode()
        links = set(re.findall(r'<th scope="row"[^>]*>\s*<a href="([^"]+)"', html))
        assert len(links) > 15
        for link in links:
            assert user_client.get(link).status_code == 200, link
    # Breadcrumbs still lead to each app's own page, which lists that app's models.
    for app, model in [("practices", "Organisations"), ("guidance", "Principles")]:
        response = admin_client.get(reverse("admin:app_list", args=[app]))
        assert response.status_code == 200
        assert model in response.content.decode()


def test_the_site_is_named_for_curators(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Practice Atlas curation" in html
    assert "Django administration" not in html


# Tags: chosen from those that exist, new ones still possible.


def test_tag_choices_are_the_existing_tags_that_match(client, editor, content):
    client.force_login(editor)
    leadership = ["feminist leadership", "women's leadership"]
    assert autocomplete(client, Practice, "tags", "lead") == leadership
    assert autocomplete(client, Practice, "tags", "LEAD") == leadership
    assert autocomplete(client, Movement, "tags", "lead") == leadership
    assert autocomplete(client, Practice, "tags", "zzz") == []


def test_tag_choices_need_a_curator(client, content):
    params = {"term": "lead", "app_label": "practices", "model_name": "practice"}
    response = client.get(reverse("admin:autocomplete"), {**params, "field_name": "tags"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(get_user_model().objects.create_user("visitor", password="pw-123-visitor"))
    response = client.get(reverse("admin:autocomplete"), {**params, "field_name": "tags"})
    assert response.status_code == 302


def test_tags_are_chosen_and_new_ones_typed_beside_them(client, editor, content):
    practice = make_practice(
        countries=[Country.objects.get(code="KE")],
        tags=["networks", "women's leadership"],
        status=Status.DRAFT,
    )
    client.force_login(editor)
    url = admin_url(Practice, "change", practice.pk)
    page = client.get(url)
    html = page.content.decode()
    field = re.search(r'<select name="tags"[^>]*>.*?</select>', html, re.S).group(0)
    assert 'class="admin-autocomplete' in field and 'data-field-name="tags"' in field
    # The chosen tags are the selected options, apostrophes and all, so saving keeps them.
    assert sorted(re.findall(r'<option value="\d+" selected>([^<]+)</option>', field)) == [
        "networks",
        "women&#x27;s leadership",
    ]
    assert html.index('name="tags"') < html.index('name="new_tags"') < html.index('name="scope"')
    assert "A comma-separated list of tags." not in html

    # Saved as shown: nothing is lost.
    assert client.post(url, form_data(page)).status_code == 302
    assert sorted(practice.tags.names()) == ["networks", "women's leadership"]

    safe_cities = Tag.objects.get(name="safe cities")
    data = form_data(
        client.get(url),
        tags=[str(Tag.objects.get(name="networks").pk), str(safe_cities.pk)],
        new_tags="a tag nobody used, Networks",
    )
    assert client.post(url, data).status_code == 302
    assert sorted(practice.tags.names()) == ["a tag nobody used", "networks", "safe cities"]
    assert Tag.objects.filter(name="a tag nobody used").count() == 1


def test_forged_choices_are_refused_and_nothing_is_saved(client, editor, content):
    practice = make_practice(
        countries=[Country.objects.get(code="KE")], tags=["networks"], status=Status.DRAFT
    )
    client.force_login(editor)
    url = admin_url(Practice, "change", practice.pk)
    forged = {"tags": ["999999", "x'; drop"], "organisations": ["x"], "approach": "y"}
    response = client.post(url, form_data(client.get(url), **forged))
    assert response.status_code == 200
    assert {"tags", "organisations", "approach"} <= set(response.context["adminform"].form.errors)
    assert sorted(practice.tags.names()) == ["networks"]
    assert list(practice.organisations.all()) == []


@pytest.mark.parametrize(
    ("model", "field"),
    [(Country, "region"), (Section, "source"), (Region, "parent")],
)
def test_a_forged_choice_on_the_sites_own_tables_is_refused_not_a_500(
    client, admin_user, content, model, field
):
    """The admins outside the record types (countries, regions, guidance sections) refuse a
    key that is not a number with the form's message, as the records' admins do."""
    record = model.objects.exclude(**{field: None}).first()
    before = getattr(record, f"{field}_id")
    client.force_login(admin_user)
    url = admin_url(model, "change", record.pk)
    response = client.post(url, form_data(client.get(url), **{field: "x'; drop"}))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    record.refresh_from_db()
    assert getattr(record, f"{field}_id") == before


# Choices named the way curators tell records apart.


def autocomplete(client, source, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": source._meta.app_label,
            "model_name": source._meta.model_name,
            "field_name": field_name,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_movement_choices_show_acronym_and_countries(client, editor, content):
    client.force_login(editor)
    assert autocomplete(client, Principle, "movements", "SWOFON") == [
        "Small Scale Women Farmers Organisation in Nigeria (SWOFON; Nigeria)"
    ]


def test_principle_choices_show_their_section_number(client, editor, content):
    client.force_login(editor)
    through = Principle.practices.through
    section = Section.objects.get(number="7.2")
    principle = section.principles.first()
    texts = autocomplete(client, through, "principle", principle.title[:25])
    assert f"7.2 {principle.title}" in texts


def test_a_linked_movement_and_principle_are_shown_with_those_names_on_the_form(
    admin_client, content
):
    movement = Movement.objects.get(acronym="SWOFON")
    principle = Section.objects.get(number="7.3").principles.first()
    practice = movement.practices.first() or Practice.objects.first()
    movement.practices.add(practice)
    principle.practices.add(practice)
    html = admin_client.get(admin_url(Practice, "change", practice.pk)).content.decode()
    assert "Small Scale Women Farmers Organisation in Nigeria (SWOFON; Nigeria)</option>" in html
    assert f"7.3 {principle.title}</option>" in html


# Errors beside their fields; a changelist that fits.


def test_a_practice_without_place_is_refused_with_the_error_beside_the_scope(
    client, editor, content
):
    practice = make_practice(
        countries=[Country.objects.get(code="KE")], status=Status.DRAFT, scope="national"
    )
    client.force_login(editor)
    url = admin_url(Practice, "change", practice.pk)
    response = client.post(url, form_data(client.get(url), countries=[], scope="national"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == []
    assert "Give the countries or a scope" in str(form.errors["scope"])
    html = response.content.decode()
    scope_row = re.search(r'<div class="form-row[^"]*field-scope\b.*?</div>\s*</div>', html, re.S)
    assert "Give the countries or a scope" in scope_row.group(0)
    assert list(Practice.objects.get(pk=practice.pk).countries.values_list("code", flat=True)) == [
        "KE"
    ]


def test_the_practice_list_shows_status_next_to_the_title_and_the_day_of_the_last_change(
    admin_client, content
):
    response = admin_client.get(admin_url(Practice, "changelist"))
    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', response.content.decode())
    assert columns[:2] == ["title", "status"]
    assert columns[-2:] == ["updated_on", "updated_by"]
