"""Pages of proposals: a round's list, a proposal's page, submitting, editing, supporting."""
from __future__ import annotations

import secrets

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engage.core.markdown import render_markdown
from engage.core.pagination import paginate
from engage.core.permissions import can, require
from engage.proposals import services
from engage.proposals.forms import ProposalFilterForm, ProposalForm
from engage.core.forms import ActionForm, check_action_form
from engage.rounds.phases import Action
from engage.rounds.services import phase_refusal
from engage.rounds.services import load_round
from engage.core.cache import cached_page
from engage.core.sections import merged, sections_for
from engage.proposals.services import load_proposal, require_in_phase

bp = Blueprint("proposals", __name__)






def _shuffle_seed() -> int:
    if "shuffle_seed" not in session:
        session["shuffle_seed"] = secrets.randbelow(1_000_000)
    return session["shuffle_seed"]


@bp.route("/rounds/<int:round_id>/proposals")
@cached_page(lambda round_id: ("rounds", f"round:{round_id}"))
def index(round_id: int):
    round_ = load_round(round_id)
    form = ProposalFilterForm(round_, request.args)
    form.validate()
    filters = services.Filters(
        q=form.value("q"), topic_id=form.value("topic", 0) or None, district=form.value("district"),
        state=form.value("state"), outcome=form.value("outcome"), sort=form.value("sort", "newest") or "newest",
    )
    if filters.sort == "random":
        filters.seed = _shuffle_seed()
    page = paginate(services.proposals_query(round_, filters))
    return render_template(
        "proposals/index.html", round=round_, form=form, page=page, filters=filters,
        can_propose=can("proposals.submit", round_),
        propose_refusal=phase_refusal(round_, Action.PROPOSE),
    )


@bp.route("/rounds/<int:round_id>/proposals/new", methods=["GET", "POST"])
def create(round_id: int):
    round_ = load_round(round_id)
    require_in_phase("proposals.submit", round_, round_, Action.PROPOSE)
    form = ProposalForm(round_)
    preview = None
    if form.validate_on_submit():
        if form.submit.data:
            proposal = services.submit_proposal(
                round_, current_user._get_current_object(), title=form.title.data.strip(), body=form.body.data.strip(),
                topic_id=form.topic_id, district=form.district.data, locale=str(get_locale()),
            )
            flash(_("Thank you: your proposal is published."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
        preview = render_markdown(form.body.data)
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("proposals/form.html", round=round_, form=form, preview=preview, proposal=None), status


@bp.route("/proposals/<int:proposal_id>")
@cached_page(lambda proposal_id: ("rounds", "plans", "organisations", f"proposal:{proposal_id}"))
def show(proposal_id: int):
    proposal = load_proposal(proposal_id)
    round_ = proposal.round
    sections = sections_for("proposal", proposal)  # answers, commitments, endorsements, comments
    return render_template(
        "proposals/show.html", proposal=proposal, round=round_,
        can_edit=can("proposals.edit", proposal),
        can_withdraw=can("proposals.withdraw", proposal),
        can_support=can("proposals.support", proposal),
        supported=services.has_supported(proposal, current_user),
        support_refusal=None if proposal.is_withdrawn else phase_refusal(round_, Action.SUPPORT),
        action_form=ActionForm.lazy(),
        sections=sections,
        **merged(sections),
    )


@bp.route("/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
def edit(proposal_id: int):
    proposal = load_proposal(proposal_id)
    require_in_phase("proposals.edit", proposal, proposal.round, Action.PROPOSE)
    form = ProposalForm(proposal.round, obj=None if request.method == "POST" else proposal)
    if request.method == "GET":
        form.topic.data = proposal.topic_id or 0
        form.district.data = proposal.district or ""
    preview = None
    if form.validate_on_submit():
        if form.submit.data:
            services.update_proposal(proposal, title=form.title.data.strip(), body=form.body.data.strip(),
                                     topic_id=form.topic_id, district=form.district.data)
            flash(_("Your proposal has been saved."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
        preview = render_markdown(form.body.data)
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("proposals/form.html", round=proposal.round, form=form, preview=preview,
                           proposal=proposal), status


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
def withdraw(proposal_id: int):
    proposal = load_proposal(proposal_id)
    require("proposals.withdraw", proposal)
    check_action_form()
    services.withdraw_proposal(proposal)
    flash(_("Your proposal has been withdrawn. It stays visible, marked as withdrawn."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/support", methods=["POST"])
def support(proposal_id: int):
    proposal = load_proposal(proposal_id)
    require_in_phase("proposals.support", proposal, proposal.round, Action.SUPPORT)
    check_action_form()
    give = request.form.get("support") != "0"
    services.set_support(proposal, current_user._get_current_object(), give)
    flash(_("You support this proposal.") if give else _("You no longer support this proposal."), "success")
    return redirect(url_for("proposals.show", proposal_id=proposal.id))
