"""Account pages. Each view: load, check, call a service, render or redirect."""
from __future__ import annotations


import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from markupsafe import Markup
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required, login_user, logout_user

from engage.auth import reauth, services, sessions, twofactor
from engage.core.passwords import verify_password
from engage.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmIdentityForm,
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    RecoveryCodesForm,
    TwoFactorCodeForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
)
from engage.core.forms import ActionForm, check_action_form
from engage.core.time import format_datetime
from engage.core.urls import local_path, parse_id, safe_next
from engage.core.permissions import permission_required
from engage.core.tokens import ExpiredToken, InvalidToken
from engage.extensions import limiter

bp = Blueprint("auth", __name__, url_prefix="/account")


def _limit(key: str):
    return limiter.limit(lambda: current_app.config[key], methods=["POST"])




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
            if result.user.has_two_factor:  # the password was right; the code comes next
                session["two_factor"] = {"uid": result.user.id, "remember": bool(form.remember.data),
                                         "next": safe_next(), "since": time.time()}
                return redirect(url_for("auth.two_factor"))
            return _signed_in(result.user, bool(form.remember.data), safe_next())
        if result.problem == "locked":
            form.form_errors.append(_("Too many failed attempts for this address. Signing in with it is paused until %(time)s; you can set a new password meanwhile.",
                                      time=format_datetime(result.hold.until, "short")))
        elif result.problem == "wait":
            form.form_errors.append(ngettext("Too many failed attempts. Wait %(num)d second, then try again.",
                                             "Too many failed attempts. Wait %(num)d seconds, then try again.",
                                             result.hold.seconds))
        elif result.problem == "deactivated":
            form.form_errors.append(_("This account has been deactivated. Contact the site administrators if you think this is a mistake."))
        elif result.problem == "unconfirmed":
            form.form_errors.append(_("Please confirm your email address first: follow the link we sent you, or ask for a new one."))
        else:
            form.form_errors.append(_("The email address or password is not correct."))
    return render_template("auth/login.html", form=form, next=request.values.get("next", ""))


def _signed_in(user, remember: bool, next_url: str):
    sessions.start(user, remember=remember)
    login_user(user, remember=remember)
    reauth.confirmed()  # signing in is a fresh proof of identity
    flash(_("You are signed in. Welcome, %(name)s!", name=user.display_name), "success")
    return redirect(next_url)


PENDING_SECONDS = 300  # the code must follow the password within five minutes


