"""The public change log of a record: the dated reasons for its changes while published."""

import json

from django import template
from django.db import router
from reversion.models import Version

from core.models import Status

register = template.Library()


def published_changes(record):
    """(date, reason) of each recorded version in which the record was published, newest first,
    in one query (content type joined rather than looked up, so the count never varies)."""
    opts = record._meta
    versions = (
        Version.objects.filter(
            content_type__app_label=opts.app_label,
            content_type__model=opts.model_name,
            object_id=str(record.pk),
            db=router.db_for_write(type(record)),
        )
        .select_related("revision")
        .only("serialized_data", "format", "revision__date_created", "revision__comment")
        .order_by("-revision__date_created", "-pk")
    )
    changes = []
    for version in versions:
        if version.format != "json":
            continue
        fields = json.loads(version.serialized_data)[0]["fields"]
        if fields.get("status") == Status.PUBLISHED:
            changes.append(
                {"date": version.revision.date_created, "reason": version.revision.get_comment()}
            )
    return changes


@register.inclusion_tag("includes/change_log.html")
def change_log(record):
    """Usage: {% load history %}{% change_log practice %}"""
    return {"changes": published_changes(record)}
