"""Rows without a slug of their own (taggings, partners, links, figures, assessments, regions)
are named in fixtures and knowledge-base files by their natural key, and found again by it."""

import pytest
from django.apps import apps

from core.models import KeyedByLookups
from practices.models import Partner, PracticeLink
from tests.factories import make_organisation, make_practice

KEYED = {
    "practices.region": ("code",),
    "practices.partner": ("practice__slug", "organisation__slug", "role"),
    "practices.practicelink": ("practice__slug", "url"),
    "practices.taggedpractice": ("content_object__slug", "tag__name"),
    "movements.figure": ("movement__slug", "measure"),
    "movements.taggedmovement": ("content_object__slug", "tag__name"),
    "guidance.taggedprinciple": ("content_object__slug", "tag__name"),
    "evidence.assessment": ("practice__slug", "outcome__slug"),
}


def test_the_rows_known_by_lookups_are_the_child_rows_and_regions():
    keyed = {
        model._meta.label_lower: model.natural_key_lookups
        for model in apps.get_models()
        if issubclass(model, KeyedByLookups)
    }
    assert keyed == KEYED


@pytest.mark.parametrize("label", sorted(KEYED))
def test_each_row_is_found_again_by_its_natural_key(content, label):
    practice = make_practice(slug="keyed-practice")
    Partner.objects.create(practice=practice, organisation=make_organisation(), role="funder")
    PracticeLink.objects.create(practice=practice, title="Report", url="https://example.org/r")
    model = apps.get_model(label)
    rows = list(model.objects.all()[:30])
    assert rows
    for row in rows:
        key = row.natural_key()
        assert all(isinstance(value, str) for value in key)
        assert model.objects.get_by_natural_key(*key) == row


def test_a_partner_is_named_by_its_practice_organisation_and_role(db):
    organisation = make_organisation(slug="funds-it")
    practice = make_practice(slug="funded")
    partner = Partner.objects.create(practice=practice, organisation=organisation, role="funder")
    assert partner.natural_key() == ("funded", "funds-it", "funder")
    with pytest.raises(Partner.DoesNotExist):
        Partner.objects.get_by_natural_key("funded", "funds-it", "implementer")
    with pytest.raises(ValueError):
        Partner.objects.get_by_natural_key("funded", "funds-it")
