"""The curators' admin: history with revert and recovery, review of changes to live records.

`CuratedAdmin` is the base for every curated record (practices, movements, principles,
organisations, themes, approaches, tags); `curation.publishing.PublishableAdmin` adds the status
rules. The content apps' admins build on both."""

from contextlib import nullcontext

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, router, transaction
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.timezone import localtime, template_localtime
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.cache import changes_discarded
from core.models import Status

from .forms import CuratedForm
from .proposals import drop_changes, pending_change_for, propose
from .site import LabelledChoices
from .snapshots import (
    FieldPart,
    apply,
    record_parts,
    snapshot,
    version_snapshot,
)
from .takedowns import lift_takedown, record_takedown
from .version_diffs import version_history


class _RolledBack(Exception):
    """Carries a response out of a transaction that must not be kept."""

    def __init__(self, response):
        self.response = response


class _MutedMessages(list):
    """Messages of a view whose work is rolled back: its "changed successfully" is not true."""

    def add(self, *args, **kwargs):
        pass


class CuratedAdmin(LabelledChoices, VersionAdmin):
    """History on every save, a reason field, "updated by", a diff per version, recovery, and
    review: a change to a live record by someone who may not publish waits for a publisher."""

    form = CuratedForm
    object_history_template = "admin/curated/object_history.html"
    recover_list_template = "admin/curated/recover_list.html"
    delete_confirmation_template = "admin/curated/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/curated/delete_selected_confirmation.html"
    change_form_template = "admin/curated/change_form.html"
    history_latest_first = True
    # Records kept with this one in each version, listed on the history page:
    # (label, model, field pointing at this record, field naming the linked record or None).
    history_related = []
    # Who may make changes to these records live; by default "<app>.publish_<model>".
    publish_permission = None

    def has_publish_permission(self, request):
        permission = self.publish_permission or (
            f"{self.opts.app_label}.{get_permission_codename('publish', self.opts)}"
        )
        return request.user.has_perm(permission)

    def is_live(self, record):
        """Whether visitors see the record (records without a status are seen wherever they
        are named)."""
        return getattr(record, "status", Status.PUBLISHED) == Status.PUBLISHED

    def needs_review(self, request, record):
        return self.is_live(record) and not self.has_publish_permission(request)

    def parts(self):
        return record_parts(self.model, self.inlines)

    # Who changed it last.

    def get_queryset(self, request):
        latest_version = (
            Version.objects.get_for_model(self.model)
            .filter(object_id=Cast(models.OuterRef("pk"), models.CharField()))
            .order_by("-pk")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_editor=models.Subquery(latest_version.values("revision__user__username")[:1])
            )
        )

    @admin.display(description=_("updated by"), ordering="last_editor")
    def updated_by(self, record):
        return getattr(record, "last_editor", None) or "—"

    @admin.display(description=_("updated"), ordering="updated_at")
    def updated_on(self, record):
        """The day only, so that the list's columns fit; the history page has the time."""
        return date_format(localtime(record.updated_at), "SHORT_DATE_FORMAT")

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        return [*("updated_on" if c == "updated_at" else c for c in columns), "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "updated_by"]

    def get_fieldsets(self, request, obj=None):
        history_fields = ["change_reason", "updated_by", "state"]
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in history_fields]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        if obj is None:
            history_fields.remove("state")  # a new record has no earlier state to check
        return [*fieldsets, (_("History"), {"fields": history_fields})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None or obj.pk is None:
            return form
        parts = self.parts()
        return type(
            form.__name__,
            (form,),
            {"current_state": staticmethod(lambda: snapshot(obj, parts)), "state_parts": parts},
        )

    # Recording: one revision per record, with the editor's reason.

    def log_addition(self, request, obj, message):
        super().log_addition(request, obj, message)
        self.set_reason(request)

    def log_change(self, request, obj, message):
        super().log_change(request, obj, message)
        self.set_reason(request)

    def set_reason(self, request, prefix=""):
        reason = request.POST.get("change_reason", "").strip()[:500]
        comment = ": ".join(part for part in (prefix, reason) if part)
        if comment and reversion.is_active():
            reversion.set_comment(comment)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Again, now that tags, links and inlines are saved, so the version holds them all.
        reversion.add_to_revision(form.instance)

    def changelist_view(self, request, extra_context=None):
        # Not inside VersionAdmin's one revision for the whole list: each record an action
        # touches gets its own, so reverting one record never reverts the others, and a deleted
        # record's last version is saved before it is deleted.
        context = {"has_change_permission": self.has_change_permission(request)}
        return admin.ModelAdmin.changelist_view(self, request, {**context, **(extra_context or {})})

    def save_with_history(self, request, record, comment, **save_options):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            record.save(**save_options)
            reversion.add_to_revision(record)

    def delete_model(self, request, obj):
        self.keep_last_version(request, [obj])
        self.take_down(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self.keep_last_version(request, queryset)
        self.take_down(request, queryset)
        super().delete_queryset(request, queryset)

    def take_down(self, request, records):
        """A tombstone for each record deleted, so no command brings it back."""
        reason = request.POST.get("change_reason", "").strip()[:500]
        for record in records:
            record_takedown(record, user=request.user, reason=reason)
        drop_changes(self.model, [record.pk for record in records])

    def keep_last_version(self, request, records):
        """Save each record as it is, with its tags and links, under "Deleted" and the reason
        given, each in a revision of its own, so "Recover deleted" brings back one at a time."""
        reason = request.POST.get("change_reason", "").strip()[:500]
        comment = f"{_('Deleted')}: {reason}" if reason else str(_("Deleted"))
        for record in records:
            with reversion.create_revision():
                reversion.set_user(request.user)
                reversion.set_comment(comment)
                reversion.add_to_revision(record)

    # Adding and changing: a unique value taken meanwhile is a form error, not a failure.

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except IntegrityError:
            # Another curator saved the same slug between this form's check and its save:
            # show the form again, whose check now sees the other record.
            return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            return super().change_view(request, object_id, form_url, extra_context)
        pending = pending_change_for(record)
        context = {
            "pending_change": pending,
            "may_review": pending is not None and self.has_publish_permission(request),
            **(extra_context or {}),
        }
        if self.needs_review(request, record):
            changes = pending.changes() if pending else {}
            return self.state_form_view(
                request, record, lambda: changes and apply(record, changes, self.parts()), context
            )
        try:
            return super().change_view(request, object_id, form_url, context)
        except IntegrityError:
            return super().change_view(request, object_id, form_url, context)

    # History: revert and recover, one record at a time, within the user's permissions.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        record = self.get_object(request, unquote(object_id))
        if record is None:
            raise Http404
        if not self.has_change_permission(request, record):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(record), pk=version_id)
        values = version_snapshot(version, self.parts())
        context = {
            "title": _("Revert %(name)s") % {"name": version.object_repr},
            "revert": True,
            **(extra_context or {}),
        }
        saved_on = localize(template_localtime(version.revision.date_created))
        return self.state_form_view(
            request,
            record,
            lambda: apply(record, values, self.parts()),
            context,
            template=self.revision_form_template
            or self._reversion_get_template_list("revision_form.html"),
            comment=_("Reverted to previous version, saved on %(datetime)s")
            % {"datetime": saved_on},
        )

    def recover_view(self, request, version_id, extra_context=None):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        status = None
        if hasattr(self.model, "status") and not self.has_publish_permission(request):
            status = Status.DRAFT  # an editor's recovery is a draft for a publisher to review
        context = {
            "title": _("Recover %(name)s") % {"name": version.object_repr},
            "recover": True,
            **(extra_context or {}),
        }
        return self.state_form_view(
            request,
            None,
            lambda: self.recreate(version, status, lift=status is None),
            context,
            template=self.recover_form_template
            or self._reversion_get_template_list("recover_form.html"),
            comment=_("Recovered"),
        )

    def recreate(self, version, status=None, lift=False):
        """The deleted record of `version` saved again under its own key, with its tags, links
        and children, and with `status` if given. Nothing else of the revision is touched. A
        publisher's recovery (`lift`) also lifts the record's takedown."""
        record = version._object_version.object
        if status is not None:
            record.status = status
        record.save(force_insert=True)
        parts = self.parts()
        values = version_snapshot(version, parts)
        apply(record, {p.key: values[p.key] for p in parts if not isinstance(p, FieldPart)}, parts)
        if lift:
            lift_takedown(record)
        return record

    def state_form_view(self, request, record, prepare, context, template=None, comment=""):
        """The change form of a record after prepare() has written a state to it (a pending
        change, an old version, a deleted record): shown, then rolled back; on a valid POST,
        kept (or, for a change that needs review, stored as a pending change and rolled back).
        prepare() returns the record or None, which stands for `record`."""
        moderated = record is not None and self.needs_review(request, record)
        live = snapshot(record, self.parts()) if moderated else None
        keep = request.method == "POST" and not moderated
        proposed = None
        messages_kept = request._messages
        try:
            with (
                transaction.atomic(using=router.db_for_write(self.model)),
                # What is rolled back must not empty the page cache. (Signals are not muted:
                # that is process-wide, and a save in another thread would miss its history.)
                nullcontext() if keep else changes_discarded(),
                self.create_revision(request),
            ):
                try:
                    shown = prepare() or record
                except (IntegrityError, models.ProtectedError) as error:
                    raise _RolledBack(self.cannot_restore(request, error)) from error
                if request.method == "POST" and not keep:
                    request._messages = _MutedMessages()
                response = admin.ModelAdmin.change_view(
                    self, request, quote(str(shown.pk)), request.path, context
                )
                saved = request.method == "POST" and response.status_code == 302
                if saved and keep:
                    if comment:
                        self.set_reason(request, prefix=str(comment))
                    return response
                if saved:
                    proposed = snapshot(self.model._base_manager.get(pk=shown.pk), self.parts())
                else:
                    if template and hasattr(response, "template_name"):
                        response.template_name = template
                    if hasattr(response, "render"):
                        response.render()
                raise _RolledBack(response)
        except _RolledBack as rolled_back:
            response = rolled_back.response
        finally:
            request._messages = messages_kept
        if proposed is not None:
            self.keep_proposal(request, record, live, proposed)
        return response

    def cannot_restore(self, request, error):
        self.message_user(
            request,
            _("This version cannot be restored as it is: %(error)s") % {"error": error},
            messages.ERROR,
        )
        opts = self.opts
        return redirect(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")

    def keep_proposal(self, request, record, live, proposed):
        reason = request.POST.get("change_reason", "").strip()
        if propose(record, live=live, proposed=proposed, user=request.user, reason=reason):
            message = _(
                "Your change to “%(record)s” awaits a publisher's review. The site shows the "
                "published version until it is approved."
            )
        else:
            message = _("“%(record)s” is as published; no change awaits review.")
        self.message_user(request, message % {"record": record}, messages.SUCCESS)

    # The history page: each version with what changed since the one before.

    def history_view(self, request, object_id, extra_context=None):
        record = self.get_object(request, unquote(object_id))
        rows = []
        if record is not None:
            rows = version_history(record, self.history_related)
            for row in rows[1:]:
                row["revert_url"] = reverse(
                    f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_revision",
                    args=[quote(record.pk), row["version"].pk],
                )
        context = {"history_rows": rows, **(extra_context or {})}
        return super().history_view(request, object_id, context)
