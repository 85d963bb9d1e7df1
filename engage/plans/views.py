"""Pages of action plans: the list, a plan with its progress, a commitment, progress updates; writing plans,
commitments and milestones; progress reports; the co-creation report."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engage.core.forms import ActionForm, LazyForm, check_action_form, fill_locale_texts, locale_texts, put_error
from engage.core.i18n import LANGUAGE_NAMES
from engage.core.permissions import can, require
from engage.core.urls import parse_id
from engage.extensions import db
from engage.plans import services
from engage.plans.forms import CommitmentForm, LinkProposalForm, MilestoneForm, PartnerForm, PlanForm, UpdateForm
from engage.plans.models import ActionPlan, Commitment, Milestone
from engage.core.cache import cached_page
from engage.plans.services import load_commitment

bp = Blueprint("plans", __name__)
LOCALES = tuple(LANGUAGE_NAMES)


def load_plan(plan_id: int, *, with_updates: bool = False, tree: bool = True) -> ActionPlan:
    plan = services.get_plan(plan_id, with_updates=with_updates, tree=tree)
    if plan is None or not can("plans.view", plan):
        abort(404)
    return plan




@bp.route("/plans/")
@cached_page(("plans",))
def index():
    return render_template("plans/index.html", plans=services.visible_plans(current_user), day=services.today(),
                           services=services, can_create=can("plans.manage", None))


@bp.route("/plans/<int:plan_id>")
@cached_page(("plans", "rounds", "organisations"))
def show(plan_id: int):
    from engage.endorsements.presenters import panel

    plan = load_plan(plan_id)
    day = services.today()
    milestones = services.all_milestones(plan)
    return render_template(
        "plans/show.html", plan=plan, locale=str(get_locale()), day=day, counts=services.counts(milestones, day),
        timeline=services.timeline(plan, day, str(get_locale())), progress={c.id: services.commitment_progress(c) for c in plan.commitments},
        endorsements=panel("plan", plan), action_form=ActionForm.lazy(), can_manage=can("plans.manage", plan),
    )


@bp.route("/commitments/<int:commitment_id>")
@cached_page(("plans", "rounds", "organisations"))
def commitment(commitment_id: int):
    from engage.comments import services as comments
    from engage.endorsements.presenters import panel

    commitment = load_commitment(commitment_id)
    day = services.today()
    return render_template(
        "plans/commitment.html", commitment=commitment, plan=commitment.plan, locale=str(get_locale()), day=day,
        counts=services.counts(commitment.milestones, day), progress=services.commitment_progress(commitment),
        proposals=services.linked_proposals(commitment), endorsements=panel("commitment", commitment),
        action_form=ActionForm.lazy(), can_manage=can("plans.manage", commitment.plan),
        link_form=LazyForm(LinkProposalForm, formdata=None), services=services, partners=services.partners_of(commitment),
        partner_form=partner_form(formdata=None) if can("plans.manage", commitment.plan) else None,
        thread=comments.thread(None, page=commitment), can_comment=can("comments.create", commitment),
    )


@bp.route("/milestones/<int:milestone_id>/updates/new", methods=["GET", "POST"])
def add_update(milestone_id: int):
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or not can("plans.view", milestone.commitment.plan):
        abort(404)
    require("plans.manage", milestone.commitment.plan)
    form = UpdateForm()
    if not form.is_submitted():
        form.reported_on.data = services.today()
    if form.validate_on_submit():
        try:
            services.add_update(milestone, by=current_user._get_current_object(), text=form.text.data,
                                locale=str(get_locale()), reported_on=form.reported_on.data,
                                status=form.status.data or None, evidence=form.evidence_links())
        except services.PlanError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The progress update is published."), "success")
            return redirect(url_for("plans.commitment", commitment_id=milestone.commitment_id) + f"#milestone-{milestone.id}")
    status = 422 if form.is_submitted() else 200
    return render_template("plans/update_form.html", form=form, milestone=milestone, locale=str(get_locale())), status


@bp.route("/commitments/<int:commitment_id>/proposals", methods=["POST"])
def link_proposal(commitment_id: int):
    from engage.proposals.models import Proposal

    commitment = load_commitment(commitment_id)
    require("plans.manage", commitment.plan)
    form = LinkProposalForm()
    if form.validate_on_submit():
        proposal = db.session.get(Proposal, parse_id(form.proposal_id.data.strip().lstrip("#")) or 0)
        try:
            if proposal is None or not can("proposals.view", proposal):  # one the facilitator may not see is not there
                raise services.PlanError(_("There is no proposal with this number."), "proposal_id")
            services.link_proposal(commitment, proposal)
        except services.PlanError as error:
            flash(error.message, "error")
        else:
            flash(_("The proposal is linked to this commitment."), "success")
    return redirect(url_for("plans.commitment", commitment_id=commitment.id) + "#proposals")


@bp.route("/commitments/<int:commitment_id>/proposals/<int:proposal_id>/unlink", methods=["POST"])
def unlink_proposal(commitment_id: int, proposal_id: int):
    commitment = load_commitment(commitment_id)
    require("plans.manage", commitment.plan)
    check_action_form()
    services.unlink_proposal(commitment, proposal_id)
    flash(_("The link has been removed."), "success")
    return redirect(url_for("plans.commitment", commitment_id=commitment.id) + "#proposals")


# --- Progress reports ----------------------------------------------------------------------------


def load_report(report_id: int):
    from engage.plans.models import ProgressReport

    report = db.session.get(ProgressReport, report_id)
    if report is None or not can("plans.view", report.plan):
        abort(404)
    return report


@bp.route("/plans/<int:plan_id>/reports")
@cached_page(("plans",))
def reports(plan_id: int):
    plan = load_plan(plan_id)
    return render_template("plans/reports.html", plan=plan, reports=services.reports_of(plan), locale=str(get_locale()),
                           can_manage=can("plans.manage", plan))


@bp.route("/plans/<int:plan_id>/reports/new", methods=["GET", "POST"])
def new_report(plan_id: int):
    from engage.core.forms import locale_texts
    from engage.plans.forms import ReportForm

    # The form alone needs no commitments; publishing takes their snapshot.
    plan = load_plan(plan_id, with_updates=True, tree=request.method == "POST")
    require("plans.manage", plan)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            report = services.publish_report(plan, title=form.title.data, period_start=form.period_start.data,
                                             period_end=form.period_end.data, narrative=locale_texts(form, "narrative"),
                                             by=current_user._get_current_object())
        except services.PlanError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The progress report is published. Later updates will not change it."), "success")
            return redirect(url_for("plans.report", report_id=report.id))
    status = 422 if form.is_submitted() else 200
    return render_template("plans/report_form.html", plan=plan, form=form), status


@bp.route("/reports/<int:report_id>")
@cached_page(("plans",))
def report(report_id: int):
    report = load_report(report_id)
    return render_template("plans/report.html", report=report, plan=report.plan, data=report.snapshot,
                           locale=str(get_locale()))


@bp.route("/reports/<int:report_id>.json")
@cached_page(("plans",))
def report_json(report_id: int):
    from flask import jsonify

    report = load_report(report_id)
    return jsonify(id=report.id, plan_id=report.plan_id, title=report.title, period_start=report.period_start.isoformat(),
                   period_end=report.period_end.isoformat(), published_at=report.published_at.isoformat(),
                   narrative=report.narrative, **report.snapshot)


@bp.route("/reports/<int:report_id>.csv")
def report_csv(report_id: int):
    import io

    from flask import Response

    from engage.core import csvfile
    from engage.core.i18n import localized

    report = load_report(report_id)
    locale = str(get_locale())
    out = io.StringIO()
    writer = csvfile.writer(out)
    writer.writerow(["commitment", "milestone", "description", "period", "status", "overdue", "responsible"])
    for commitment in report.snapshot["commitments"]:
        for row in commitment["milestones"]:
            writer.writerow([commitment["number"], row["number"],
                             localized(row["description"], locale, report.plan.default_locale),
                             row["period"], row["status"], "yes" if row["overdue"] else "no", row["responsible"]])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="progress-report-{report.id}.csv"'})


# --- The co-creation report -----------------------------------------------------------------------


@bp.route("/plans/<int:plan_id>/co-creation")
@cached_page(("plans", "rounds", "meetings", "organisations"))
def cocreation(plan_id: int):
    from engage.plans import cocreation as report

    plan = load_plan(plan_id)
    return render_template("plans/cocreation.html", plan=plan, report=report.report_of(plan, services.today()),
                           labels=report.VERDICT_LABELS, locale=str(get_locale()), notes=report.notes_of(plan),
                           can_manage=can("plans.manage", plan))


@bp.route("/plans/<int:plan_id>/co-creation/edit", methods=["GET", "POST"])
def edit_cocreation(plan_id: int):
    """One page with every requirement's explanation and references and each commitment's notes."""
    from engage.plans import cocreation as report

    plan = load_plan(plan_id)
    require("plans.manage", plan)
    notes = report.notes_of(plan)
    keys = report.note_keys(plan)
    values = {k: ((notes[k].explanation, notes[k].references) if k in notes else ("", "")) for k in keys}
    errors = {}
    if request.method == "POST":
        check_action_form()
        values = {k: (request.form.get(f"explanation-{k}", ""), request.form.get(f"references-{k}", "")) for k in keys}
        errors = report.save_notes(plan, values, current_user._get_current_object())
        if not errors:
            flash(_("The explanations and notes of the co-creation report are saved."), "success")
            return redirect(url_for("plans.cocreation", plan_id=plan.id))
    return render_template("plans/cocreation_form.html", plan=plan, report=report.build(plan, services.today()),
                           values=values, errors=errors, locale=str(get_locale()), action_form=ActionForm.lazy(),
                           limit=report.NOTE_LIMIT), (422 if errors else 200)


@bp.route("/plans/<int:plan_id>/co-creation.json")
@cached_page(("plans", "rounds", "meetings", "organisations"))
def cocreation_json(plan_id: int):
    from dataclasses import asdict

    from flask import jsonify

    from engage.plans import cocreation as report

    plan = load_plan(plan_id)
    notes = {k: {"explanation": n.explanation, "references": n.references} for k, n in report.notes_of(plan).items()}
    return jsonify(plan_id=plan.id, notes=notes, **asdict(report.report_of(plan, services.today())))


# --- Writing plans, commitments and milestones ----------------------------------------------------


def _round_choices() -> list[tuple[int, str]]:
    from engage.rounds.models import Round

    return [(r.id, r.title) for r in db.session.scalars(
        db.select(Round).where(Round.published_at.is_not(None)).order_by(Round.id.desc()))]


def _plan_form(plan: ActionPlan | None) -> PlanForm:
    form = PlanForm()
    form.round_ids.choices = _round_choices()
    if not form.is_submitted():
        if plan is None:
            form.default_locale.data = str(get_locale())
        else:
            for name in ("default_locale", "period_start", "period_end", "status", "adoption_reference", "adopted_on",
                         "monitoring_contact"):
                form[name].data = getattr(plan, name)
            form.round_ids.data = plan.round_ids
            for name in ("title", "jurisdiction", "lead_institutions", "monitoring_body"):
                fill_locale_texts(form, name, getattr(plan, name))
    return form


def _plan_details(form: PlanForm) -> services.PlanDetails:
    return services.PlanDetails(
        default_locale=form.default_locale.data, title=locale_texts(form, "title"),
        jurisdiction=locale_texts(form, "jurisdiction"), lead_institutions=locale_texts(form, "lead_institutions"),
        monitoring_body=locale_texts(form, "monitoring_body"), period_start=form.period_start.data,
        period_end=form.period_end.data, status=form.status.data, adoption_reference=form.adoption_reference.data or "",
        adopted_on=form.adopted_on.data, monitoring_contact=form.monitoring_contact.data or "",
        round_ids=list(form.round_ids.data or []))


def _save_plan(plan: ActionPlan | None):
    form = _plan_form(plan)
    if form.validate_on_submit():
        try:
            saved = services.save_plan(plan, _plan_details(form), by=current_user._get_current_object())
        except services.PlanError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The plan has been saved.") if plan else
                  _("The plan has been created as a draft. Add its commitments, then publish it."), "success")
            return redirect(url_for("plans.show", plan_id=saved.id))
    status = 422 if form.is_submitted() else 200
    return render_template("plans/plan_form.html", form=form, plan=plan, locales=LOCALES), status


@bp.route("/plans/new", methods=["GET", "POST"])
def create():
    require("plans.manage", None)
    return _save_plan(None)


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id: int):
    plan = load_plan(plan_id, tree=request.method == "POST")  # the form shows the plan's own fields
    require("plans.manage", plan)
    return _save_plan(plan)


@bp.route("/plans/<int:plan_id>/publish", methods=["POST"])
def publish(plan_id: int):
    plan = load_plan(plan_id)
    require("plans.manage", plan)
    check_action_form()
    try:
        services.publish_plan(plan)
    except services.PlanError as error:
        flash(error.message, "error")
    else:
        flash(_("The plan is public. Residents can follow its progress."), "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


def _commitment_form(commitment: Commitment | None) -> CommitmentForm:
    form = CommitmentForm()
    if commitment is not None and not form.is_submitted():
        for name in ("number", "ogp_values", "lead_institutions", "partners"):
            form[name].data = getattr(commitment, name)
        for name in ("title", "problem", "objective", "expected_results"):
            fill_locale_texts(form, name, getattr(commitment, name))
    return form


def _save_commitment(plan: ActionPlan, commitment: Commitment | None):
    form = _commitment_form(commitment)
    if form.validate_on_submit():
        details = services.CommitmentDetails(
            number=form.number.data, title=locale_texts(form, "title"), problem=locale_texts(form, "problem"),
            objective=locale_texts(form, "objective"), expected_results=locale_texts(form, "expected_results"),
            ogp_values=list(form.ogp_values.data or []), lead_institutions=form.lead_institutions.data or "",
            partners=form.partners.data or "")
        try:
            saved = services.save_commitment(plan, commitment, details)
        except services.PlanError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The commitment has been saved."), "success")
            return redirect(url_for("plans.commitment", commitment_id=saved.id))
    status = 422 if form.is_submitted() else 200
    return render_template("plans/commitment_form.html", form=form, plan=plan, commitment=commitment,
                           locales=LOCALES, locale=str(get_locale())), status


@bp.route("/plans/<int:plan_id>/commitments/new", methods=["GET", "POST"])
def new_commitment(plan_id: int):
    plan = load_plan(plan_id, tree=request.method == "POST")
    require("plans.manage", plan)
    return _save_commitment(plan, None)


@bp.route("/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
def edit_commitment(commitment_id: int):
    commitment = load_commitment(commitment_id)
    require("plans.manage", commitment.plan)
    return _save_commitment(commitment.plan, commitment)


@bp.route("/commitments/<int:commitment_id>/delete", methods=["POST"])
def delete_commitment(commitment_id: int):
    commitment = load_commitment(commitment_id)
    plan = commitment.plan
    require("plans.manage", plan)
    check_action_form()
    try:
        services.delete_commitment(commitment)
    except services.PlanError as error:
        flash(error.message, "error")
        return redirect(url_for("plans.commitment", commitment_id=commitment.id))
    flash(_("The commitment has been deleted."), "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


def _milestone_form(commitment: Commitment, milestone: Milestone | None) -> MilestoneForm:
    form = MilestoneForm()
    if milestone is not None or commitment.plan.is_published:
        del form.status  # an existing milestone's status changes through progress updates
    if milestone is not None and not form.is_submitted():
        for name in ("number", "responsible", "start_month", "end_month"):
            form[name].data = getattr(milestone, name)
        for name in ("description", "indicator"):
            fill_locale_texts(form, name, getattr(milestone, name))
    return form


def _save_milestone(commitment: Commitment, milestone: Milestone | None):
    form = _milestone_form(commitment, milestone)
    if form.validate_on_submit():
        details = services.MilestoneDetails(
            number=form.number.data or "", description=locale_texts(form, "description"),
            indicator=locale_texts(form, "indicator"), responsible=form.responsible.data or "",
            start_month=form.start_month.data, end_month=form.end_month.data,
            status=form.status.data if "status" in form else "not_started")
        try:
            saved = services.save_milestone(commitment, milestone, details)
        except services.PlanError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The milestone has been saved."), "success")
            return redirect(url_for("plans.commitment", commitment_id=commitment.id) + f"#milestone-{saved.id}")
    status = 422 if form.is_submitted() else 200
    return render_template("plans/milestone_form.html", form=form, commitment=commitment, plan=commitment.plan,
                           milestone=milestone, locales=LOCALES, locale=str(get_locale())), status


def _load_milestone(milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or not can("plans.view", milestone.commitment.plan):
        abort(404)
    return milestone


@bp.route("/commitments/<int:commitment_id>/milestones/new", methods=["GET", "POST"])
def new_milestone(commitment_id: int):
    commitment = load_commitment(commitment_id)
    require("plans.manage", commitment.plan)
    return _save_milestone(commitment, None)


@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
def edit_milestone(milestone_id: int):
    milestone = _load_milestone(milestone_id)
    require("plans.manage", milestone.commitment.plan)
    return _save_milestone(milestone.commitment, milestone)


@bp.route("/milestones/<int:milestone_id>/delete", methods=["POST"])
def delete_milestone(milestone_id: int):
    milestone = _load_milestone(milestone_id)
    commitment = milestone.commitment
    require("plans.manage", commitment.plan)
    check_action_form()
    try:
        services.delete_milestone(milestone)
    except services.PlanError as error:
        flash(error.message, "error")
    else:
        flash(_("The milestone has been deleted."), "success")
    return redirect(url_for("plans.commitment", commitment_id=commitment.id) + "#milestones")


# --- Registered organisations among a commitment's partners ---------------------------------------


def partner_form(formdata=...) -> PartnerForm:
    from engage.organisations.services import verified_choices

    form = PartnerForm() if formdata is ... else PartnerForm(formdata=formdata)
    form.organisation_id.choices = [("", _("Choose…"))] + verified_choices(str(get_locale()))
    return form


@bp.route("/commitments/<int:commitment_id>/partners", methods=["POST"])
def add_partner(commitment_id: int):
    from engage.organisations.models import Organisation

    commitment = load_commitment(commitment_id)
    require("plans.manage", commitment.plan)
    form = partner_form()
    if form.validate_on_submit():
        try:
            services.add_partner(commitment, db.session.get(Organisation, parse_id(form.organisation_id.data) or 0))
        except services.PlanError as error:
            flash(error.message, "error")
        else:
            flash(_("The organisation is listed among the partners."), "success")
    return redirect(url_for("plans.commitment", commitment_id=commitment.id) + "#partners")


@bp.route("/commitments/<int:commitment_id>/partners/<int:organisation_id>/remove", methods=["POST"])
def remove_partner(commitment_id: int, organisation_id: int):
    commitment = load_commitment(commitment_id)
    require("plans.manage", commitment.plan)
    check_action_form()
    services.remove_partner(commitment, organisation_id)
    flash(_("The organisation is no longer listed among the partners."), "success")
    return redirect(url_for("plans.commitment", commitment_id=commitment.id) + "#partners")
