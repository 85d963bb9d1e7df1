"""Account forms. Labels are lazy strings so they follow the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from engage.core.i18n import LANGUAGE_NAMES
from engage.core.passwords import MAX_LENGTH, MIN_LENGTH, is_common

LANGUAGE_CHOICES = [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def lower_strip(value):
    return value.strip().lower() if isinstance(value, str) else value


class NotCommonPassword:
    def __call__(self, form, field):
        if field.data and is_common(field.data):
            raise ValidationError(_l("This password is too common. Choose one that is harder to guess, such as a few unrelated words."))


def email_field(label=None):
    return EmailField(
        label or _l("Email address"),
        filters=[lower_strip],
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("An email address can be at most %(max)d characters.", max=254)),
            Email(message=_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        ],
    )


def new_password_field(label=None):
    return PasswordField(
        label or _l("Password"),
        description=_l("At least %(min)d characters. A few unrelated words make a strong password.", min=MIN_LENGTH),
        validators=[
            InputRequired(message=_l("Enter a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("The password must be between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
            NotCommonPassword(),
        ],
    )


def repeat_password_field():
    return PasswordField(
        _l("Repeat the new password"),
        validators=[
            InputRequired(message=_l("Repeat the new password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


def current_password_field():
    return PasswordField(_l("Current password"), validators=[InputRequired(message=_l("Enter your current password."))])


def display_name_field():
    return StringField(
        _l("Display name"),
        description=_l("Shown next to what you write. You can use your real name or a nickname."),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter a display name.")),
            Length(min=2, max=80, message=_l("The display name must be between %(min)d and %(max)d characters.", min=2, max=80)),
        ],
    )


def locale_field():
    return SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES, validators=[InputRequired()])


class RegisterForm(FlaskForm):
    display_name = display_name_field()
    email = email_field()
    password = new_password_field()
    locale = locale_field()
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree to how my data is used."),
        validators=[DataRequired(message=_l("You need to agree to the privacy notice to create an account."))],
    )
    submit = SubmitField(_l("Create account"))


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[InputRequired(message=_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class ResendConfirmationForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send the link again"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = new_password_field(_l("New password"))
    confirm = repeat_password_field()
    submit = SubmitField(_l("Set new password"))


class ChangePasswordForm(FlaskForm):
    current_password = current_password_field()
    password = new_password_field(_l("New password"))
    confirm = repeat_password_field()
    submit = SubmitField(_l("Change password"))


class ChangeEmailForm(FlaskForm):
    email = email_field(_l("New email address"))
    current_password = current_password_field()
    code = StringField(_l("Code from your authenticator app"), validators=[Length(max=20)],
                       description=_l("Needed when two-factor sign-in is on."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "20"})
    submit = SubmitField(_l("Change email"))


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    locale = locale_field()
    bio = TextAreaField(
        _l("Short bio"),
        description=_l("Optional. A sentence or two about you, shown on your profile."),
        filters=[strip],
        validators=[Length(max=500, message=_l("The bio can be at most %(max)d characters.", max=500))],
    )
    submit = SubmitField(_l("Save profile"))


def code_field(label=_l("Code from your authenticator app"), required=True):
    return StringField(label, validators=[DataRequired(_l("Enter the code."))] if required else [Length(max=20)],
                       description=_l("Six digits, or one of your recovery codes."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "20"})


class TwoFactorCodeForm(FlaskForm):
    code = code_field()
    submit = SubmitField(_l("Sign in"))


class EnableTwoFactorForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), validators=[DataRequired(_l("Enter the code."))],
                       description=_l("The six digits the app shows for this account."),
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "20"})
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class ConfirmIdentityForm(FlaskForm):
    """Password and, when two-factor sign-in is on, a code: before sensitive changes."""

    current_password = current_password_field()
    code = code_field(required=False)
    submit = SubmitField(_l("Confirm"))


class DisableTwoFactorForm(ConfirmIdentityForm):
    submit = SubmitField(_l("Turn off two-factor sign-in"))


class RecoveryCodesForm(ConfirmIdentityForm):
    submit = SubmitField(_l("Make new recovery codes"))
