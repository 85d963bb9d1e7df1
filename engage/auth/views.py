"""Account pages. Each view: load, check, call a service, render or redirect."""
from __future__ import annotations


from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from engage.auth import services
from engage.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
)
from engage.core.urls import local_path
from engage.core.permissions import permission_required
from engage.core.tokens import ExpiredToken, InvalidToken
from engage.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/account")


def _limit(key: str):
    return limiter.limit(lambda: current_app.config[key], methods=["POST"])


def safe_next(default: str = "main.index") -> str:
    """Only follow ``next`` when it is a path on this site."""
    return local_path(url_for(default))


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = request.args.get("locale") or _current_locale()
    if form.validate_on_submit():
        services.register(
            email=form.email.data, display_name=form.display_name.data,
            password=form.password.data, locale=form.locale.data,
        )
        return redirect(url_for("auth.check_email", email=form.email.data))
    return render_template("auth/register.html", form=form)


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale())


@bp.route("/check-email")
def check_email():
    return render_template("auth/check_email.html", email=request.args.get("email", "")[:254])


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    try:
        services.confirm_email(token)
    except ExpiredToken:
        flash(_("This confirmation link has expired. Enter your email to get a new one."), "error")
        return redirect(url_for("auth.resend_confirmation"))
    except InvalidToken:
        flash(_("This confirmation link is not valid. Enter your email to get a new one."), "error")
        return redirect(url_for("auth.resend_confirmation"))
    flash(_("Your email address is confirmed. You can sign in now."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def resend_confirmation():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        return redirect(url_for("auth.check_email", email=form.email.data))
    return render_template("auth/email_form.html", form=form, heading=_("Get a new confirmation link"))


@bp.route("/sign-in", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGN_IN")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data)
        if result.problem is None:
            login_user(result.user, remember=form.remember.data)
            flash(_("You are signed in. Welcome, %(name)s!", name=result.user.display_name), "success")
            return redirect(safe_next())
        if result.problem == "deactivated":
            form.form_errors.append(_("This account has been deactivated. Contact the site administrators if you think this is a mistake."))
        elif result.problem == "unconfirmed":
            form.form_errors.append(_("Please confirm your email address first: follow the link we sent you, or ask for a new one."))
        else:
            form.form_errors.append(_("The email address or password is not correct."))
    return render_template("auth/login.html", form=form, next=request.values.get("next", ""))


@bp.route("/sign-out", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for %(email)s, we have sent it a link to set a new password. The link works for one hour.", email=form.email.data), "info")
        return redirect(url_for("auth.login"))
    return render_template(
        "auth/email_form.html", form=form, heading=_("Reset your password"),
        intro=_("Enter the email address of your account and we will send you a link to set a new password."),
    )


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_PASSWORD_RESET")
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except InvalidToken:
        flash(_("This password reset link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        logout_user()
        flash(_("Your password has been changed. Sign in with the new password."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


# --- Signed-in account pages --------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@login_required
@permission_required("account.manage")
def profile():
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    if form.validate_on_submit():
        services.update_profile(current_user, display_name=form.display_name.data, locale=form.locale.data, bio=form.bio.data or "")
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@permission_required("account.manage")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError:
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            # The session token changed: keep this session, end the others.
            login_user(current_user._get_current_object(), remember=False)
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@permission_required("account.manage")
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.email.data, form.current_password.data)
        except services.AccountError as exc:
            if str(exc) == "same_email":
                form.email.errors.append(_("This is already your email address."))
            else:
                form.current_password.errors.append(_("The current password is not correct."))
        else:
            flash(_("We have sent a confirmation link to %(email)s. Your email address changes when you follow it.", email=form.email.data), "info")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/email/confirm/<token>")
def confirm_email_change(token: str):
    try:
        services.confirm_email_change(token)
    except InvalidToken:
        flash(_("This email change link has expired or is not valid."), "error")
    except services.AccountError:
        flash(_("This email address is already used by another account."), "error")
    else:
        flash(_("Your email address has been changed."), "success")
    return redirect(url_for("auth.profile") if current_user.is_authenticated else url_for("auth.login"))
