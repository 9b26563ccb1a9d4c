"""The curators' admin: history with revert and recovery, drafts that only publishers publish.

`CuratedAdmin` is the base for every curated record (practices, movements, principles,
organisations, themes, approaches) and `PublishableAdmin` adds the status rules; the movements and
guidance admins build on both.
"""

import difflib
from contextlib import nullcontext

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_permission_codename
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from curation.proposals import drop_changes, pending_change_for, propose
from curation.snapshots import (
    FieldPart,
    apply,
    differences,
    record_parts,
    snapshot,
    version_snapshot,
)
from curation.takedowns import lift_takedown, record_takedown
from guidance.models import Principle
from movements.models import Movement

from .cache import changes_discarded
from .models import (
    Approach,
    Country,
    Organisation,
    Practice,
    Region,
    SourceDocument,
    Status,
    TaggedPractice,
    Theme,
)

# Fields whose changes the history page does not list: bookkeeping, not curation.
HISTORY_HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
WIDE_SCOPES = {Practice.Scope.GLOBAL, Practice.Scope.REGIONAL, Practice.Scope.MULTI_COUNTRY}


STATE_SALT = "curation.state"


class StateField(forms.CharField):
    """The record's state when the form was shown, signed: a save from a form built on an older
    state is refused. A re-shown form carries the current state, so saving again is deliberate."""

    widget = forms.HiddenInput

    def bound_data(self, data, initial):
        return initial

    def has_changed(self, initial, data):
        return False


class CuratedForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Optional. Kept in the record's history; once the record is published, shown in "
            "its public change log."
        ),
    )
    state = StateField(required=False)
    # Set by CuratedAdmin.get_form for a record that exists: () -> its snapshot, and its parts.
    current_state = None
    state_parts = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.current_state is None:
            del self.fields["state"]
        else:
            self.shown_state = self.current_state()
            self.fields["state"].initial = signing.dumps(
                self.shown_state, salt=STATE_SALT, compress=True
            )

    def clean(self):
        cleaned = super().clean()
        if "state" in self.fields:
            self.refuse_if_stale(self.data.get(self.add_prefix("state"), ""))
        return cleaned

    def refuse_if_stale(self, token):
        try:
            seen = signing.loads(token, salt=STATE_SALT)
        except signing.BadSignature:
            seen = None
        if seen == self.shown_state:
            return
        if seen is None:
            raise ValidationError(
                _("This form is out of date. Check the record below, then save again."),
                code="stale",
            )
        changes = [
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {"field": label, "old": Truncator(old).chars(80), "new": Truncator(new).chars(80)}
            for label, old, new in differences(seen, self.shown_state, self.state_parts)
        ]
        raise ValidationError(
            [
                _(
                    "Someone else saved this record after you opened it. Your input is kept "
                    "below; it was not saved. What changed meanwhile:"
                ),
                *changes,
                _("Merge what you need, then save again."),
            ],
            code="stale",
        )


class AddTagForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=100)


class _RolledBack(Exception):
    """Carries a response out of a transaction that must not be kept."""

    def __init__(self, response):
        self.response = response


class _MutedMessages(list):
    """Messages of a view whose work is rolled back: its "changed successfully" is not true."""

    def add(self, *args, **kwargs):
        pass


class CuratedAdmin(VersionAdmin):
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

    def get_list_display(self, request):
        return [*super().get_list_display(request), "updated_by"]

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


def version_history(record, related):
    """The versions of `record`, newest first, each with its revision and field-level changes
    against the version before it."""
    versions = list(
        Version.objects.get_for_object(record)
        .select_related("revision__user")
        .order_by("revision__date_created", "pk")
    )
    snapshots = _snapshots(record, versions, related)
    rows = []
    previous = {}
    for version in versions:
        snapshot = snapshots[version.pk]
        changes = [
            _change(label, previous.get(label, ""), value)
            for label, value in snapshot.items()
            if value != previous.get(label, "")
        ]
        rows.append({"version": version, "revision": version.revision, "changes": changes})
        previous = snapshot
    return rows[::-1]


