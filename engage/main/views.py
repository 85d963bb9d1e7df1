from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.auth import services as accounts
from engage.core.urls import safe_next
from engage.core.i18n import LOCALE_COOKIE, is_supported
from engage.extensions import csrf, db
from engage.core.cache import cached_page
from engage.privacy.registry import entries as personal_data  # the download's files, described where made

bp = Blueprint("main", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
@cached_page(("rounds", "meetings", "plans"))
def index():
    from engage.meetings import services as meetings

    upcoming = db.session.scalars(meetings.public_query(meetings.Filters(when="upcoming")).limit(3)).all()
    return render_template("main/index.html", upcoming_meetings=upcoming)


@bp.route("/privacy")
@cached_page(())
def privacy():
    return render_template("main/privacy.html", personal_data=personal_data())


@bp.route("/terms")
@cached_page(())
def terms():
    return render_template("main/terms.html")


@bp.route("/open-data")
@cached_page(("rounds",))
def open_data():
    from engage.rounds.services import visible_rounds

    published = [r for r in visible_rounds(None) if r.is_published]
    return render_template(
        "main/open_data.html", rounds=published,
        licence=current_app.config["OPEN_DATA_LICENCE"], licence_url=current_app.config["OPEN_DATA_LICENCE_URL"],
    )


@bp.route("/language", methods=["POST"])
@csrf.exempt
def set_language():
    """The language switcher: a plain form, so it works without JavaScript.

    For visitors it only sets a cookie, which needs no CSRF token (so their pages can be cached for
    everyone); a signed-in person's choice is saved to their account, so their form must carry one.
    """
    if current_user.is_authenticated and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    locale = request.form.get("locale", "")
    target = safe_next()
    if not is_supported(locale):
        flash(_("This language is not available."), "error")
        return redirect(target)
    if current_user.is_authenticated:
        accounts.set_locale(current_user._get_current_object(), locale)
    response = redirect(target)
    response.set_cookie(
        LOCALE_COOKIE, locale, max_age=ONE_YEAR, httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    with force_locale(locale):
        flash(_("The site is now shown in English."), "success")
    return response


@bp.route("/healthz")
@csrf.exempt
def healthz():
    """Each part the site needs, as JSON; 503 when the database cannot be read or written (engage.core.health)."""
    from engage.core.health import report

    body, status = report(strict=request.args.get("strict") == "1")
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
