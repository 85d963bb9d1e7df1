from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice

from engage.core.permissions import ROLE_LABELS, Role


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Name or email"))
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("Any role"))] + [SelectChoice(r.value, ROLE_LABELS[r]) for r in Role.grantable()],
    )
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("Any status")),
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Deactivated")),
            SelectChoice("unconfirmed", _l("Email not confirmed")),
        ],
    )
    submit = SubmitField(_l("Search"))


class RoleForm(FlaskForm):
    """Grant or revoke one role; the button pressed says which."""

    grant = SubmitField(_l("Grant"))
    revoke = SubmitField(_l("Revoke"))


class ActivationForm(FlaskForm):
    submit = SubmitField()
