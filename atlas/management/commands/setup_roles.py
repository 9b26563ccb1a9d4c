"""Create or update the curators' groups, Editor and Publisher, with exactly their permissions."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import CommandError

from core.commands import DryRunCommand
from core.records import EDITED, VIEWED, record_types

# Takedowns: both roles see them; only publishers may lift one (delete the tombstone).
TAKEDOWNS = ["curation.tombstone"]


def codenames(models, actions):
    return [
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for model in models
        for action in actions
    ]


def roles():
    """{group name: its (app label, codename) pairs}: editors add and change the edited record
    types, publishers also delete them and publish the publishable ones; both look at the rest."""
    edited = [declared.label for declared in record_types(curation=EDITED)]
    viewed = [declared.label for declared in record_types(curation=VIEWED)]
    published = [declared.label for declared in record_types(publishable=True)]
    return {
        "Editor": (
            codenames(edited, ["add", "change", "view"])
            + codenames(viewed, ["view"])
            + codenames(TAKEDOWNS, ["view"])
        ),
        "Publisher": (
            codenames(edited, ["add", "change", "delete", "view"])
            + codenames(viewed, ["view"])
            + codenames(published, ["publish"])
            + codenames(TAKEDOWNS, ["view", "delete"])
        ),
    }


def role_permissions(wanted):
    """The Permission rows for (app label, codename) pairs; every one must exist."""
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.select_related("content_type").filter(
            codename__in=[codename for _, codename in wanted]
        )
    }
    missing = [f"{app}.{codename}" for app, codename in wanted if (app, codename) not in found]
    if missing:
        raise CommandError(f"Permissions not found (run migrate first): {', '.join(missing)}")
    return [found[key] for key in wanted]


class Command(DryRunCommand):
    help = (
        "Create the Editor and Publisher groups, or reset their permissions to the defined ones. "
        "Safe to run again."
    )

    def change(self, **options):
        for name, wanted in roles().items():
            permissions = role_permissions(wanted)
            group, created = Group.objects.get_or_create(name=name)
            before = set(group.permissions.values_list("pk", flat=True))
            group.permissions.set(permissions)
            after = {permission.pk for permission in permissions}
            state = "created" if created else ("updated" if before != after else "unchanged")
            self.stdout.write(f"{name}: {len(permissions)} permissions, {state}")

    def saved(self, outcome):
        self.stdout.write(self.style.SUCCESS("Roles are set up."))
