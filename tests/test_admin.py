"""The curators' admin: every page opens, filters, search, autocomplete, inline links, bulk
actions, validation messages and "updated by"."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from core.models import Status
from guidance.models import Principle, Section
from movements.models import Figure, Movement
from practices.models import Country, Practice
from tests.factories import admin_url, make_approach, make_organisation, make_practice, member_of


class _FormFields(HTMLParser):
    """Collects what a browser would submit from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.fields = []
        self.in_form = False
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self.in_form = True
        name = attrs.get("name") or ""
        if not self.in_form or "__prefix__" in name:
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "reset", "image", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = {"name": name, "first": None, "chosen": False}
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.fields.append((self.select["name"], value))
                self.select["chosen"] = True
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            if not self.select["chosen"] and self.select["first"] is not None:
                self.fields.append((self.select["name"], self.select["first"]))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data


def form_data(response, **changes):
    """The admin form of `response` as a browser would post it, with `changes` applied (a list
    for a multiple choice)."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


# The admin pages of the knowledge base, which curators use.
CONTENT_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"practices", "movements", "guidance", "taggit"}
]


def make_movement(**fields):
    return Movement.objects.create(
        **{"name": "Women's Land Network", "slug": "womens-land-network", **fields}
    )


def make_principle(**fields):
    section, _ = Section.objects.get_or_create(
        slug="listen", defaults={"number": "7.1", "title": "Listen"}
    )
    return Principle.objects.create(
        **{"section": section, "title": "Follow their lead", "slug": "follow-their-lead", **fields}
    )


def changelist_titles(response):
    return {str(record) for record in response.context["cl"].result_list}


def errors_in(response):
    """Every validation message shown on the admin form page."""
    adminform = response.context["adminform"]
    messages = [*adminform.form.non_field_errors()]
    for field_errors in adminform.form.errors.values():
        messages.extend(field_errors)
    for formset in response.context["inline_admin_formsets"]:
        for form_errors in formset.formset.errors:
            for field_errors in form_errors.values():
                messages.extend(field_errors)
        messages.extend(formset.formset.non_form_errors())
    return messages


def inline_prefix(response, model):
    """The form prefix of the inline of `model` on an admin form page."""
    formsets = response.context["inline_admin_formsets"]
    return next(f.formset.prefix for f in formsets if f.formset.model is model)


def save_in_admin(client, record, **fields):
    """Post `record`'s admin form with `fields` changed, as the signed-in user: the save must go
    through (a redirect). Returns the response; `record` is read again."""
    url = admin_url(type(record), "change", record.pk)
    response = client.post(url, form_data(client.get(url), **fields))
    assert response.status_code == 302, errors_in(response)
    record.refresh_from_db()
    return response


# Every page opens.


def test_every_changelist_and_add_page_opens_for_a_superuser(admin_client, content):
    assert len(CONTENT_MODELS) >= 18
    for model in CONTENT_MODELS:
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200, model
        assert admin_client.get(admin_url(model, "add")).status_code == 200, model


@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_each_role_opens_the_pages_its_permissions_allow(client, content, role):
    user = member_of(role)
    client.force_login(user)
    viewable = 0
    for model in [*CONTENT_MODELS, get_user_model(), Group]:
        label = f"{model._meta.app_label}.%s_{model._meta.model_name}"
        changelist = client.get(admin_url(model, "changelist"))
        add = client.get(admin_url(model, "add"))
        assert changelist.status_code == (200 if user.has_perm(label % "view") else 403), model
        assert add.status_code == (200 if user.has_perm(label % "add") else 403), model
        viewable += user.has_perm(label % "view")
    assert viewable >= 18


def test_change_pages_and_history_open_for_an_editor(client, content, editor):
    client.force_login(editor)
    for record in [Practice.objects.first(), Movement.objects.first(), Principle.objects.first()]:
        assert client.get(admin_url(type(record), "change", record.pk)).status_code == 200
        assert client.get(admin_url(type(record), "history", record.pk)).status_code == 200


# Finding records.


def test_practice_list_filters_by_status_theme_approach_country_organisation_and_tag(
    admin_client, db
):
    approach = make_approach()
    other_approach = make_approach()
    kenya = Country.objects.get(code="KE")
    care = make_organisation(name="CARE")
    wanted = make_practice(
        title="Wanted", approach=approach, countries=[kenya], organisations=[care], tags=["land"]
    )
    make_practice(title="Other", approach=other_approach, status=Status.DRAFT)
    url = admin_url(Practice, "changelist")
    filters = [
        {"status__exact": "published"},
        {"approach__theme__id__exact": approach.theme_id},
        {"approach__id__exact": approach.pk},
        {"countries__code__exact": "KE"},
        {"organisations__id__exact": care.pk},
        {"tags__id__exact": wanted.tags.get().pk},
    ]
    for query in filters:
        response = admin_client.get(url, query)
        assert response.status_code == 200
        assert changelist_titles(response) == {"Wanted"}, query
    assert changelist_titles(admin_client.get(url, {"status__exact": "draft"})) == {"Other"}


def test_practice_list_offers_the_filters(admin_client, db):
    make_practice(
        tags=["land"],
        countries=[Country.objects.get(code="KE")],
        approach=make_approach(),
        organisations=[make_organisation()],
    )
    make_practice(approach=make_approach())  # a filter with a single choice is not offered
    response = admin_client.get(admin_url(Practice, "changelist"))
    titles = {str(spec.title).lower() for spec in response.context["cl"].filter_specs}
    assert {"status", "theme", "approach", "countries", "organisations", "tags"} <= titles


def test_search_finds_a_practice_by_organisation_acronym(admin_client, db):
    make_practice(title="Found", organisations=[make_organisation(acronym="WILPF")])
    make_practice(title="Not found")
    response = admin_client.get(admin_url(Practice, "changelist"), {"q": "WILPF"})
    assert changelist_titles(response) == {"Found"}


def test_every_related_field_of_a_curated_record_uses_autocomplete():
    for model_admin in admin.site._registry.values():
        if not hasattr(model_admin, "history_related"):
            continue
        for field in [*model_admin.model._meta.fields, *model_admin.model._meta.many_to_many]:
            if field.is_relation and field.editable and field.name != "tags":
                assert field.name in model_admin.autocomplete_fields, (model_admin, field.name)
        for inline in model_admin.inlines:
            for field in inline.model._meta.fields:
                if field.is_relation and field.related_model is not model_admin.model:
                    assert field.name in inline.autocomplete_fields, (inline, field.name)


def test_autocomplete_answers_an_editor(client, editor):
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "practices",
            "model_name": "practice",
            "field_name": "countries",
            "term": "ken",
        },
    )
    assert response.status_code == 200
    assert {"id": "KE", "text": "Kenya"} in response.json()["results"]


# Editing links inline.


def test_practice_page_links_movements_and_principles_inline(admin_client, db):
    practice = make_practice(countries=[Country.objects.get(code="KE")])
    movement = make_movement()
    principle = make_principle()
    url = admin_url(Practice, "change", practice.pk)
    page = admin_client.get(url)
    data = form_data(page)
    movement_prefix = inline_prefix(page, Movement.practices.through)
    principle_prefix = inline_prefix(page, Principle.practices.through)
    data.update(
        {
            f"{movement_prefix}-TOTAL_FORMS": ["1"],
            f"{movement_prefix}-0-movement": [str(movement.pk)],
            f"{principle_prefix}-TOTAL_FORMS": ["1"],
            f"{principle_prefix}-0-principle": [str(principle.pk)],
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(practice.movements.all()) == [movement]
    assert list(practice.principles.all()) == [principle]


def test_movement_page_lists_its_figures_and_principles_inline(admin_client, db):
    movement = make_movement()
    response = admin_client.get(admin_url(Movement, "change", movement.pk))
    models = [formset.formset.model for formset in response.context["inline_admin_formsets"]]
    assert models == [Figure, Principle.movements.through]


# Bulk actions.


def test_publisher_publishes_and_unpublishes_in_bulk(client, publisher):
    drafts = [make_practice(status=Status.DRAFT), make_practice(status=Status.DRAFT)]
    client.force_login(publisher)
    url = admin_url(Practice, "changelist")
    selected = [str(practice.pk) for practice in drafts]
    response = client.post(url, {"action": "publish", "_selected_action": selected}, follow=True)
    assert "2 records are now published." in response.content.decode()
    assert set(Practice.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    client.post(url, {"action": "unpublish", "_selected_action": selected[:1]})
    assert Practice.objects.get(pk=drafts[0].pk).status == Status.DRAFT
    assert Practice.objects.get(pk=drafts[1].pk).status == Status.PUBLISHED


def test_add_a_tag_asks_for_the_tag_then_tags_every_selected_record(client, editor):
    # Drafts: on published records an editor's tag waits for review (tests/test_moderation.py).
    practices = [
        make_practice(tags=["land"], status=Status.DRAFT),
        make_practice(status=Status.DRAFT),
    ]
    client.force_login(editor)
    url = admin_url(Practice, "changelist")
    selected = [str(practice.pk) for practice in practices]
    page = client.post(url, {"action": "add_tag", "_selected_action": selected})
    assert page.status_code == 200
    assert 'name="tag"' in page.content.decode()
    response = client.post(
        url, {"action": "add_tag", "_selected_action": selected, "tag": "water", "apply": "1"}
    )
    assert response.status_code == 302
    for practice in practices:
        assert "water" in practice.tags.names()
    assert set(practices[0].tags.names()) == {"land", "water"}


def test_bulk_actions_apply_to_movements_and_principles_too(client, publisher):
    movement = make_movement()
    principle = make_principle()
    client.force_login(publisher)
    for record in [movement, principle]:
        url = admin_url(type(record), "changelist")
        client.post(url, {"action": "publish", "_selected_action": [record.pk]})
        client.post(
            url, {"action": "add_tag", "_selected_action": [record.pk], "tag": "care", "apply": "1"}
        )
        record.refresh_from_db()
        assert record.status == Status.PUBLISHED
        assert list(record.tags.names()) == ["care"]


# Validation messages.


def test_a_duplicate_slug_is_refused_with_a_message(admin_client, db):
    make_practice(slug="women-lead")
    page = admin_client.get(admin_url(Practice, "add"))
    data = form_data(page, title="Women lead", slug="women-lead", scope="global")
    response = admin_client.post(admin_url(Practice, "add"), data)
    assert response.status_code == 200
    assert "Practice with this Slug already exists." in errors_in(response)
    assert Practice.objects.count() == 1


def test_a_practice_needs_countries_or_a_wide_scope(admin_client, db):
    page = admin_client.get(admin_url(Practice, "add"))
    response = admin_client.post(
        admin_url(Practice, "add"),
        form_data(page, title="Nowhere", slug="nowhere", scope="national"),
    )
    message = "Give the countries or a scope (global, regional, multi-country)."
    assert message in errors_in(response)
    assert message in response.content.decode()
    response = admin_client.post(
        admin_url(Practice, "add"),
        form_data(page, title="Everywhere", slug="everywhere", scope="global"),
    )
    assert response.status_code == 302
    response = admin_client.post(
        admin_url(Practice, "add"),
        form_data(page, title="In Kenya", slug="in-kenya", scope="national", countries=["KE"]),
    )
    assert response.status_code == 302


def test_a_founding_year_in_the_future_is_refused(admin_client, db):
    page = admin_client.get(admin_url(Movement, "add"))
    data = form_data(page, name="Tomorrow", slug="tomorrow", founded_year="2099")
    response = admin_client.post(admin_url(Movement, "add"), data)
    assert "The founding year cannot be in the future." in errors_in(response)
    assert not Movement.objects.exists()


def test_negative_figures_and_future_figure_years_are_refused(admin_client, db):
    movement = make_movement()
    url = admin_url(Movement, "change", movement.pk)
    page = admin_client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    figure = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-0-measure": "members"}
    negative = form_data(page, **figure, **{f"{prefix}-0-value": "-5"})
    assert "A figure cannot be negative." in errors_in(admin_client.post(url, negative))
    future = form_data(page, **figure, **{f"{prefix}-0-value": "5", f"{prefix}-0-year": "2099"})
    assert "The year of a figure cannot be in the future." in errors_in(
        admin_client.post(url, future)
    )
    assert not Figure.objects.exists()


# Who changed it last.


def test_the_list_and_the_form_show_who_updated_each_record(client, admin_client, editor):
    # A draft: an editor's change to it is saved at once (a published one waits for review).
    practice = make_practice(countries=[Country.objects.get(code="KE")], status=Status.DRAFT)
    client.force_login(editor)
    url = admin_url(Practice, "change", practice.pk)
    assert client.post(url, form_data(client.get(url), summary="New summary.")).status_code == 302
    response = admin_client.get(admin_url(Practice, "changelist"))
    assert "updated by" in response.content.decode().lower()
    assert response.context["cl"].result_list[0].last_editor == "editor"
    assert '<div class="readonly">editor</div>' in admin_client.get(url).content.decode()
