"""Forms for building surveys. The answer form is built from the questions (see answers.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from engage.core.i18n import LANGUAGE_NAMES
from engage.surveys.kinds import MAX_RANKING_OPTIONS, SCALES, TEXT_LIMIT, TYPE_LABELS, QuestionType

LOCALES = tuple(LANGUAGE_NAMES)
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class SurveyForm(FlaskForm):
    opens_at = DateTimeLocalField(_l("Opens"), format=DATETIME_FORMATS,
                                  validators=[InputRequired(_l("Enter when the survey opens."))])
    closes_at = DateTimeLocalField(_l("Closes"), format=DATETIME_FORMATS,
                                   validators=[InputRequired(_l("Enter when the survey closes."))])
    allow_anonymous = BooleanField(_l("Allow answers without an account"),
                                   description=_l("One answer per browser, and a limit per network address."))
    results_visibility = RadioField(_l("Results"), default="after_close", choices=[
        SelectChoice("after_close", _l("Public once the survey has closed")),
        SelectChoice("live", _l("Public while the survey runs")),
    ])
    submit = SubmitField(_l("Save survey"))

    def __init__(self, *args, default_locale: str = "uk", **kwargs):
        super().__init__(*args, **kwargs)
        self.default_locale = default_locale

    def locale_fields(self, locale: str):
        return self[f"title_{locale}"], self[f"introduction_{locale}"]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        title, _intro = self.locale_fields(self.default_locale)
        if not (title.data or "").strip():
            title.errors = list(title.errors) + [_l("Enter a title in the round’s default language.")]
            valid = False
        return valid

    def texts(self, field: str) -> dict[str, str]:
        return {locale: (self[f"{field}_{locale}"].data or "") for locale in LOCALES}


for _code in LOCALES:
    setattr(SurveyForm, f"title_{_code}", StringField(_l("Title"), validators=[Length(max=200)]))
    setattr(SurveyForm, f"introduction_{_code}", TextAreaField(
        _l("Introduction"), validators=[Length(max=10000)],
        description=_l("Why you ask, how long it takes, how the answers will be used. Markdown.")))


class QuestionForm(FlaskForm):
    type = SelectField(_l("Type of question"), choices=[SelectChoice(t.value, label) for t, label in TYPE_LABELS.items()])
    required = BooleanField(_l("An answer is required"))
    allow_other = BooleanField(_l("Offer “Other”, with a text box"))
    max_choices = IntegerField(_l("Maximum number of picks"), validators=[Optional(), NumberRange(min=1, max=30)],
                               description=_l("Multiple choice only; leave empty for no limit."))
    scale = SelectField(_l("Scale"), choices=[SelectChoice(key, key.replace("-", " – ")) for key in SCALES], default="1-5")
    long_text = BooleanField(_l("Allow a long answer (several lines)"))
    max_length = IntegerField(_l("Maximum length (characters)"),
                              validators=[Optional(), NumberRange(min=10, max=TEXT_LIMIT)],
                              description=_l("Free text only; up to %(limit)d.", limit=TEXT_LIMIT))
    submit = SubmitField(_l("Save question"))

    def locale_fields(self, locale: str):
        return [self[f"{name}_{locale}"] for name in ("prompt", "description", "options", "min_label", "max_label")]

    def texts(self, field: str) -> dict[str, str]:
        return {locale: (self[f"{field}_{locale}"].data or "") for locale in LOCALES}

    def option_labels(self, default_locale: str) -> list[dict[str, str]]:
        """One dict per option line of the default language, with the same line of the other languages."""
        lines = {locale: [line.strip() for line in (self[f"options_{locale}"].data or "").splitlines() if line.strip()]
                 for locale in LOCALES}
        return [{locale: (lines[locale][n] if n < len(lines[locale]) else "") for locale in LOCALES}
                for n in range(len(lines[default_locale]))]

    @property
    def question_type(self) -> QuestionType:
        try:
            return QuestionType(self.type.data)
        except ValueError:  # an unknown type sent by hand: the form shows the error, as a single choice
            return QuestionType.SINGLE


for _code in LOCALES:
    setattr(QuestionForm, f"prompt_{_code}", StringField(_l("Question"), validators=[Length(max=500)]))
    setattr(QuestionForm, f"description_{_code}", TextAreaField(_l("Short description"), validators=[Length(max=1000)]))
    setattr(QuestionForm, f"options_{_code}", TextAreaField(
        _l("Options"), validators=[Length(max=5000)],
        description=_l("One per line, in the same order in every language (at most %(count)d for a ranking).",
                       count=MAX_RANKING_OPTIONS)))
    setattr(QuestionForm, f"min_label_{_code}", StringField(_l("Label of the lowest value"), validators=[Length(max=100)]))
    setattr(QuestionForm, f"max_label_{_code}", StringField(_l("Label of the highest value"), validators=[Length(max=100)]))


class HideAnswerForm(FlaskForm):
    reason = StringField(_l("Reason shown in the moderation log"), validators=[InputRequired(_l("Give a reason.")), Length(max=300)])
    submit = SubmitField(_l("Hide"))
