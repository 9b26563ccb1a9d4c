"""The publishers' review queue: changes awaiting review, each with a field-level diff of the
change against the live record, to approve (it goes live, recorded in history with its reason)
or to send back with a comment the editor sees on the record's form."""

import hashlib
import json

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PendingChange
from .snapshots import apply, differences, snapshot


def change_token(change):
    """What the reviewer saw: approving a change edited since is refused."""
    text = json.dumps([change.proposed, change.base, str(change.proposed_at)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the editor"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Needed to send the change back: say what to do about it."),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, change, **kwargs):
        super().__init__(*args, **kwargs)
        self.change = change
        self.fields["token"].initial = change_token(change)

    def clean_token(self):
        if self.cleaned_data["token"] != change_token(self.change):
            raise ValidationError(
                _("The change was edited after you opened it. Review it again as it is now."),
                code="stale",
            )
        return self.cleaned_data["token"]


class PendingChangeAdmin(admin.ModelAdmin):
    list_display = ["object_repr", "record_type", "proposed_by", "proposed_at", "state", "reason"]
    list_display_links = ["object_repr"]
    list_filter = ["state", "content_type"]
    list_select_related = ["content_type", "proposed_by"]
    search_fields = ["object_repr", "reason"]
    actions = None

    @admin.display(description=_("type of record"), ordering="content_type")
    def record_type(self, change):
        return change.content_type.model_class()._meta.verbose_name

    def record_admin(self, change):
        model = change.model
        if model is None or model not in self.admin_site._registry:
            return None
        return self.admin_site._registry[model]

    def may_review(self, request, change):
        record_admin = self.record_admin(change)
        return record_admin is not None and record_admin.has_publish_permission(request)

    # Staff who curate see the queue; only publishers of the record's type act on it.

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            record_admin = self.record_admin(obj)
            return record_admin is not None and record_admin.has_view_permission(request)
        # Curators: whoever may view practices (Editors, Publishers, superusers).
        return request.user.is_active and request.user.has_perm("practices.view_practice")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = PendingChange.objects.select_related("proposed_by").filter(pk=object_id).first()
        if change is None or not self.has_view_permission(request, change):
            raise Http404
        record = change.record()
        record_admin = self.record_admin(change)
        may_review = self.may_review(request, change)
        form = ReviewForm(request.POST or None, change=change)
        if request.method == "POST":
            if not may_review:
                raise PermissionDenied
            if record is None:
                change.delete()
                self.message_user(
                    request, _("The record was deleted; its change is gone."), messages.WARNING
                )
                return redirect(self.changelist_url())
            if form.is_valid():
                if "_approve" in request.POST:
                    return self.approve(request, change, record, record_admin)
                if "_send_back" in request.POST:
                    if form.cleaned_data["comment"].strip():
                        return self.send_back(request, change, form.cleaned_data["comment"])
                    form.add_error("comment", _("Say why you send the change back."))
        parts = record_admin.parts() if record_admin else []
        live = snapshot(record, parts) if record is not None else {}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review the change to “%(record)s”") % {"record": change.object_repr},
            "opts": self.opts,
            "change": change,
            "record": record,
            "record_url": record
            and reverse(
                f"{self.admin_site.name}:{record._meta.app_label}_{record._meta.model_name}_change",
                args=[quote(record.pk)],
            ),
            "record_type": self.record_type(change),
            "diff": differences(live, {**live, **change.changes()}, parts),
            "live_changed": record is not None and live != change.base,
            "form": form,
            "may_review": may_review,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/curation/review.html", context)

    def changelist_url(self):
        return reverse(f"{self.admin_site.name}:curation_pendingchange_changelist")

    def approve(self, request, change, record, record_admin):
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(change.reason or str(_("Change approved")))
            apply(record, change.changes(), record_admin.parts())
            reversion.add_to_revision(record)
            proposer = change.proposed_by.get_username() if change.proposed_by else "?"
            admin.ModelAdmin.log_change(
                record_admin, request, record, f"Approved the change proposed by {proposer}."
            )
            change.delete()
        self.message_user(
            request,
            _("The change to “%(record)s” is approved and live.") % {"record": record},
            messages.SUCCESS,
        )
        return redirect(self.changelist_url())

    def send_back(self, request, change, comment):
        change.state = PendingChange.State.RETURNED
        change.review_comment = comment.strip()
        change.reviewed_by = request.user
        change.reviewed_at = timezone.now()
        change.save()
        self.message_user(
            request,
            _("The change to “%(record)s” is sent back to its editor.")
            % {"record": change.object_repr},
            messages.SUCCESS,
        )
        return redirect(self.changelist_url())
