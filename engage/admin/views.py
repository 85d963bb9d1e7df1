"""User management for administrators."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.admin.forms import ROLE_LABELS, ActivationForm, RoleForm, UserSearchForm
from engage.admin.services import search_users
from engage.auth import services as accounts, throttle
from engage.core.pagination import paginate
from engage.core.permissions import Role, can, require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def only_admins():
    require("admin.access")


@bp.route("/")
def index():
    return redirect(url_for("admin.users"))


@bp.route("/users")
def users():
    form = UserSearchForm(request.args)
    form.validate()  # unknown filter values are ignored rather than refused
    role = form.role.data if not form.role.errors else ""
    status = form.status.data if not form.status.errors else ""
    page = paginate(search_users(form.q.data or "", role or "", status or ""))
    return render_template("admin/users.html", form=form, page=page, role_labels=ROLE_LABELS)


def _load_user(user_id: int):
    user = accounts.get_user(user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
def user(user_id: int):
    target = _load_user(user_id)
    roles = [
        {
            "role": role,
            "label": ROLE_LABELS[role],
            "held": role.value in target.role_names,
            "can_revoke": role is not Role.ADMIN or can("users.revoke_admin", target),
            "can_grant": can("users.grant_role", target),
        }
        for role in Role.grantable()
    ]
    return render_template(
        "admin/user.html",
        target=target,
        roles=roles,
        role_form=RoleForm(),
        activation_form=ActivationForm(),
        can_deactivate=can("users.deactivate", target),
        role_labels=ROLE_LABELS,
        lock=throttle.lock_of(target.email),
        deleted=target.is_deleted,
    )


@bp.route("/users/<int:user_id>/roles/<role>", methods=["POST"])
def change_role(user_id: int, role: str):
    target = _load_user(user_id)
    try:
        chosen = Role(role)
    except ValueError:
        abort(404)
    if chosen not in Role.grantable():
        abort(404)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    from engage.auth import reauth

    if not reauth.recent():  # a role is power over others: confirm who you are first
        flash(_("Confirm it is you before changing roles."), "info")
        return redirect(url_for("auth.confirm_identity", next=url_for("admin.user", user_id=target.id)))
    label = ROLE_LABELS[chosen]
    if form.revoke.data:
        if chosen is Role.ADMIN:
            require("users.revoke_admin", target)
        if accounts.revoke_role(target, chosen):
            flash(_("%(name)s is no longer %(role)s.", name=target.display_name, role=label), "success")
    else:
        require("users.grant_role", target)
        if accounts.grant_role(target, chosen, by=current_user._get_current_object()):
            flash(_("%(name)s is now %(role)s.", name=target.display_name, role=label), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    target = _load_user(user_id)
    require("users.deactivate", target)
    if not ActivationForm().validate_on_submit():
        abort(400)
    accounts.set_active(target, False)
    flash(_("%(name)s has been deactivated and can no longer sign in.", name=target.display_name), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    target = _load_user(user_id)
    require("users.manage", target)
    if not ActivationForm().validate_on_submit():
        abort(400)
    if target.is_deleted:  # nothing of the person is left to sign in with
        flash(_("A deleted account cannot be reactivated."), "error")
        return redirect(url_for("admin.user", user_id=target.id))
    accounts.set_active(target, True)
    flash(_("%(name)s has been reactivated and can sign in again.", name=target.display_name), "success")
    return redirect(url_for("admin.user", user_id=target.id))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
def unlock(user_id: int):
    target = _load_user(user_id)
    require("users.manage", target)
    if not ActivationForm().validate_on_submit():
        abort(400)
    throttle.unlock(target.email)
    from engage.audit.services import record as audit

    audit("sign_in.unlocked", target)
    flash(_("%(name)s can sign in again.", name=target.display_name), "success")
    return redirect(url_for("admin.user", user_id=target.id))
