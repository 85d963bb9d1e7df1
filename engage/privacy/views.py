"""Download my data and delete my account (and an administrator's deletion on a person's request)."""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from engage.audit.services import record as audit
from engage.auth import reauth, services as accounts
from engage.core.forms import put_error
from engage.core.permissions import can, permission_required, require
from engage.core.tokens import InvalidToken
from engage.extensions import limiter
from engage.privacy import downloads, services
from engage.privacy.forms import AdminDeleteForm, DeleteAccountForm, DownloadForm
from engage.privacy.registry import entries

bp = Blueprint("privacy", __name__)


def _confirm_first(message: str, back: str):
    flash(message, "info")
    return redirect(url_for("auth.confirm_identity", next=back))


@bp.route("/account/data", methods=["GET", "POST"])
@login_required
@permission_required("privacy.download_own")
def download():
    me = current_user._get_current_object()
    form = DownloadForm()
    if form.validate_on_submit():
        if not reauth.recent():  # the file holds everything about the person: a stolen session is not enough
            return _confirm_first(_("Confirm it is you before downloading your data."), url_for("privacy.download"))
        if downloads.is_large(me):
            downloads.start(me.id)
            flash(_("We are preparing your file. We will email you a link to it at %(email)s when it is ready.",
                    email=me.email), "info")
            return redirect(url_for("privacy.download"))
        audit("privacy.downloaded", me, details="sent at once")
        response = send_file(io.BytesIO(downloads.zip_bytes(me)), mimetype="application/zip", as_attachment=True,
                             download_name=downloads.filename(), max_age=0)
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template("privacy/download.html", form=form, entries=entries(), hours=downloads.hours())


@bp.route("/account/data/<token>")
@login_required
def prepared(token: str):
    try:
        link = downloads.read_link(token)
    except InvalidToken:
        abort(404)
    if not can("privacy.open_prepared", link.owner_id):
        abort(404)  # another person's link says nothing about that person
    if not link.still_valid:
        flash(_("This download link has expired. Ask for a new file below."), "error")
        return redirect(url_for("privacy.download"))
    audit("privacy.downloaded", current_user._get_current_object(), details="prepared file")
    response = send_file(link.path, mimetype="application/zip", as_attachment=True, download_name=downloads.filename(),
                         max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


def _forget_sign_in() -> None:
    logout_user()
    for key in ("reauth_at", "two_factor", "totp_setup"):
        session.pop(key, None)


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@permission_required("privacy.delete_own")
@limiter.limit(lambda: current_app.config["RATELIMIT_SIGN_IN"], methods=["POST"])
def delete():
    me = current_user._get_current_object()
    form = DeleteAccountForm()
    last_admin = services.is_last_admin(me)
    if form.validate_on_submit() and not last_admin:
        try:
            services.check_identity(me, form.current_password.data, form.code.data)
            services.delete_account(me, by=me, delete_contributions=bool(form.delete_contributions.data))
        except services.PrivacyError as exc:
            put_error(form, exc.field, exc.message)
        else:
            _forget_sign_in()
            return redirect(url_for("privacy.deleted"))
    status = 422 if form.is_submitted() else 200
    return render_template("privacy/delete.html", form=form, last_admin=last_admin), status


@bp.route("/account/deleted")
def deleted():
    return render_template("privacy/deleted.html")


@bp.route("/admin/users/<int:user_id>/delete", methods=["GET", "POST"])
@login_required
def admin_delete(user_id: int):
    require("admin.access")
    target = accounts.get_user(user_id)
    if target is None:
        abort(404)
    require("privacy.delete_user", target)
    if services.is_deleted(target):
        flash(_("This account has already been deleted."), "info")
        return redirect(url_for("admin.user", user_id=target.id))
    here = url_for("privacy.admin_delete", user_id=target.id)
    if not reauth.recent():  # removing a person's data is power over them: confirm who you are first
        return _confirm_first(_("Confirm it is you before deleting an account."), here)
    form = AdminDeleteForm()
    if form.validate_on_submit():
        try:
            services.delete_account(target, by=current_user._get_current_object(),
                                    delete_contributions=bool(form.delete_contributions.data))
        except services.PrivacyError as exc:
            put_error(form, exc.field, exc.message)
        else:
            flash(_("The account has been deleted. Its personal data is gone and it can no longer sign in."), "success")
            return redirect(url_for("admin.user", user_id=target.id))
    return render_template("privacy/admin_delete.html", form=form, target=target), \
        422 if form.is_submitted() else 200