def _snapshots(record, versions, related):
    """{version pk: {field label: display value}} for the versions of one record."""
    model = type(record)
    fields = [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.serialize and field.name not in HISTORY_HIDDEN_FIELDS
    ]
    field_dicts = {version.pk: version.field_dict for version in versions}
    names = {}
    for field in fields:
        if field.is_relation:
            ids = set()
            for values in field_dicts.values():
                value = values.get(field.attname)
                ids.update((value or []) if field.many_to_many else [value] if value else [])
            names[field.name] = field.related_model._base_manager.in_bulk(ids)

    def display(field, value):
        if field.many_to_many:
            return ", ".join(sorted(str(names[field.name].get(pk, pk)) for pk in value or []))
        if field.is_relation:
            return str(names[field.name].get(value, value)) if value else ""
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        return "" if value is None else str(value)

    snapshots = {
        version.pk: {
            str(field.verbose_name): display(field, field_dicts[version.pk].get(field.attname))
            for field in fields
            if field.attname in field_dicts[version.pk]
        }
        for version in versions
    }
    revision_ids = {version.revision_id for version in versions}
    for label, link_model, own_field, other_field in related:
        links = Version.objects.get_for_model(link_model).filter(revision_id__in=revision_ids)
        by_revision = {}
        for link in links:
            values = link.field_dict
            if values.get(f"{own_field}_id") != record.pk:
                continue
            key = values.get(f"{other_field}_id") if other_field else link.object_repr
            by_revision.setdefault(link.revision_id, []).append(key)
        if other_field:
            other_model = link_model._meta.get_field(other_field).related_model
            ids = {key for keys in by_revision.values() for key in keys}
            other_names = other_model._base_manager.in_bulk(ids)
            by_revision = {
                revision_id: [str(other_names.get(key, key)) for key in keys]
                for revision_id, keys in by_revision.items()
            }
        for version in versions:
            snapshots[version.pk][str(label)] = ", ".join(
                sorted(by_revision.get(version.revision_id, []))
            )
    return snapshots


def _change(label, old, new):
    """One changed field: long texts as a word diff, short values as "old → new"."""
    if len(old) + len(new) > 120:
        return {"field": label, "diff": _word_diff(old, new)}
    return {"field": label, "old": old, "new": new}


def _word_diff(old, new, context=8):
    """HTML marking removed words with <del> and added ones with <ins>, keeping a few words of
    unchanged text around each change."""
    old_words, new_words = old.split(), new.split()
    opcodes = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes()
    parts = []
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old_words[i1:i2]
            if position == 0 and len(words) > context:
                words = ["…", *words[-context:]]
            elif position == len(opcodes) - 1 and len(words) > context:
                words = [*words[:context], "…"]
            elif len(words) > 2 * context:
                words = [*words[:context], "…", *words[-context:]]
            parts.append(escape(" ".join(words)))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(new_words[j1:j2])))
    return mark_safe(" ".join(str(part) for part in parts))


class MovementLinkInline(admin.TabularInline):
    model = Movement.practices.through
    extra = 0
    autocomplete_fields = ["movement"]
    verbose_name = _("movement linked to this practice")
    verbose_name_plural = _("movements linked to this practice")


class PrincipleLinkInline(admin.TabularInline):
    model = Principle.practices.through
    extra = 0
    autocomplete_fields = ["principle"]
    verbose_name = _("principle this practice illustrates")
    verbose_name_plural = _("principles this practice illustrates")


class PracticeForm(CuratedForm):
    def clean(self):
        cleaned = super().clean()
        if "countries" in cleaned and "scope" in self.fields:
            if not cleaned["countries"] and cleaned.get("scope") not in WIDE_SCOPES:
                raise ValidationError(
                    _("Give the countries or a scope (global, regional, multi-country)."),
                    code="no_place",
                )
        return cleaned


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "short_title", "publisher", "year"]
    search_fields = ["title", "short_title", "publisher"]
    prepopulated_fields = {"slug": ["short_title"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region__parent", "region"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


# Organisation and tag names show on the pages of the practices and movements they are linked
# to: whoever may publish practices makes changes to them live.
NAMES_PUBLISHED_WITH = "practices.publish_practice"


@admin.register(Organisation)
class OrganisationAdmin(CuratedAdmin):
    publish_permission = NAMES_PUBLISHED_WITH
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country", "source"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country"]


@admin.register(Theme)
class ThemeAdmin(CuratedAdmin):
    list_display = ["name", "order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["source"]


@admin.register(Approach)
class ApproachAdmin(CuratedAdmin):
    list_display = ["name", "theme", "order"]
    list_filter = ["theme"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["theme", "source"]
    list_select_related = ["theme"]


@admin.register(Practice)
class PracticeAdmin(PublishableAdmin):
    form = PracticeForm
    list_display = ["title", "approach", "scope_label", "status", "updated_at"]
    list_filter = [
        "status",
        ("approach__theme", admin.RelatedOnlyFieldListFilter),
        ("approach", admin.RelatedOnlyFieldListFilter),
        "scope",
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("organisations", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "summary", "organisations__name", "organisations__acronym"]
    autocomplete_fields = ["organisations", "approach", "scope_region", "countries", "source"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["approach"]
    date_hierarchy = "updated_at"
    inlines = [MovementLinkInline, PrincipleLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "organisations", "approach", "tags"]}),
        (_("Where"), {"fields": ["scope", "scope_label", "scope_region", "countries"]}),
        (_("Content"), {"fields": ["summary", "body"]}),
        (_("Source"), {"fields": ["source", "locator"]}),
    ]
    history_related = [
        (_("tags"), TaggedPractice, "content_object", "tag"),
        (_("movements"), Movement.practices.through, "practice", "movement"),
        (_("principles"), Principle.practices.through, "practice", "principle"),
    ]


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(CuratedAdmin):
    list_display = TaggitTagAdmin.list_display
    search_fields = TaggitTagAdmin.search_fields
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    publish_permission = NAMES_PUBLISHED_WITH
