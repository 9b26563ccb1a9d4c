"""What curators leave besides the records themselves: changes awaiting review and takedowns.

This app knows no content app: it points at records through content types, so practices,
movements and guidance can all use it.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordReference(models.Model):
    """Points at one record of any content type, by its key kept as text."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("type of record"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("record key"), max_length=64)

    class Meta:
        abstract = True

    @property
    def model(self):
        return self.content_type.model_class()

    def record(self):
        """The record, or None if it has been deleted since."""
        return self.model._base_manager.filter(pk=self.object_id).first()


def one_per_record(name):
    """A constraint that keeps a RecordReference model to one row per record."""
    return models.UniqueConstraint(fields=["content_type", "object_id"], name=name)


def user_link(verbose_name, **options):
    """The curator who did something; kept empty when their account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        **options,
    )


class PendingChange(RecordReference):
    """An edit to a published record by someone who may not publish: kept here, with the record
    as it was and as the edit makes it, until a publisher approves it or sends it back. The
    record itself, and so every public page, keeps the published state meanwhile."""

    class State(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting review")
        RETURNED = "returned", _("Sent back")

    object_repr = models.CharField(_("record"), max_length=300)
    base = models.JSONField(_("the record as published when the change was proposed"))
    proposed = models.JSONField(_("the record as the change makes it"))
    reason = models.TextField(_("reason for this change"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.AWAITING
    )
    proposed_by = user_link(_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed"))
    review_comment = models.TextField(
        _("reviewer's comment"),
        blank=True,
        help_text=_("Why the change was sent back; the editor sees it on the record's form."),
    )
    reviewed_by = user_link(_("reviewed by"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        verbose_name = _("change awaiting review")
        verbose_name_plural = _("changes awaiting review")
        constraints = [one_per_record("pendingchange_one_per_record")]

    def __str__(self):
        return str(self.object_repr)

    def changes(self):
        """{part: value} of what the change alters, to apply on the record as it is now."""
        return {key: value for key, value in self.proposed.items() if self.base.get(key) != value}


def key_text(natural_key):
    """A natural key (slug, tag name, (slug, tag name), ...) as stored: a JSON list."""
    return json.dumps(list(natural_key), ensure_ascii=False)


class SeedRecord(RecordReference):
    """Which record a fixture record became: the fixture names it by its natural key at the
    time (its slug, say), which a curator may change since; this keeps knowing it, and stays
    when the record is deleted, so that loading the fixtures again never re-creates it."""

    key = models.CharField(_("key in the fixtures"), max_length=400)

    class Meta:
        verbose_name = _("seed record")
        verbose_name_plural = _("seed records")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "key"], name="seedrecord_one_per_key")
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.key}"


class Tombstone(RecordReference):
    """What is left of a record a curator took down: which record, who, when and why. Loading
    the fixtures and importing a file respect it: a deleted record is not re-created, a
    withdrawn one not published again."""

    class Kind(models.TextChoices):
        DELETED = "deleted", _("Deleted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    natural_key = models.CharField(
        _("natural key"),
        max_length=400,
        help_text=_("How exports and fixtures name the record, e.g. its slug."),
    )
    seed_key = models.CharField(
        _("key in the fixtures"),
        max_length=400,
        blank=True,
        help_text=_("How the seed content names it, if it came from there."),
    )
    object_repr = models.CharField(_("record"), max_length=300)
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    taken_down_by = user_link(_("taken down by"))
    taken_down_at = models.DateTimeField(_("taken down"))

    class Meta:
        ordering = ["-taken_down_at", "-pk"]
        verbose_name = _("takedown")
        verbose_name_plural = _("takedowns")
        constraints = [one_per_record("tombstone_one_per_record")]
        indexes = [
            models.Index(fields=["content_type", "natural_key"], name="tombstone_natural_key")
        ]

    def __str__(self):
        return f"{self.object_repr} ({self.get_kind_display().lower()})"
