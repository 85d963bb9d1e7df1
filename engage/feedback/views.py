"""Answering proposals, the facilitators' work queue, and the "How your input was used" report."""
from __future__ import annotations


from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from engage.core.i18n import LANGUAGE_NAMES
from engage.core.pagination import paginate
from engage.core.permissions import require
from engage.core.time import utcnow
from engage.core.urls import local_path
from engage.extensions import db
from engage.feedback import services
from engage.feedback.forms import CloseRoundForm, ReportSectionsForm, ResponseForm
from engage.proposals.outcomes import OUTCOME_LABELS, outcome_label
from engage.proposals.models import Proposal
from engage.proposals.services import load_proposal
from engage.rounds import services as rounds
from engage.rounds import stats as round_stats
from engage.rounds.services import load_round
from engage.core import exports
from engage.core.cache import cached_page, depends_on
from engage.feedback import exports as report_exports  # noqa: F401  (registers the report's files)

bp = Blueprint("feedback", __name__)
REPORT_PAGE_SIZE = 25


def response_form(proposal, formdata=None) -> ResponseForm:
    """Each proposal's form has its own prefix, so many fit on one queue page."""
    if formdata is None:
        return ResponseForm(prefix=f"p{proposal.id}")
    return ResponseForm(prefix=f"p{proposal.id}", formdata=formdata)


MERGE_LIST_LIMIT = 300


def merge_choices(round_) -> list[tuple[int, str]]:
    """The proposals a browser may suggest as merge targets: all of a small round's; none of a big one's,
    where the facilitator types the number (the answer is checked on the server either way)."""
    if round_stats.totals_of(round_.id).proposals > MERGE_LIST_LIMIT:
        return []
    return db.session.execute(
        select(Proposal.id, Proposal.title).where(Proposal.round_id == round_.id).order_by(Proposal.id)
    ).all()


@bp.route("/rounds/<int:round_id>/feedback")
def queue(round_id: int):
    round_ = load_round(round_id)
    require("feedback.manage", round_)
    try:
        topic_id = int(request.args.get("topic", 0))
    except ValueError:
        topic_id = 0
    if topic_id not in {t.id for t in round_.topics}:
        topic_id = 0
    page = paginate(services.queue_query(round_, topic_id or None), per_page=20)
    forms = {p.id: response_form(p, formdata=None) for p in page.items}
    return render_template(
        "feedback/queue.html", round=round_, page=page, forms=forms, topic_id=topic_id,
        counts=services.outcome_counts(round_), outcome_labels=OUTCOME_LABELS,
        merge_choices=merge_choices(round_), now=utcnow(),
    )


@bp.route("/proposals/<int:proposal_id>/response", methods=["GET", "POST"])
def respond(proposal_id: int):
    proposal = load_proposal(proposal_id)
    require("feedback.answer", proposal)
    form = response_form(proposal, formdata=request.form if request.method == "POST" else None)
    back = local_path(url_for("proposals.show", proposal_id=proposal.id))
    if request.method == "GET":
        latest = services.history(proposal)
        if latest:
            form.outcome.data = latest[0].outcome
            form.reason.data = latest[0].reason
            form.merged_into.data = latest[0].merged_into_id
    from engage.plans import services as plans

    commitments = plans.commitments_for_round(proposal.round_id)
    form.commitment_id.choices = [("", _("None"))] + [(str(c.id), f"{c.number}. {c.text('title', str(get_locale()))}")
                                                       for c in commitments]
    if request.method == "POST" and form.validate():
        commitment = next((c for c in commitments if str(c.id) == form.commitment_id.data), None)
        try:
            if commitment is not None and form.chosen_outcome.value not in ("accepted", "partially_accepted"):
                raise services.FeedbackError(_("Only an accepted or partially accepted proposal names a commitment."),
                                             "commitment_id")
            services.answer(proposal, current_user._get_current_object(), outcome=form.chosen_outcome,
                            reason=form.reason.data or "", merged_into_id=form.merged_into.data)
            if commitment is not None:
                plans.link_proposal(commitment, proposal)
        except services.FeedbackError as error:
            getattr(form, error.field or "reason").errors.append(error.message)
        else:
            flash(_("The answer to “%(title)s” is published: %(outcome)s.", title=proposal.title,
                    outcome=outcome_label(form.chosen_outcome)), "success")
            return redirect(back)
    status = 422 if request.method == "POST" else 200
    return render_template("feedback/answer.html", proposal=proposal, round=proposal.round, form=form, back=back,
                           merge_choices=merge_choices(proposal.round), commitments=commitments), status


@bp.route("/rounds/<int:round_id>/report")
@cached_page(lambda round_id: ("rounds", f"round:{round_id}"))
def report(round_id: int):
    round_ = load_round(round_id)
    text = round_.text_in(str(get_locale()))
    figures = services.report(round_)
    depends_on(*(f"survey:{survey.id}" for survey, _count in figures.surveys))
    outcome = request.args.get("outcome")
    if outcome not in services.REPORT_ORDER:
        outcome = services.first_listed_outcome(figures.outcomes)
    page = paginate(services.report_list_query(round_, outcome), per_page=REPORT_PAGE_SIZE)
    return render_template("feedback/report.html", round=round_, text=text, report=figures, outcome=outcome,
                           page=page, responses=services.current_responses(page.items),
                           report_order=services.REPORT_ORDER, outcome_labels=OUTCOME_LABELS)


@bp.route("/rounds/<int:round_id>/report/edit", methods=["GET", "POST"])
def edit_report(round_id: int):
    round_ = load_round(round_id)
    require("feedback.manage", round_)
    locales = [t.locale for t in round_.texts]
    form = ReportSectionsForm()
    if not form.is_submitted():
        for text in round_.texts:
            heard, changed = form.fields_for(text.locale)
            heard.data, changed.data = text.what_we_heard, text.what_we_changed
    if form.validate_on_submit():
        services.set_report_sections(round_, {
            locale: tuple(f.data or "" for f in form.fields_for(locale)) for locale in locales
        })
        flash(_("The report has been saved."), "success")
        return redirect(url_for("feedback.report", round_id=round_.id))
    return render_template("feedback/report_form.html", round=round_, form=form, locales=locales,
                           language_names=LANGUAGE_NAMES), 422 if form.is_submitted() else 200


@bp.route("/rounds/<int:round_id>/report.csv")
def report_csv(round_id: int):
    return exports.serve("round-report", _published_round(round_id))


@bp.route("/rounds/<int:round_id>/report.json")
def report_json(round_id: int):
    return exports.serve("round-report-json", _published_round(round_id))


def _published_round(round_id: int):
    round_ = load_round(round_id)
    if not round_.is_published:
        abort(404)
    return round_


@bp.route("/rounds/<int:round_id>/close", methods=["GET", "POST"])
def close(round_id: int):
    round_ = load_round(round_id)
    require("feedback.manage", round_)
    unanswered = services.unanswered_count(round_)
    form = CloseRoundForm()
    if form.validate_on_submit():
        if unanswered and not form.confirm.data:
            form.confirm.errors = [_("Confirm that you want to close the round with %(count)d proposals unanswered.",
                                     count=unanswered)]
        else:
            rounds.close_now(round_)
            flash(_("The round is closed."), "success")
            return redirect(url_for("feedback.report", round_id=round_.id))
    return render_template("feedback/close.html", round=round_, form=form, unanswered=unanswered), \
        422 if form.is_submitted() else 200
