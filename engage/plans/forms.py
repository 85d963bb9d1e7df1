"""Forms of action plans: the plan, its commitments and milestones, progress updates, proposal links, reports."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, MonthField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from engage.core.forms import CheckboxList, add_locale_fields
from engage.core.i18n import LANGUAGE_NAMES
from engage.plans.kinds import MILESTONE_STATUSES, OGP_VALUES, PLAN_STATUSES


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


add_locale_fields(ReportForm, "narrative", lambda: TextAreaField(
    _l("Narrative"), validators=[Optional(), Length(max=20000)],
    description=_l("Markdown: paragraphs, *emphasis*, lists, links and quotes.")))


# --- Writing plans, commitments and milestones in the browser ------------------------------------

MARKDOWN_HELP = _l("Markdown: paragraphs, *emphasis*, lists, links and quotes.")
MONTH_HELP = _l("Year and month, e.g. 2025-02.")


class PlanForm(FlaskForm):
    default_locale = SelectField(_l("Default language"), choices=[SelectChoice(c, n) for c, n in LANGUAGE_NAMES.items()])
    period_start = MonthField(_l("First month"), validators=[InputRequired(_l("Enter the plan’s first month."))],
                              description=MONTH_HELP)
    period_end = MonthField(_l("Last month"), validators=[InputRequired(_l("Enter the plan’s last month."))],
                            description=MONTH_HELP)
    status = SelectField(_l("Status"), choices=[SelectChoice(k, v) for k, v in PLAN_STATUSES.items()])
    adoption_reference = StringField(_l("Adoption decision"), validators=[Optional(), Length(max=300)],
                                     description=_l("The decision that adopted the plan: its number and who took it."))
    adopted_on = DateField(_l("Adopted on"), validators=[Optional()])
    monitoring_contact = StringField(_l("Public contact of the monitoring body"), validators=[Optional(), Length(max=1000)],
                                     description=_l("An email address, phone or web page where residents can reach it."))
    round_ids = CheckboxList(_l("Co-created in these rounds"), coerce=int, validate_choice=False,
                                   description=_l("Proposals of these rounds can be linked to the plan’s commitments."))
    submit = SubmitField(_l("Save the plan"))

    def locale_fields(self, locale: str):
        return [self[f"{name}_{locale}"] for name in ("title", "jurisdiction", "lead_institutions", "monitoring_body")]


add_locale_fields(PlanForm, "title", lambda: StringField(_l("Title"), validators=[Length(max=300)]))
add_locale_fields(PlanForm, "jurisdiction", lambda: StringField(_l("Jurisdiction"), validators=[Length(max=200)],
                                                                description=_l("For example: Kyiv city.")))
add_locale_fields(PlanForm, "lead_institutions", lambda: TextAreaField(_l("Lead institutions"), validators=[Length(max=2000)]))
add_locale_fields(PlanForm, "monitoring_body", lambda: TextAreaField(
    _l("Independent monitoring body"), validators=[Length(max=2000)],
    description=_l("Who checks, independently of the government, that the plan is carried out.")))


class CommitmentForm(FlaskForm):
    number = StringField(_l("Number"), validators=[DataRequired(_l("Give the commitment a number.")), Length(max=20)],
                         description=_l("As in the adopted plan, e.g. 3."))
    ogp_values = CheckboxList(_l("OGP values"), choices=[SelectChoice(k, v) for k, v in OGP_VALUES.items()],
                                    description=_l("Every value the commitment advances."))
    lead_institutions = TextAreaField(_l("Lead institutions"), validators=[Optional(), Length(max=2000)])
    partners = TextAreaField(_l("Partners"), validators=[Optional(), Length(max=2000)],
                             description=_l("Institutions and groups in words; registered organisations are added on the commitment’s page."))
    submit = SubmitField(_l("Save the commitment"))

    def locale_fields(self, locale: str):
        return [self[f"{name}_{locale}"] for name in ("title", "problem", "objective", "expected_results")]


add_locale_fields(CommitmentForm, "title", lambda: StringField(_l("Title"), validators=[Length(max=500)]))
add_locale_fields(CommitmentForm, "problem", lambda: TextAreaField(_l("Problem"), validators=[Length(max=10000)],
                                                                   description=MARKDOWN_HELP))
add_locale_fields(CommitmentForm, "objective", lambda: TextAreaField(_l("Objective"), validators=[Length(max=10000)],
                                                                     description=MARKDOWN_HELP))
add_locale_fields(CommitmentForm, "expected_results", lambda: TextAreaField(
    _l("Expected results"), validators=[Length(max=10000)], description=MARKDOWN_HELP))


class MilestoneForm(FlaskForm):
    number = StringField(_l("Number"), validators=[Optional(), Length(max=20)], description=_l("E.g. 3.2."))
    responsible = TextAreaField(_l("Responsible institutions"), validators=[Optional(), Length(max=2000)])
    start_month = MonthField(_l("Starts in"), validators=[InputRequired(_l("Enter the month it starts."))],
                             description=MONTH_HELP)
    end_month = MonthField(_l("Ends in"), validators=[InputRequired(_l("Enter the month it is due."))],
                           description=MONTH_HELP)
    status = SelectField(_l("Status when added"), choices=[SelectChoice(k, v) for k, v in MILESTONE_STATUSES.items()],
                         description=_l("Later changes of status come from progress updates."))
    submit = SubmitField(_l("Save the milestone"))

    def locale_fields(self, locale: str):
        return [self[f"{name}_{locale}"] for name in ("description", "indicator")]


add_locale_fields(MilestoneForm, "description", lambda: TextAreaField(_l("Description"), validators=[Length(max=3000)]))
add_locale_fields(MilestoneForm, "indicator", lambda: TextAreaField(
    _l("Completion indicator"), validators=[Length(max=3000)], description=_l("What shows that the step is done.")))


class PartnerForm(FlaskForm):
    organisation_id = SelectField(_l("Registered organisation"), coerce=str, validate_choice=False)
    submit = SubmitField(_l("Add the partner"))
