"""Forms of meetings: preparing one, and recording it afterwards."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from engage.core.forms import WebAddress, add_locale_fields
from engage.core.i18n import LANGUAGE_NAMES
from engage.forum.sectors import SECTORS
from engage.meetings.kinds import KINDS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def sensible_year(form, field) -> None:
    """Dates far in the past or future are typing mistakes (and beyond what calendars can hold)."""
    if field.data is not None and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))
MARKDOWN_HELP = _l("Markdown: paragraphs, *emphasis*, lists, links and quotes.")


class MeetingForm(FlaskForm):
    kind = SelectField(_l("Kind of meeting"), choices=[SelectChoice(k, v) for k, v in KINDS.items()])
    round_id = SelectField(_l("Consultation round"), coerce=str, validate_choice=False)
    forum_id = SelectField(_l("Forum"), coerce=str, validate_choice=False,
                           description=_l("A meeting belongs to a round, to the forum, or to both."))
    default_locale = SelectField(_l("Default language"), choices=[SelectChoice(c, n) for c, n in LANGUAGE_NAMES.items()])
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[InputRequired(_l("Enter when the meeting starts.")), sensible_year])
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[InputRequired(_l("Enter when the meeting ends.")), sensible_year])
    venue_name = StringField(_l("Venue"), validators=[Optional(), Length(max=200)],
                             description=_l("For example: Vcentri HUB, Obolon district."))
    venue_address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    accessibility = TextAreaField(_l("Accessibility"), validators=[Optional(), Length(max=500)],
                                  description=_l("Step-free access, sign language, hearing loop, childcare…"))
    online_url = StringField(_l("Online link"), validators=[Optional(), WebAddress(), Length(max=500)])
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(min=1, max=100000, message=_l("Enter a number of people from 1 upwards."))],
                            description=_l("Leave empty for no limit. Beyond it, people join a waitlist."))
    registration_required = BooleanField(_l("People register to attend"))
    submit = SubmitField(_l("Save meeting"))

    def locale_fields(self, locale: str):
        return [self[f"{name}_{locale}"] for name in ("title", "description", "agenda")]


add_locale_fields(MeetingForm, "title", lambda: StringField(_l("Title"), validators=[Length(max=200)]))
add_locale_fields(MeetingForm, "description", lambda: TextAreaField(_l("Description"), validators=[Length(max=5000)], description=MARKDOWN_HELP))
add_locale_fields(MeetingForm, "agenda", lambda: TextAreaField(_l("Agenda"), validators=[Length(max=10000)], description=MARKDOWN_HELP))


class AfterMeetingForm(FlaskForm):
    attendance_total = IntegerField(_l("People who attended"), validators=[Optional(), NumberRange(min=0, max=1000000, message=_l("Enter a number of people."))])
    submit = SubmitField(_l("Save attendance and minutes"))


for _code in SECTORS:
    setattr(AfterMeetingForm, f"sector_{_code}", IntegerField(
        SECTORS[_code], validators=[Optional(), NumberRange(min=0, max=1000000, message=_l("Enter a number of people."))]))
add_locale_fields(AfterMeetingForm, "minutes", lambda: TextAreaField(_l("Minutes"), validators=[Length(max=50000)], description=MARKDOWN_HELP))


class PublishForm(FlaskForm):
    confirm_short_notice = BooleanField(_l("Publish anyway, marked as short notice"))
    submit = SubmitField(_l("Publish"))
