"""The form where people choose how each kind of notification reaches them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from engage.notifications.kinds import KIND_LABELS

CHANNELS = [SelectChoice("site", _l("On the site only")), SelectChoice("email", _l("On the site and by email"))]


class PreferencesForm(FlaskForm):
    submit = SubmitField(_l("Save my choices"))

    def kind_fields(self):
        return [(kind, self[f"kind_{kind}"]) for kind in KIND_LABELS]


for _kind, _label in KIND_LABELS.items():
    setattr(PreferencesForm, f"kind_{_kind}", RadioField(_label, choices=CHANNELS, default="email"))
