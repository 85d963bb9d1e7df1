"""Forms of the forum: its texts, its members, its decisions."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from engage.core.forms import WebAddress, add_locale_fields
from engage.core.i18n import LANGUAGE_NAMES
from engage.forum.sectors import ROLES, SECTORS
from engage.forum.services import MemberDetails

MARKDOWN_HELP = _l("Markdown: paragraphs, *emphasis*, lists, links and quotes.")


class ForumForm(FlaskForm):
    default_locale = SelectField(_l("Default language"), choices=[SelectChoice(c, n) for c, n in LANGUAGE_NAMES.items()])
    terms_url = StringField(_l("Terms of reference (document link)"),
                            validators=[Optional(), WebAddress(), Length(max=500)],
                            description=_l("A link to the decision or document that sets up the forum, if there is one."))
    submit = SubmitField(_l("Save forum"))

    def locale_fields(self, locale: str):
        return [self[f"{name}_{locale}"] for name in ("name", "mandate", "terms", "how_to_join")]


add_locale_fields(ForumForm, "name", lambda: StringField(_l("Name"), validators=[Length(max=200)]))
add_locale_fields(ForumForm, "mandate", lambda: TextAreaField(_l("Mandate"), validators=[Length(max=5000)], description=MARKDOWN_HELP))
add_locale_fields(ForumForm, "terms", lambda: TextAreaField(_l("Terms of reference"), validators=[Length(max=20000)], description=MARKDOWN_HELP))
add_locale_fields(ForumForm, "how_to_join", lambda: TextAreaField(_l("How to join"), validators=[Length(max=5000)], description=MARKDOWN_HELP))


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the member’s name.")), Length(max=200)])
    organisation_id = SelectField(_l("Registered organisation"), coerce=str, validate_choice=False,
                                  description=_l("Choose a verified organisation, or write the organisation’s name below."))
    organisation_name = StringField(_l("Organisation or institution"), validators=[Optional(), Length(max=300)])
    sector = SelectField(_l("Sector"), choices=[SelectChoice(k, v) for k, v in SECTORS.items()])
    role = SelectField(_l("Role"), choices=[SelectChoice(k, v) for k, v in ROLES.items()], default="member")
    term_start = DateField(_l("Term starts"), validators=[InputRequired(_l("Enter when the term starts."))])
    term_end = DateField(_l("Term ends"), validators=[Optional()], description=_l("Leave empty while the term runs."))
    account_email = StringField(_l("Account email (optional)"), validators=[Optional(), Length(max=254)],
                                description=_l("If the member has an account on this site, link it with its email address."))
    submit = SubmitField(_l("Save member"))

    def details(self, organisation_id: int | None, user_id: int | None) -> MemberDetails:
        return MemberDetails(
            name=self.name.data, sector=self.sector.data, role=self.role.data,
            organisation_name=self.organisation_name.data or "", organisation_id=organisation_id, user_id=user_id,
            term_start=self.term_start.data, term_end=self.term_end.data,
        )


class DecisionForm(FlaskForm):
    decided_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the decision."))])
    text = TextAreaField(_l("Decision"), validators=[DataRequired(_l("Write the decision.")), Length(max=2000)])
    meeting_id = SelectField(_l("Taken at the meeting"), coerce=str, validate_choice=False)
    submit = SubmitField(_l("Add decision"))
