from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional

from engage.audit.services import ACTIONS
from engage.core.urls import MAX_ID


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    person = StringField(_l("Person (name or email)"), validators=[Optional()])
    action = SelectField(_l("Action"), choices=[SelectChoice("", _l("Any action"))]
                         + [SelectChoice(value, label) for value, label in ACTIONS.items()], validators=[Optional()])
    target_type = SelectField(_l("Kind of object"), choices=[SelectChoice("", _l("Any kind"))], validate_choice=False)
    target_id = IntegerField(_l("Object number"), validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))
