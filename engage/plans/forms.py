"""Forms of action plans: progress updates and proposal links."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from engage.plans.kinds import MILESTONE_STATUSES


class UpdateForm(FlaskForm):
    reported_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the progress."))])
    text = TextAreaField(_l("What was done"), validators=[DataRequired(_l("Describe the progress.")), Length(max=5000)])
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("No change"))] +
                         [SelectChoice(k, v) for k, v in MILESTONE_STATUSES.items()])
    evidence = TextAreaField(_l("Evidence links"), validators=[Optional(), Length(max=3000)],
                             description=_l("One web address per line: documents, decisions, pages that show the progress."))
    submit = SubmitField(_l("Publish the update"))

    def validate_evidence(self, field) -> None:
        for line in self.evidence_links():
            if not line.lower().startswith(("http://", "https://")) or " " in line:
                raise ValidationError(_l("Each line must be a full web address starting with https://."))

    def evidence_links(self) -> list[str]:
        return [line.strip() for line in (self.evidence.data or "").splitlines() if line.strip()]


class LinkProposalForm(FlaskForm):
    proposal_id = StringField(_l("Proposal number"), validators=[DataRequired(_l("Enter the proposal's number."))],
                              description=_l("The number in the proposal's address, e.g. 12 for /proposals/12."))
    submit = SubmitField(_l("Link the proposal"))


class ReportForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the report a title.")), Length(max=200)],
                        description=_l("For example: First quarter of 2025."))
    period_start = DateField(_l("Period starts"), validators=[InputRequired(_l("Enter when the period starts."))])
    period_end = DateField(_l("Period ends"), validators=[InputRequired(_l("Enter when the period ends."))])
    submit = SubmitField(_l("Publish the report"))


for _code in ("uk", "en", "es"):
    setattr(ReportForm, f"narrative_{_code}", TextAreaField(_l("Narrative"), validators=[Optional(), Length(max=20000)],
                                                          description=_l("Markdown: paragraphs, *emphasis*, lists, links and quotes.")))
