"""Create or update the curators' groups, Editor and Publisher, with exactly their permissions."""

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Records editors add and change; publishers may also delete them.
EDITED = [
    "practices.practice",
    "practices.taggedpractice",
    "practices.organisation",
    "movements.movement",
    "movements.figure",
    "movements.taggedmovement",
    "guidance.principle",
    "guidance.taggedprinciple",
    "taggit.tag",
]
# Everything else in the knowledge base, which both roles may look at but only superusers change.
VIEWED = [
    "practices.sourcedocument",
    "practices.region",
    "practices.country",
    "practices.theme",
    "practices.approach",
    "guidance.section",
    "guidance.infographicgroup",
    "guidance.phase",
    "guidance.valueadd",
    "guidance.finding",
    "guidance.definition",
    "guidance.membertype",
    "guidance.resource",
]
PUBLISHED = ["practices.practice", "movements.movement", "guidance.principle"]
# Takedowns: both roles see them; only publishers may lift one (delete the tombstone).
TAKEDOWNS = ["curation.tombstone"]


def codenames(models, actions):
    return [
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for model in models
        for action in actions
    ]


ROLES = {
    "Editor": (
        codenames(EDITED, ["add", "change", "view"])
        + codenames(VIEWED, ["view"])
        + codenames(TAKEDOWNS, ["view"])
    ),
    "Publisher": (
        codenames(EDITED, ["add", "change", "delete", "view"])
        + codenames(VIEWED, ["view"])
        + codenames(PUBLISHED, ["publish"])
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


class Command(BaseCommand):
    help = (
        "Create the Editor and Publisher groups, or reset their permissions to the defined ones. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            for name, wanted in ROLES.items():
                permissions = role_permissions(wanted)
                group, created = Group.objects.get_or_create(name=name)
                before = set(group.permissions.values_list("pk", flat=True))
                group.permissions.set(permissions)
                after = {permission.pk for permission in permissions}
                state = "created" if created else ("updated" if before != after else "unchanged")
                self.stdout.write(f"{name}: {len(permissions)} permissions, {state}")
            if dry_run:
                transaction.set_rollback(True)
                self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
                return
        self.stdout.write(self.style.SUCCESS("Roles are set up."))
