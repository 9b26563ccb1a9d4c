"""The curators' admin: history with revert and recovery, drafts that only publishers publish.

`CuratedAdmin` is the base for every curated record (practices, movements, principles,
organisations, themes, approaches) and `PublishableAdmin` adds the status rules; the movements and
guidance admins build on both.
"""

import difflib
from contextlib import contextmanager

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion.admin import VersionAdmin
from reversion.models import Version

from guidance.models import Principle
from movements.models import Movement

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
HISTORY_HIDDEN_FIELDS = {"id", "created_at", "updated_at", "is_synthetic"}
WIDE_SCOPES = {Practice.Scope.GLOBAL, Practice.Scope.REGIONAL, Practice.Scope.MULTI_COUNTRY}


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


class AddTagForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=100)


class CuratedAdmin(VersionAdmin):
    """History on every save, a reason field, "updated by", a diff per version and recovery."""

    form = CuratedForm
    object_history_template = "admin/curated/object_history.html"
    recover_list_template = "admin/curated/recover_list.html"
    delete_confirmation_template = "admin/curated/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/curated/delete_selected_confirmation.html"
    history_latest_first = True
    # Records kept with this one in each version, listed on the history page:
    # (label, model, field pointing at this record, field naming the linked record or None).
    history_related = []

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
        history_fields = ["change_reason", "updated_by"]
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f not in history_fields]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (_("History"), {"fields": history_fields})]

    # Recording: one revision per record, with the editor's reason.

    @contextmanager
    def create_revision(self, request):
        with super().create_revision(request):
            yield
            reason = getattr(request, "change_reason", "")
            if reason and getattr(request, "reverting", False):
                reversion.set_comment(f"{reversion.get_comment()}: {reason}")
            elif reason:
                reversion.set_comment(reason)

    def save_model(self, request, obj, form, change):
        request.change_reason = form.cleaned_data.get("change_reason", "").strip()
        super().save_model(request, obj, form, change)

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
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self.keep_last_version(request, queryset)
        super().delete_queryset(request, queryset)

    def keep_last_version(self, request, records):
        """Save each record as it is, with its tags and links, under "Deleted" and the reason
        given, so "Recover deleted" can bring it back."""
        reason = request.POST.get("change_reason", "").strip()
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(f"{_('Deleted')}: {reason}" if reason else str(_("Deleted")))
            for record in records:
                reversion.add_to_revision(record)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request.reverting = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.reverting = True
        return super().recover_view(request, version_id, extra_context)

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
    """Only users with the model's publish permission set the status or run (un)publish."""

    actions = ["publish", "unpublish", "add_tag"]

    def has_publish_permission(self, request):
        codename = get_permission_codename("publish", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if self.has_publish_permission(request) else [*readonly, "status"]

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            # A revert or recovery must not publish or unpublish on its own either.
            obj.status = getattr(request, "status_to_keep", obj.status if change else Status.DRAFT)
        super().save_model(request, obj, form, change)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request.status_to_keep = (
            self.model._default_manager.filter(pk=unquote(object_id))
            .values_list("status", flat=True)
            .first()
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.status_to_keep = Status.DRAFT
        return super().recover_view(request, version_id, extra_context)

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
            for record in queryset:
                record.tags.add(name)
                comment = _("Tag “%(tag)s” added") % {"tag": name}
                self.save_with_history(request, record, comment, update_fields=["updated_at"])
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


@admin.register(Organisation)
class OrganisationAdmin(CuratedAdmin):
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
