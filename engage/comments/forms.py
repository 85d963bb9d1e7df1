"""Forms of comments."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

STANCE_LABELS = {"for": _l("For"), "against": _l("Against"), "neutral": _l("Neutral")}


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[
        DataRequired(message=_l("Write your comment.")),
        Length(min=2, max=3000, message=_l("A comment must be between %(min)d and %(max)d characters long.")),
    ], description=_l("Markdown: *emphasis*, lists, links and quotes. Be respectful; comments are public."))
    stance = SelectField(_l("Your position on the proposal (optional)"), validators=[Optional()], choices=[
        SelectChoice("", _l("No position")), *(SelectChoice(k, v) for k, v in STANCE_LABELS.items()),
    ])
    parent_id = HiddenField()
    submit = SubmitField(_l("Publish comment"))

    @property
    def parent_comment_id(self) -> int | None:
        from engage.core.urls import parse_id

        return parse_id(self.parent_id.data) if self.parent_id.data else None
