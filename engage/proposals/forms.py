"""Forms of proposals."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from engage.core.districts import DISTRICTS
from engage.proposals.outcomes import OUTCOME_LABELS


class ProposalForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Enter a title.")),
        Length(min=10, max=150, message=_l("The title must be between %(min)d and %(max)d characters long.")),
    ], description=_l("What you propose, in one line (10 to 150 characters)."))
    body = TextAreaField(_l("Your proposal"), validators=[
        DataRequired(message=_l("Describe your proposal.")),
        Length(min=30, max=5000, message=_l("The description must be between %(min)d and %(max)d characters long.")),
    ], description=_l("The problem, what should change and who benefits (30 to 5,000 characters). Markdown: *emphasis*, lists, links, quotes."))
    topic = SelectField(_l("Topic"), coerce=int, validators=[Optional()])
    district = SelectField(_l("District"), choices=[SelectChoice("", _l("The whole city"))] + [SelectChoice(c, l) for c, l in DISTRICTS.items()],
                           validators=[Optional()])
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Submit proposal"))

    def __init__(self, round_, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.topic.choices = [SelectChoice(0, _l("Choose a topic"))] + [SelectChoice(t.id, t.name) for t in round_.topics]

    def validate_topic(self, field):
        if self.round.topics and not field.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Choose the topic your proposal is about."))

    @property
    def topic_id(self) -> int | None:
        return self.topic.data or None


class ProposalFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search proposals"), validators=[Optional(), Length(max=200)])
    topic = SelectField(_l("Topic"), coerce=int, validators=[Optional()])
    district = SelectField(_l("District"), choices=[SelectChoice("", _l("Any district"))] + [SelectChoice(c, l) for c, l in DISTRICTS.items()],
                           validators=[Optional()])
    state = SelectField(_l("Status"), choices=[SelectChoice("", _l("Any status")), SelectChoice("published", _l("Open")),
                                               SelectChoice("withdrawn", _l("Withdrawn"))], validators=[Optional()])
    outcome = SelectField(_l("Answer"), choices=[SelectChoice("", _l("Any answer")), SelectChoice("none", _l("Not yet answered"))]
                          + [SelectChoice(o.value, label) for o, label in OUTCOME_LABELS.items()], validators=[Optional()])
    sort = SelectField(_l("Sort by"), choices=[SelectChoice("newest", _l("Newest")), SelectChoice("supported", _l("Most supported")),
                                               SelectChoice("commented", _l("Most commented")), SelectChoice("random", _l("Random"))],
                       validators=[Optional()])
    submit = SubmitField(_l("Apply"))

    def __init__(self, round_, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic.choices = [SelectChoice(0, _l("Any topic"))] + [SelectChoice(t.id, t.name) for t in round_.topics]

    def value(self, name: str, default=""):
        """The field's value if it is valid, else the default: unknown filter values are ignored."""
        field = self[name]
        return default if field.errors or field.data in (None, "None") else field.data
