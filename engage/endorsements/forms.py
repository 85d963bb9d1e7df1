"""The endorsement form: which organisation, who signs, and an optional statement."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class EndorsementForm(FlaskForm):
    organisation_id = SelectField(_l("On behalf of"), coerce=int, validate_choice=False)
    signed_by = StringField(_l("Signed by"), validators=[DataRequired(_l("Enter the name of the person signing.")), Length(max=200)],
                            description=_l("The person who signs for the organisation, shown with its name."))
    statement = TextAreaField(_l("Statement (optional)"), validators=[Optional(), Length(max=500)],
                              description=_l("Why the organisation endorses this, in up to 500 characters."))
    submit = SubmitField(_l("Endorse"))
