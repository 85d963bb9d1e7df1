"""The notification centre, email choices and one-click unsubscribe links."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.auth.models import User
from engage.core.forms import ActionForm, check_action_form
from engage.core.pagination import paginate
from engage.core.permissions import require
from engage.core.tokens import InvalidToken, read_token
from engage.core.urls import local_path
from engage.extensions import db
from engage.notifications import services
from engage.notifications.forms import PreferencesForm
from engage.notifications.kinds import KIND_LABELS, describe

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


def _me():
    return current_user._get_current_object()


@bp.route("/")
def index():
    require("account.manage")
    page = paginate(services.for_user(_me()))
    items = [(n, describe(n.kind, n.params)) for n in page.items]
    return render_template("notifications/index.html", page=page, items=items, action_form=ActionForm.lazy())


@bp.route("/<int:notification_id>", endpoint="open")
def open_notification(notification_id: int):
    """Follow a notification: it is marked as read, then you land where it happened."""
    require("account.manage")
    notification = services.get_own(_me(), notification_id)
    if notification is None:
        abort(404)
    services.mark_read(_me(), notification.id)
    return redirect(notification.path)


@bp.route("/read", methods=["POST"])
def read_all():
    require("account.manage")
    check_action_form()
    services.mark_read(_me())
    flash(_("All notifications are marked as read."), "success")
    return redirect(local_path(url_for("notifications.index")))


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    require("account.manage")
    form = PreferencesForm()
    if not form.is_submitted():
        for kind, wants_email in services.email_choices(_me()).items():
            form[f"kind_{kind}"].data = "email" if wants_email else "site"
    if form.validate_on_submit():
        for kind, field in form.kind_fields():
            services.set_email_choice(_me(), kind, field.data == "email")
        flash(_("Your notification choices are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form), 422 if form.is_submitted() else 200


def _read_unsubscribe(token: str):
    try:
        user_id, kind = read_token(services.UNSUBSCRIBE, token, UNSUBSCRIBE_MAX_AGE)
    except (InvalidToken, ValueError, TypeError):
        return None, None
    user = db.session.get(User, user_id)
    if user is None or kind not in KIND_LABELS:
        return None, None
    return user, kind


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """From the link in an email: stop emails of one kind, without signing in."""
    user, kind = _read_unsubscribe(token)
    if user is None:
        return render_template("notifications/unsubscribe.html", invalid=True, kind_label=None,
                               action_form=ActionForm.lazy()), 400
    done = False
    if request.method == "POST":
        check_action_form()
        services.set_email_choice(user, kind, False)
        done = True
    return render_template("notifications/unsubscribe.html", invalid=False, done=done,
                           kind_label=KIND_LABELS[kind], action_form=ActionForm.lazy())


def unread_notifications_context() -> dict:
    """``unread_notifications`` in every template: the count on the bell in the header."""
    from sqlalchemy.exc import SQLAlchemyError

    if not getattr(current_user, "is_authenticated", False):
        return {"unread_notifications": 0}
    try:
        return {"unread_notifications": services.unread_count(current_user)}
    except SQLAlchemyError:  # an error page must still render when the database does not answer
        return {"unread_notifications": 0}
