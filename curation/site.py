"""The curators' admin site: its menu grouped into what curators use (records, vocabularies,
review), with the tables of the site's own machinery in a section only superusers see; choices
labelled the way curators tell records apart; tags chosen from those that exist."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.records import record_type

from .tags import after_tags, tag_choice_field, tag_fields, with_new_tags

RECORDS = _("Records")
VOCABULARIES = _("Vocabularies")
REVIEW = _("Review")
ADMINISTRATION = _("Site administration")


def choice_label(model_admin, obj):
    """How a record is named among choices: its admin's `choice_label`, else its name."""
    label = getattr(model_admin, "choice_label", None)
    return label(obj) if label else str(obj)


class KeysOnly:
    """Django's autocomplete widgets look the submitted values up to show them again; a forged
    value that is not a key (a word where a number belongs) made that lookup fail with a server
    error. Such values are left out: the form's own error says the choice was refused."""

    def optgroups(self, name, value, attr=None):
        field, opts = self.choices.field, self.choices.queryset.model._meta
        key = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk

        def is_key(item):
            try:
                key.to_python(item)
            except ValidationError:
                return False
            return True

        return super().optgroups(name, [item for item in value if is_key(item)], attr)


class KeysOnlySelect(KeysOnly, AutocompleteSelect):
    pass


class KeysOnlySelectMultiple(KeysOnly, AutocompleteSelectMultiple):
    pass


class LabelledChoices:
    """A model admin (or inline) whose choices of other records are named by their admin's
    `choice_label`, and whose tags are chosen among the existing ones or typed as new ones
    (curation.tags)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, TaggableManager):
            return tag_choice_field(db_field, KeysOnlySelectMultiple(db_field, self.admin_site))
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        related = self.admin_site._registry.get(getattr(db_field, "related_model", None))
        if formfield is not None and hasattr(related, "choice_label"):
            formfield.label_from_instance = related.choice_label
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KeysOnlySelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            using = kwargs.get("using")
            kwargs["widget"] = KeysOnlySelectMultiple(db_field, self.admin_site, using=using)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if tag_fields(self.model) and "form" not in kwargs:
            kwargs["form"] = with_new_tags(self.form, tag_fields(self.model))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        names = tag_fields(self.model)
        return [
            (title, {**options, "fields": after_tags(options["fields"], names)})
            for title, options in super().get_fieldsets(request, obj)
        ]


class LabelledAutocomplete(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": choice_label(self.model_admin, obj)}


class CuratedAdminSite(admin.AdminSite):
    site_header = _("Practice Atlas curation")
    site_title = _("Practice Atlas curation")
    index_title = _("Curation")
    # Pages of the menu that are no model's list: (group, label, URL name, permission needed).
    extra_pages = ()

    def add_page(self, group, label, url_name, permission):
        self.extra_pages = (*self.extra_pages, (group, label, url_name, permission))

    def page_entries(self, request):
        for group, label, url_name, permission in self.extra_pages:
            if request.user.has_perm(permission):
                entry = {
                    "name": label,
                    "object_name": url_name.rsplit(":", 1)[-1],
                    "admin_url": reverse(url_name, current_app=self.name),
                    "view_only": True,
                }
                yield str(group), entry

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every admin of the site, the record types' and the others alike, names its choices by
        their `choice_label` and refuses a forged key with the form's message (LabelledChoices)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, LabelledChoices):
            module = {"__module__": admin_class.__module__}
            admin_class = type(admin_class.__name__, (LabelledChoices, admin_class), module)
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request):
        return LabelledAutocomplete.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        groups = {}
        for app in super().get_app_list(request):
            for model in app["models"]:
                group = self.menu_group(request, app["app_label"], model["model"])
                if group is not None:
                    groups.setdefault(str(group), []).append(model)
        for group, entry in self.page_entries(request):
            groups.setdefault(group, []).append(entry)
        first, last = [str(RECORDS), str(VOCABULARIES)], [str(REVIEW), str(ADMINISTRATION)]
        order = first + sorted(set(groups) - set(first + last)) + last
        return [
            {
                "name": name,
                "app_label": slugify(name),
                "app_url": "",
                "has_module_perms": True,
                "models": sorted(groups[name], key=lambda model: str(model["name"])),
            }
            for name in order
            if name in groups
        ]

    @staticmethod
    def menu_group(request, app_label, model):
        declared = record_type(model._meta.label_lower)
        if declared is not None:
            return declared.admin_group or (RECORDS if declared.publishable else VOCABULARIES)
        if app_label == "curation":
            return REVIEW
        return ADMINISTRATION if request.user.is_superuser else None
