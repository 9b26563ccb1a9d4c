"""The public change log of a record: the dated reasons for its changes while published."""

import json

from django import template
from reversion.models import Version

from practices.models import Status

register = template.Library()


def published_changes(record):
    """(date, reason) of each recorded version in which the record was published, newest first;
    one query (two while content types are not yet cached)."""
    versions = (
        Version.objects.get_for_object(record)
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
                {"date": version.revision.date_created, "reason": version.revision.comment}
            )
    return changes


@register.inclusion_tag("includes/change_log.html")
def change_log(record):
    """Usage: {% load history %}{% change_log practice %}"""
    return {"changes": published_changes(record)}
