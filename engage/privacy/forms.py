"""Forms of the privacy pages. Labels are lazy strings so they follow the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from engage.auth.forms import code_field, current_password_field

CONTRIBUTIONS_HELP = _l("Without this, your proposals and comments stay on the site, shown as by “a former "
                        "participant”. With it, their text is removed; a comment others replied to keeps its "
                        "place with a note that its author removed it.")


class DownloadForm(FlaskForm):
    submit = SubmitField(_l("Download my data"))


class DeleteAccountForm(FlaskForm):
    current_password = current_password_field()
    code = code_field(required=False)
    delete_contributions = BooleanField(_l("Also delete my proposals and comments"), description=CONTRIBUTIONS_HELP)
    understood = BooleanField(_l("I understand that this cannot be undone"),
                              validators=[DataRequired(message=_l("Tick this box to confirm that you understand."))])
    submit = SubmitField(_l("Delete my account"))


class AdminDeleteForm(FlaskForm):
    delete_contributions = BooleanField(_l("Also delete their proposals and comments"), description=CONTRIBUTIONS_HELP)
    requested = BooleanField(_l("The person asked for their account to be deleted"),
                             validators=[DataRequired(message=_l("Tick this box to confirm that the person asked for it."))])
    submit = SubmitField(_l("Delete this account"))
