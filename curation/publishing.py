"""Records with a status: only publishers publish, unpublish or withdraw; bulk actions."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import Status

from .forms import AddTagForm
from .proposals import pending_change_for, propose
from .record_admin import CuratedAdmin
from .snapshots import (
    snapshot,
)
from .takedowns import lift_takedown, record_takedown


class PublishableAdmin(CuratedAdmin):
    """Only users with the model's publish permission set the status or run (un)publish; an
    editor's new record is a draft."""

    actions = ["publish", "unpublish", "add_tag"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if self.has_publish_permission(request) else [*readonly, "status"]

    def save_model(self, request, obj, form, change):
        if not change and not self.has_publish_permission(request):
            obj.status = Status.DRAFT
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
            self.status_changed(request, obj, request.POST.get("change_reason", "").strip())

    def status_changed(self, request, record, reason=""):
        """A withdrawn record leaves a tombstone; one published again is no longer down."""
        if record.status == Status.WITHDRAWN:
            record_takedown(record, user=request.user, reason=reason[:500], withdrawn=True)
        elif record.status == Status.PUBLISHED:
            lift_takedown(record)

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        self.set_status(request, queryset, Status.PUBLISHED, _("Published"))

    @admin.action(
        description=_("Unpublish the selected records (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        self.set_status(request, queryset, Status.DRAFT, _("Unpublished"))

    def set_status(self, request, queryset, status, comment):
        changed = 0
        for record in queryset.exclude(status=status):
            record.status = status
            self.save_with_history(request, record, str(comment))
            self.status_changed(request, record)
            changed += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d record is now %(status)s.",
                "%(count)d records are now %(status)s.",
                changed,
            )
            % {"count": changed, "status": Status(status).label.lower()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Add a tag to the selected records"), permissions=["change"])
    def add_tag(self, request, queryset):
        form = AddTagForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            name = form.cleaned_data["tag"].strip()
            proposed = 0
            for record in queryset:
                if self.needs_review(request, record):
                    proposed += self.propose_tag(request, record, name)
                    continue
                record.tags.add(name)
                comment = _("Tag “%(tag)s” added") % {"tag": name}
                self.save_with_history(request, record, comment, update_fields=["updated_at"])
            if proposed:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d of them is published: the tag awaits a publisher's review.",
                        "%(count)d of them are published: the tag awaits a publisher's review.",
                        proposed,
                    )
                    % {"count": proposed},
                    messages.INFO,
                )
            self.message_user(
                request,
                ngettext(
                    "Tag “%(tag)s” added to %(count)d record.",
                    "Tag “%(tag)s” added to %(count)d records.",
                    len(queryset),
                )
                % {"tag": name, "count": len(queryset)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add a tag"),
            "opts": self.opts,
            "form": form,
            "records": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/curated/add_tag.html", context)

    def propose_tag(self, request, record, name):
        """Add the tag to the change awaiting review to a live record; True if it changes it."""
        parts = self.parts()
        live = snapshot(record, parts)
        pending = pending_change_for(record)
        proposed = {**live, **(pending.changes() if pending else {})}
        if name.lower() in {tag.lower() for tag in proposed["tags"]}:
            return False
        proposed["tags"] = sorted([*proposed["tags"], name])
        reason = pending.reason if pending else str(_("Tag “%(tag)s” added") % {"tag": name})
        propose(record, live=live, proposed=proposed, user=request.user, reason=reason)
        return True
