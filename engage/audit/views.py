"""The administrators' view of the audit log: read-only, filtered, a page at a time."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from wtforms.fields.choices import SelectChoice

from engage.audit import services
from engage.audit.forms import AuditFilterForm
from engage.core.pagination import paginate
from engage.core.permissions import require

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.before_request
def only_admins():
    require("audit.view")


@bp.route("/")
def index():
    form = AuditFilterForm(request.args)
    kinds = services.target_types()
    form.target_type.choices = [form.target_type.choices[0]] + [SelectChoice(k, k) for k in kinds]
    form.validate()  # a filter that does not parse is left out rather than refused

    def value(field):
        return None if field.errors else field.data

    filters = services.Filters(
        person=(value(form.person) or "").strip()[:100], action=value(form.action) or "",
        target_type=(value(form.target_type) or "") if value(form.target_type) in kinds else "",
        target_id=value(form.target_id), since=value(form.since), until=value(form.until))
    page = paginate(services.search(filters), per_page=50)
    return render_template("audit/index.html", form=form, page=page, actions=services.ACTIONS)
