"""Keeping an edit to a live record as the change awaiting review."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import PendingChange


def record_key(record):
    return {
        "content_type": ContentType.objects.get_for_model(type(record)),
        "object_id": str(record.pk),
    }


def pending_change_for(record):
    return PendingChange.objects.filter(**record_key(record)).first()


def propose(record, *, live, proposed, user, reason=""):
    """Store `proposed` (a snapshot) as the change awaiting review to `record`, whose published
    state is `live`; returns it, or None when the proposal leaves the record as published (then
    any change awaiting review is dropped)."""
    if proposed == live:
        PendingChange.objects.filter(**record_key(record)).delete()
        return None
    change, _created = PendingChange.objects.update_or_create(
        **record_key(record),
        defaults={
            "object_repr": str(record)[:300],
            "base": live,
            "proposed": proposed,
            "reason": reason[:500],
            "state": PendingChange.State.AWAITING,
            "proposed_by": user,
            "proposed_at": timezone.now(),
            "review_comment": "",
            "reviewed_by": None,
            "reviewed_at": None,
        },
    )
    return change


def drop_changes(model, keys):
    """Forget the changes awaiting review to records of `model` that are being deleted."""
    PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(k) for k in keys]
    ).delete()
