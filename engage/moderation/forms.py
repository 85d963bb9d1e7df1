"""Forms for flagging and moderating."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from engage.moderation.services import REASONS


class FlagForm(FlaskForm):
    reason = RadioField(_l("What is wrong?"), choices=[SelectChoice(k, v) for k, v in REASONS.items()],
                        validators=[DataRequired(message=_l("Choose a reason."))])
    details = TextAreaField(_l("Details"), validators=[Optional(), Length(max=1000)],
                            description=_l("Required if you chose “Something else”. Moderators read this; it is not public."))
    submit = SubmitField(_l("Send to moderators"))


class HideForm(FlaskForm):
    reason = StringField(_l("Reason shown to everyone"), validators=[
        DataRequired(message=_l("Give the reason; it is shown publicly in place of the content.")), Length(max=300),
    ], description=_l("For example: “Contains a private phone number”."))
    submit = SubmitField(_l("Hide"))


class NoteForm(FlaskForm):
    reason = StringField(_l("Note for the record (optional)"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Confirm"))
