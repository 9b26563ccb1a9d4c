"""Small factories for records and curators that tests make up (the real content comes from
fixtures/)."""

from datetime import timedelta
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from core.models import Status
from practices.models import Approach, Organisation, Practice, Theme

_serial = count(1)


def make_theme(**fields):
    n = next(_serial)
    return Theme.objects.create(**{"name": f"Theme {n}", "slug": f"theme-{n}", **fields})


def make_approach(theme=None, **fields):
    n = next(_serial)
    theme = theme or make_theme()
    return Approach.objects.create(
        **{"theme": theme, "name": f"Approach {n}", "slug": f"approach-{n}", **fields}
    )


def make_organisation(**fields):
    n = next(_serial)
    return Organisation.objects.create(
        **{"name": f"Organisation {n}", "slug": f"organisation-{n}", **fields}
    )


def make_practice(countries=(), organisations=(), tags=(), **fields):
    n = next(_serial)
    practice = Practice.objects.create(
        **{
            "title": f"Practice {n}",
            "slug": f"practice-{n}",
            "status": Status.PUBLISHED,
            "summary": f"Summary of practice {n}.",
            **fields,
        }
    )
    if countries:
        practice.countries.set(countries)
    if organisations:
        practice.organisations.set(organisations)
    if tags:
        practice.tags.set(list(tags))
    return practice


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def member_of(role, username=None):
    """A staff user in the Editor or Publisher group, as setup_roles defines them."""
    call_command("setup_roles", verbosity=0)
    user = get_user_model().objects.create_user(
        username or role.lower(), password="pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def edit(record, days_after_adding=2):
    """Save `record` again as an edit made `days_after_adding` days after it was added."""
    type(record).objects.filter(pk=record.pk).update(
        created_at=F("created_at") - timedelta(days=days_after_adding)
    )
    record.refresh_from_db()
    record.save()
    return record
