"""Tag names with quotes, commas and spaces survive the tag field: shown in the form and read
back, on an unchanged save in the admin, they are the same names."""

import pytest
from django.contrib.auth import get_user_model
from hypothesis import given
from hypothesis import strategies as st
from taggit.forms import TagField, TagWidget
from taggit.models import Tag

from practices.models import Country, Practice
from tests.factories import make_practice
from tests.test_admin import admin_url, form_data

AWKWARD = ['say "no" to violence', "women, peace and security", "land rights", "land"]


def round_trip(names):
    """The names as the tag field shows them, then as it reads them back."""
    text = TagWidget().format_value([Tag(name=name) for name in names])
    return text, TagField(required=False).clean(text)


def test_names_with_quotes_commas_and_spaces_survive_the_tag_field():
    text, names = round_trip(AWKWARD)
    assert text == 'land, land rights, "say ""no"" to violence", "women, peace and security"'
    assert names == sorted(AWKWARD)
    tags = [Tag(name=name) for name in AWKWARD]
    assert not TagField().has_changed(tags, text)


@pytest.mark.parametrize(
    "typed, names",
    [
        ("land, water", ["land", "water"]),
        ("land rights", ["land rights"]),  # commas separate, spaces do not
        ('say "no" to violence', ['say "no" to violence']),
        ('"women, peace and security", land', ["land", "women, peace and security"]),
        (" land ,, water, land ", ["land", "water"]),
        ("", []),
    ],
)
def test_what_a_curator_types_is_read_as_comma_separated_names(typed, names):
    assert TagField(required=False).clean(typed) == names


tag_name = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    min_size=1,
    max_size=100,
).filter(str.strip)


@given(st.lists(tag_name, max_size=6, unique=True))
def test_any_tag_names_survive_the_tag_field(names):
    assert round_trip(names)[1] == sorted(names)


def test_an_unchanged_save_in_the_admin_keeps_every_tag_name(client, db):
    practice = make_practice(tags=AWKWARD, countries=[Country.objects.get(code="KE")])
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "pw"))
    url = admin_url(Practice, "change", practice.pk)
    page = client.get(url)
    # Each tag is an option of its own, quotes and commas in its name.
    assert "say &quot;no&quot; to violence</option>" in page.content.decode()
    assert "women, peace and security</option>" in page.content.decode()

    response = client.post(url, form_data(page))

    assert response.status_code == 302
    assert sorted(practice.tags.names()) == sorted(AWKWARD)
    assert Tag.objects.count() == len(AWKWARD)  # no tag split into new ones