@bp.route("/sign-in/code", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGN_IN")
def two_factor():
    from engage.auth import throttle

    pending = session.get("two_factor") or {}
    uid = parse_id(pending.get("uid"))
    user = services.get_user(uid) if uid is not None else None
    if user is None or time.time() - float(pending.get("since", 0)) > PENDING_SECONDS \
            or not user.active or not user.has_two_factor:
        session.pop("two_factor", None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        hold = throttle.hold_on(user.email)  # wrong codes count like wrong passwords, per account
        if hold is None and twofactor.verify(user, form.code.data):
            session.pop("two_factor", None)
            throttle.succeeded(user.email)
            return _signed_in(user, bool(pending.get("remember")), local_path(pending.get("next") or "/"))
        if hold is None:
            services.failed_sign_in(user.email, user, "two-factor code")
            form.code.errors.append(_("This code is not correct, or it was already used. Wait for the next one."))
        else:
            form.code.errors.append(_("Too many failed attempts. Wait a little, then try again."))
    return render_template("auth/two_factor.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
@permission_required("account.manage")
def two_factor_setup():
    me = current_user._get_current_object()
    if me.has_two_factor:
        return _two_factor_status(me)
    secret = session.get("totp_setup")
    if not secret:
        secret = session["totp_setup"] = twofactor.new_secret()
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        codes = twofactor.enable(me, secret, form.code.data)
        if codes is not None:
            session.pop("totp_setup", None)
            flash(_("Two-factor sign-in is on."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(_("This code is not correct. Check the app shows the account you just added."))
    uri = twofactor.provisioning_uri(me, secret)
    return render_template("auth/two_factor_setup.html", form=form, secret=secret, qr=Markup(twofactor.qr_svg(uri)),
                           required=twofactor.required_for(me)), 422 if form.is_submitted() else 200


def _identity_confirmed(form) -> bool:
    """Password, and the code when two-factor sign-in is on; errors go next to the fields."""
    me = current_user._get_current_object()
    if not verify_password(me.password_hash, form.current_password.data or ""):
        form.current_password.errors.append(_("The current password is not correct."))
        return False  # the code typed with it is not used up
    if me.has_two_factor and not twofactor.verify(me, form.code.data or ""):
        form.code.errors.append(_("This code is not correct, or it was already used. Wait for the next one."))
        return False
    return True


def _two_factor_status(me, *, disable_form=None, codes_form=None, status=200):
    return render_template("auth/two_factor_status.html", left=twofactor.recovery_codes_left(me),
                           required=twofactor.required_for(me), disable_form=disable_form or DisableTwoFactorForm(),
                           codes_form=codes_form or RecoveryCodesForm()), status


@bp.route("/two-factor/disable", methods=["POST"])
@login_required
@permission_required("account.manage")
def disable_two_factor():
    me = current_user._get_current_object()
    if not me.has_two_factor:
        return redirect(url_for("auth.two_factor_setup"))
    form = DisableTwoFactorForm()
    if twofactor.required_for(me):
        flash(_("Your role needs two-factor sign-in: it cannot be turned off."), "error")
        return redirect(url_for("auth.two_factor_setup"))
    if form.validate_on_submit() and _identity_confirmed(form):
        twofactor.disable(me)
        flash(_("Two-factor sign-in is off."), "success")
        return redirect(url_for("auth.two_factor_setup"))
    return _two_factor_status(me, disable_form=form, status=422)


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required
@permission_required("account.manage")
def new_recovery_codes():
    me = current_user._get_current_object()
    if not me.has_two_factor:
        return redirect(url_for("auth.two_factor_setup"))
    form = RecoveryCodesForm()
    if form.validate_on_submit() and _identity_confirmed(form):
        return render_template("auth/recovery_codes.html", codes=twofactor.regenerate_recovery_codes(me))
    return _two_factor_status(me, codes_form=form, status=422)


@bp.route("/confirm-identity", methods=["GET", "POST"])
@login_required
@permission_required("account.manage")
def confirm_identity():
    form = ConfirmIdentityForm()
    if form.validate_on_submit() and _identity_confirmed(form):
        reauth.confirmed()
        return redirect(safe_next("auth.profile"))
    return render_template("auth/confirm_identity.html", form=form, next=request.values.get("next", "")), \
        422 if form.is_submitted() else 200


@bp.before_app_request
def staff_enrol_first():
    """Staff without two-factor sign-in reach nothing but its set-up (and signing out) until they enrol."""
    if session.get("_user_id") is None or request.endpoint in ENROL_ENDPOINTS:
        return None
    if current_user.is_authenticated and not current_user.has_two_factor and twofactor.required_for(current_user):
        flash(_("Your role needs two-factor sign-in. Set it up to continue."), "info")
        return redirect(url_for("auth.two_factor_setup"))
    return None


ENROL_ENDPOINTS = frozenset({"auth.two_factor_setup", "auth.logout", "static", "main.healthz", "main.set_language"})


@bp.route("/sign-out", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end(current_user._get_current_object())  # a copy of the cookie no longer works either
    logout_user()
    for key in ("reauth_at", "two_factor", "totp_setup"):  # nothing of the sign-in stays in the cookie
        session.pop(key, None)
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
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@login_required
@permission_required("account.manage")
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit() and current_user.has_two_factor \
            and not twofactor.verify(current_user._get_current_object(), form.code.data or ""):
        form.code.errors.append(_("This code is not correct, or it was already used. Wait for the next one."))
    elif form.validate_on_submit():
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


@bp.route("/sessions")
@login_required
@permission_required("account.manage")
def sign_ins():
    return render_template("auth/sessions.html", sign_ins=sessions.open_sessions(current_user),
                           current=sessions.current(current_user), device_of=sessions.device_of,
                           action_form=ActionForm(), idle_minutes=int(sessions.idle_limit(current_user).total_seconds() // 60),
                           max_days=sessions.max_age().days)


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
@permission_required("account.manage")
def end_sign_in(session_id: int):
    check_action_form()
    me = current_user._get_current_object()
    this_one = sessions.current(me)
    if not sessions.end(me, session_id):  # only one's own open sign-ins
        abort(404)
    if this_one is not None and this_one.id == session_id:
        logout_user()
        flash(_("You are signed out."), "success")
        return redirect(url_for("auth.login"))
    flash(_("That device has been signed out."), "success")
    return redirect(url_for("auth.sign_ins"))


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
@permission_required("account.manage")
def end_other_sign_ins():
    check_action_form()
    count = sessions.end_all(current_user._get_current_object(), keep_current=True)
    flash(ngettext("%(num)d other device has been signed out.", "%(num)d other devices have been signed out.",
                   count), "success")
    return redirect(url_for("auth.sign_ins"))


@bp.route("/email/confirm/<token>")
def confirm_email_change(token: str):
    try:
        services.confirm_email_change(
            token, current_user._get_current_object() if current_user.is_authenticated else None)
    except InvalidToken:
        flash(_("This email change link has expired or is not valid."), "error")
    except services.AccountError:
        flash(_("This email address is already used by another account."), "error")
    else:
        flash(_("Your email address has been changed."), "success")
    return redirect(url_for("auth.profile") if current_user.is_authenticated else url_for("auth.login"))
