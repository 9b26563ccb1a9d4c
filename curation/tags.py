"""Tags chosen from those that exist, with new ones still possible: on the admin form of every
tagged record, existing tags are chosen with the admin's own autocomplete (as organisations and
countries are), and a box under it takes the names of new tags."""

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag
from taggit.utils import parse_tags


def tag_fields(model):
    return [f.name for f in model._meta.many_to_many if isinstance(f, TaggableManager)]


def new_name(field_name):
    return f"new_{field_name}"


def tag_choice_field(db_field, widget):
    return forms.ModelMultipleChoiceField(
        queryset=Tag.objects.order_by("name"),
        required=False,
        label=db_field.verbose_name,
        help_text=_("Type to choose among the existing tags."),
        widget=widget,
    )


def with_new_tags(form_class, field_names):
    """`form_class` with a box for the names of new tags under each tags field; on save the
    record has the tags chosen and the new ones."""

    def clean(self):
        cleaned = super(form, self).clean()
        for name in field_names:
            if name in cleaned:
                new = parse_tags(cleaned.get(new_name(name), ""))
                chosen = list(cleaned[name])
                known = {tag.name.lower() for tag in chosen}
                cleaned[name] = [*chosen, *(tag for tag in new if tag.lower() not in known)]
        return cleaned

    boxes = {
        new_name(name): forms.CharField(
            label=_("New tags"),
            required=False,
            max_length=500,
            help_text=_("Names of tags that do not exist yet, separated by commas."),
            widget=forms.TextInput(attrs={"class": "vTextField"}),
        )
        for name in field_names
    }
    form = type(form_class.__name__, (form_class,), {**boxes, "clean": clean})
    return form


def after_tags(fields, field_names):
    """The fields of a fieldset with each new-tags box right after its tags field."""
    boxes = {new_name(name) for name in field_names}
    ordered = []
    for field in fields:
        if field in boxes:
            continue
        ordered.append(field)
        if field in field_names:
            ordered.append(new_name(field))
    return ordered
