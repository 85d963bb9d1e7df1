"""Forms of the organisations register."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from engage.core.districts import DISTRICTS
from engage.core.forms import CheckboxList, WebAddress
from engage.organisations.kinds import AREAS, KINDS
from engage.organisations.services import Details


class OrganisationForm(FlaskForm):
    name_uk = StringField(_l("Name in Ukrainian"), validators=[DataRequired(_l("Enter the organisation’s name.")), Length(max=300)],
                          description=_l("As in the state register."))
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("", _l("Choose…"))] + [SelectChoice(k, v) for k, v in KINDS.items()],
                       validators=[DataRequired(_l("Choose the kind of organisation."))])
    edrpou = StringField(_l("EDRPOU code"), validators=[Optional(), Regexp(r"^\s*\d{8}\s*$", message=_l("The EDRPOU code has eight digits."))],
                         description=_l("Eight digits. Required for NGOs, charitable foundations and associations; leave empty for kinds that have none."))
    website = StringField(_l("Website"), validators=[Optional(), WebAddress(), Length(max=300)])
    email = StringField(_l("Public contact email"), validators=[Optional(), Email(message=_l("Enter an email address like name@example.org.")), Length(max=254)],
                        description=_l("Shown on the organisation’s public page."))
    areas = CheckboxList(_l("Areas of work"), choices=[SelectChoice(k, v) for k, v in AREAS.items()])
    districts = CheckboxList(_l("Districts served"), choices=[SelectChoice(k, v) for k, v in DISTRICTS.items()],
                             description=_l("Leave all unticked if the organisation works across the whole city."))
    description = TextAreaField(_l("Short description"), validators=[Optional(), Length(max=1000)],
                                description=_l("What the organisation does, in a few sentences (up to 1,000 characters)."))
    submit = SubmitField(_l("Save"))

    def details(self) -> Details:
        return Details(
            name_uk=self.name_uk.data.strip(), name_en=(self.name_en.data or "").strip(), kind=self.kind.data,
            edrpou=(self.edrpou.data or "").strip(), website=(self.website.data or "").strip(),
            email=(self.email.data or "").strip(), description=(self.description.data or "").strip(),
            areas=list(self.areas.data or []), districts=list(self.districts.data or []),
        )

    def fill_from(self, organisation) -> None:
        for name in ("name_uk", "name_en", "kind", "website", "email", "description"):
            self[name].data = getattr(organisation, name)
        self.edrpou.data = organisation.edrpou or ""
        self.areas.data = organisation.area_codes
        self.districts.data = organisation.district_codes


class InviteForm(FlaskForm):
    email = StringField(_l("Email address of the person to invite"),
                        validators=[DataRequired(_l("Enter an email address.")),
                                    Email(message=_l("Enter an email address like name@example.org.")), Length(max=254)])
    submit = SubmitField(_l("Send the invitation"))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[SelectChoice("verified", _l("Verify")), SelectChoice("rejected", _l("Reject"))],
                          validators=[DataRequired(_l("Choose verify or reject."))])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)],
                           description=_l("Required for a rejection. The representatives receive it."))
    submit = SubmitField(_l("Record the decision"))
