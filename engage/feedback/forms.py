"""Forms for answering proposals and writing the round report."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from engage.core.i18n import LANGUAGE_NAMES
from engage.core.urls import MAX_ID
from engage.proposals.outcomes import OUTCOME_LABELS, Outcome


class ResponseForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice(o.value, label) for o, label in OUTCOME_LABELS.items()])
    merged_into = IntegerField(_l("Merged into proposal no."), validators=[Optional(), NumberRange(min=1, max=MAX_ID)],
                               description=_l("Only for “Merged”: the number of the proposal of this round it joins."))
    reason = TextAreaField(_l("Reason"), validators=[Length(max=10000)],
                           description=_l("Required for every outcome but “Under evaluation”. Markdown: *emphasis*, lists, links, quotes."))
    # Offered on the answer page when a plan came from the proposal's round (engage.plans).
    commitment_id = SelectField(_l("Commitment it became"), coerce=str, validate_choice=False, default="",
                                description=_l("For “Accepted” and “Partially accepted”: the action plan’s commitment that answers it."))
    submit = SubmitField(_l("Publish the answer"))

    @property
    def chosen_outcome(self) -> Outcome:
        return Outcome(self.outcome.data)


class ReportSectionsForm(FlaskForm):
    submit = SubmitField(_l("Save the report"))

    def fields_for(self, locale: str):
        return self[f"heard_{locale}"], self[f"changed_{locale}"]


for _code in LANGUAGE_NAMES:
    setattr(ReportSectionsForm, f"heard_{_code}", TextAreaField(
        _l("What we heard"), validators=[Length(max=20000)],
        description=_l("A summary of the proposals, comments and meetings. Markdown.")))
    setattr(ReportSectionsForm, f"changed_{_code}", TextAreaField(
        _l("What we changed"), validators=[Length(max=20000)],
        description=_l("What the input changed in the decision or the plan. Markdown.")))


class CloseRoundForm(FlaskForm):
    confirm = BooleanField(_l("Close the round even though some proposals have no final answer"))
    submit = SubmitField(_l("Close the round now"))
