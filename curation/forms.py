"""The curated record form: a reason for the change, and the record's state when the form was
shown, signed, so that a save from a stale form is refused with what changed meanwhile."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .snapshots import (
    differences,
)

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
