"""Forms of consultation rounds. Labels are lazy strings so they follow the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.fields.choices import SelectChoice
from wtforms import DateTimeLocalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from engage.auth.forms import email_field

from engage.core.districts import DISTRICTS
from engage.core.i18n import LANGUAGE_NAMES
from engage.rounds.phases import PHASE_LABELS, PhaseType
from engage.rounds.services import Texts

LOCALES = tuple(LANGUAGE_NAMES)


class RoundForm(FlaskForm):
    default_locale = SelectField(
        _l("Default language"), choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        description=_l("Readers whose language is missing see the round in this language."),
    )
    organiser = StringField(_l("Organiser"), validators=[DataRequired(), Length(max=200)],
                            description=_l("The institution that runs the consultation."))
    district = SelectField(_l("Scope"), choices=[SelectChoice("", _l("The whole city"))] + [SelectChoice(c, l) for c, l in DISTRICTS.items()])
    topics = TextAreaField(_l("Topics"), validators=[Optional(), Length(max=2000)],
                           description=_l("One per line. Proposals are filed under one of them."))
    submit = SubmitField(_l("Save round"))

    def locale_fields(self, locale: str):
        return [self[f"title_{locale}"], self[f"summary_{locale}"], self[f"description_{locale}"]]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for locale in LOCALES:
            title, summary, description = self.locale_fields(locale)
            required = locale == self.default_locale.data or any(
                (f.data or "").strip() for f in (title, summary, description)
            )
            if not required:
                continue
            for field, message in ((title, _l("Enter a title.")), (summary, _l("Enter a summary."))):
                if not (field.data or "").strip():
                    field.errors = list(field.errors) + [message]
                    valid = False
        return valid

    def texts(self) -> dict[str, Texts]:
        result = {}
        for locale in LOCALES:
            title, summary, description = (f.data.strip() if f.data else "" for f in self.locale_fields(locale))
            if title or summary or description:
                result[locale] = Texts(title=title, summary=summary, description=description)
        return result

    def topic_names(self) -> list[str]:
        return [line.strip() for line in (self.topics.data or "").splitlines() if line.strip()]

    def fill_from(self, round_) -> None:
        self.default_locale.data = round_.default_locale
        self.organiser.data = round_.organiser
        self.district.data = round_.district or ""
        self.topics.data = "\n".join(t.name for t in round_.topics)
        for text in round_.texts:
            self[f"title_{text.locale}"].data = text.title
            self[f"summary_{text.locale}"].data = text.summary
            self[f"description_{text.locale}"].data = text.description


for _code in LOCALES:
    setattr(RoundForm, f"title_{_code}", StringField(_l("Title"), validators=[Length(max=200)]))
    setattr(RoundForm, f"summary_{_code}", TextAreaField(_l("Summary"), validators=[Length(max=500)],
                                                         description=_l("One or two sentences shown in lists.")))
    setattr(RoundForm, f"description_{_code}", TextAreaField(
        _l("Description"), validators=[Length(max=20000)],
        description=_l("Markdown: paragraphs, *emphasis*, lists, links and quotes."),
    ))


class PhaseForm(FlaskForm):
    type = SelectField(_l("Type"), choices=[SelectChoice(t.value, label) for t, label in PHASE_LABELS.items()])
    starts_at = DateTimeLocalField(_l("Starts"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                   validators=[InputRequired(_l("Enter when the phase starts."))])
    ends_at = DateTimeLocalField(_l("Ends"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                 validators=[InputRequired(_l("Enter when the phase ends."))])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)],
                       description=_l("For example: what happens in this phase."))
    submit = SubmitField(_l("Save phase"))

    @property
    def phase_type(self) -> PhaseType:
        return PhaseType(self.type.data)


class DocumentForm(FlaskForm):
    title = StringField(_l("Document title"), validators=[DataRequired(), Length(max=200)])
    url = StringField(_l("Link"), validators=[Optional(), URL(require_tld=False, message=_l("Enter a full web address starting with https://.")), Length(max=500)],
                      description=_l("Either a link to the document…"))
    file = FileField(_l("File"), description=_l("…or a PDF, ODT or DOCX file of up to 10 MB."))
    submit = SubmitField(_l("Add document"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        has_url = bool((self.url.data or "").strip())
        if has_file == has_url:
            self.url.errors = list(self.url.errors) + [_l("Give either a link or a file, not both.") if has_file else _l("Give a link or choose a file.")]
            return False
        if has_url and not self.url.data.lower().startswith(("http://", "https://")):
            self.url.errors = list(self.url.errors) + [_l("Enter a full web address starting with https://.")]
            return False
        return valid


class FacilitatorForm(FlaskForm):
    email = email_field(_l("Facilitator’s email address"))
    submit = SubmitField(_l("Assign"))
