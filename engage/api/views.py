"""The read-only open-data API (/api/v1/) and the CSV downloads of a round.

Lists are paginated with ``page`` and ``per_page`` (at most 100) and carry a
``next`` link while more items follow. Everything here is public: drafts look
absent, hidden content appears as hidden without its text.
"""
from __future__ import annotations


from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from engage.api import exports as round_exports  # noqa: F401  (registers the round's files)
from engage.api import serializers
from engage.core import exports
from engage.core.pagination import paginate
from engage.core.urls import parse_id
from engage.api.openapi import openapi_document
from engage.comments.models import Comment
from engage.extensions import csrf, db
from engage.proposals import services as proposals
from engage.proposals.models import Proposal
from engage.rounds import services as rounds
from engage.rounds.models import Round
from engage.core.cache import cached_page, depends_on

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_PER_PAGE = 100


# Errors under /api/v1 are problem documents (application/problem+json): engage.core.errors.problem.


@bp.after_request
def allow_any_origin(response):
    # Open data: any site may read it from a browser.
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    return max(low, min(high, value))


def _paged(query, serialize, endpoint: str, **view_args):
    page = _int_arg("page", 1, 1, 10**6)
    per_page = _int_arg("per_page", current_app.config["PER_PAGE"], 1, MAX_PER_PAGE)
    result = paginate(query, per_page=per_page, page=page)
    # The list's own filters carry over to the next and previous links; not the page, nor names that
    # url_for() or the route itself use (``_external``, ``round_id`` ...).
    args = {k: v for k, v in request.args.items()
            if k not in ("page", "per_page") and not k.startswith("_") and k not in view_args}

    def link(number):
        return url_for(endpoint, **view_args, **args, page=number, per_page=per_page, _external=True)

    return jsonify(
        items=[serialize(item) for item in result.items],
        page=result.page,
        per_page=per_page,
        total=result.total,
        next=link(result.page + 1) if result.has_next else None,
        previous=link(result.page - 1) if result.has_prev and result.page - 1 <= max(result.pages, 1) else None,
    )


def _published_round(round_id: int) -> Round:
    round_ = rounds.get_round(round_id)
    if round_ is None or not round_.is_published:
        abort(404)
    return round_


def _public_proposal(proposal_id: int) -> Proposal:
    proposal = proposals.get_proposal(proposal_id)
    if proposal is None or not proposal.round.is_published:
        abort(404)
    return proposal


@bp.route("/openapi.json")
@cached_page(())
def openapi():
    return jsonify(openapi_document())


@bp.route("/rounds")
@cached_page(("rounds",))
def rounds_list():
    query = select(Round).where(Round.published_at.is_not(None)).order_by(Round.published_at.desc(), Round.id.desc())
    return _paged(query, serializers.round_summary, "api.rounds_list")


@bp.route("/rounds/<int:round_id>")
@cached_page(lambda round_id: ("rounds", f"round:{round_id}"))
def round_detail(round_id: int):
    round_ = _published_round(round_id)
    return jsonify(serializers.round_detail(round_, proposals.round_counts(round_)))


def proposal_filters(round_: Round) -> proposals.Filters:
    """The same filters, sorts and search as the round's proposal page; unknown values are ignored."""
    topic = request.args.get("topic", "")
    district = request.args.get("district", "")
    state = request.args.get("state", "")
    outcome = request.args.get("outcome", "")
    sort = request.args.get("sort", "newest")
    from engage.core.districts import DISTRICTS

    return proposals.Filters(
        q=request.args.get("q", "")[:200],
        topic_id=topic_id if (topic_id := parse_id(topic)) in {t.id for t in round_.topics} else None,
        district=district if district in DISTRICTS else "",
        state=state if state in proposals.STATES else "",
        outcome=outcome if outcome in proposals.OUTCOME_FILTERS else "",
        sort=sort if sort in proposals.SORTS else "newest",
        seed=_int_arg("seed", 0, 0, 1_000_002),
    )


@bp.route("/rounds/<int:round_id>/proposals")
@cached_page(lambda round_id: ("rounds", f"round:{round_id}"))
def round_proposals(round_id: int):
    round_ = _published_round(round_id)
    query = proposals.proposals_query(round_, proposal_filters(round_))
    return _paged(query, serializers.proposal, "api.round_proposals", round_id=round_id)


@bp.route("/rounds/<int:round_id>/report")
@cached_page(lambda round_id: ("rounds", f"round:{round_id}"))
def round_report(round_id: int):
    """The report's figures and one page of its proposals of one ``outcome``; every row is in the report's file."""
    from engage.feedback import exports as report_data
    from engage.feedback.services import REPORT_ORDER, first_listed_outcome

    round_ = _published_round(round_id)
    data = report_data.summary(round_)
    depends_on(*(f"survey:{s['survey_id']}" for s in data["surveys"]))
    outcome = request.args.get("outcome", "")
    outcome = "" if outcome == "not_answered" else outcome
    counts = {("" if key == "not_answered" else key): n for key, n in data["outcomes"].items()}
    if outcome not in REPORT_ORDER or "outcome" not in request.args:
        outcome = first_listed_outcome(counts)
    page = _int_arg("page", 1, 1, 10**6)
    per_page = _int_arg("per_page", current_app.config["PER_PAGE"], 1, MAX_PER_PAGE)
    total = counts.get(outcome, 0)

    def link(number):
        return url_for("api.round_report", round_id=round_.id, outcome=outcome or "not_answered", page=number,
                       per_page=per_page, _external=True)

    return jsonify(
        **data,
        download_url=url_for("feedback.report_json", round_id=round_.id, _external=True),
        outcome=outcome or "not_answered", page=page, per_page=per_page, total=total,
        proposals=report_data.page_rows(round_, outcome, page, per_page),
        next=link(page + 1) if page * per_page < total else None,
        previous=link(page - 1) if page > 1 and (page - 1) * per_page < max(total, 1) else None,
    )


TEXT_SAMPLE = 100


def _public_results(survey_id: int):
    from engage.core.permissions import can
    from engage.surveys.models import Survey

    survey = db.session.get(Survey, survey_id)
    if survey is None or not can("surveys.view", survey):
        abort(404)
    if not can("surveys.results", survey):
        from engage.core.errors import problem

        abort(problem(403, _("The results will be published when the survey closes."), code="not_yet_public"))
    return survey


@bp.route("/surveys/<int:survey_id>/results")
@cached_page(lambda survey_id: ("rounds", f"survey:{survey_id}"))
def survey_results(survey_id: int):
    """Figures of every question; for free texts, the newest ones and a link to all of them, page by page."""
    from engage.surveys import results as survey_results_

    survey = _public_results(survey_id)
    data = survey_results_.compute(survey, survey.default_locale, text_sample=0)
    figures = survey_results_.summary(data)
    for item, result in zip(figures["questions"], data.questions):
        if result.kind == "text" or result.question.allow_other:
            texts = survey_results_.text_answers(item["id"], include_hidden=False)
            item["texts"] = list(db.session.scalars(texts.with_only_columns(survey_results_.AnswerItem.text)
                                                    .limit(TEXT_SAMPLE)))
            item["texts_total"] = db.session.scalar(select(func.count()).select_from(
                texts.with_only_columns(survey_results_.AnswerItem.id).order_by(None).subquery()))
            item["texts_url"] = url_for("api.survey_texts", survey_id=survey.id, question_id=item["id"], _external=True)
    return jsonify(
        survey_id=survey.id, round_id=survey.round_id,
        url=url_for("surveys.results_page", survey_id=survey.id, _external=True),
        title=survey.title, default_locale=survey.default_locale, status=survey.status,
        opens_at=serializers.iso(survey.opens_at), closes_at=serializers.iso(survey.closes_at),
        respondents=figures["respondents"], questions=figures["questions"],
    )


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/texts")
@cached_page(lambda survey_id, question_id: ("rounds", f"survey:{survey_id}"))
def survey_texts(survey_id: int, question_id: int):
    """The free-text (or "Other") answers of one question not hidden by moderation, newest first."""
    from engage.surveys import results as survey_results_

    survey = _public_results(survey_id)
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None or not (question.type == "text" or question.allow_other):
        abort(404)
    query = survey_results_.text_answers(question.id, include_hidden=False)
    return _paged(query, lambda item: item.text, "api.survey_texts", survey_id=survey.id, question_id=question.id)


@bp.route("/plans")
@cached_page(("plans",))
def plans_list():
    from engage.plans.models import ActionPlan

    query = select(ActionPlan).where(ActionPlan.published_at.is_not(None)).order_by(ActionPlan.period_start.desc(),
                                                                                    ActionPlan.id.desc())
    return _paged(query, serializers.plan_summary, "api.plans_list")


@bp.route("/plans/<int:plan_id>")
@cached_page(("plans", "rounds"))
def plan_detail(plan_id: int):
    from engage.plans import services as plans

    plan = plans.get_plan(plan_id)
    if plan is None or not plan.is_published:
        abort(404)
    return jsonify(serializers.plan_detail(plan, plans.today()))


@bp.route("/organisations")
@cached_page(("organisations",))
def organisations_list():
    """Verified organisations, with the directory's filters."""
    from engage.organisations.services import directory_filters, directory_query

    return _paged(directory_query(directory_filters(request.args)), serializers.organisation, "api.organisations_list")


@bp.route("/endorsements")
@cached_page(("organisations", "plans"))
def endorsements_list():
    """Endorsements in force: all of them, or of one target (``target=proposal:12``), or by one organisation
    (``organisation=3``)."""
    from engage.endorsements import targets
    from engage.endorsements.models import Endorsement
    from engage.organisations.models import Organisation

    from engage.endorsements.services import in_force

    query = select(Endorsement).where(*in_force())
    if request.args.get("target"):
        found = targets.parse(request.args["target"])
        if found is None:
            abort(404)
        target, obj = found
        query = query.where(Endorsement.target_type == target.name, Endorsement.target_id == obj.id)
    elif request.args.get("organisation"):
        org_id = parse_id(request.args["organisation"])
        org = db.session.get(Organisation, org_id) if org_id is not None else None
        if org is None or not org.is_verified:
            abort(404)
        query = query.where(Endorsement.organisation_id == org.id)

    def serialize(endorsement):
        target = targets.get(endorsement.target_type)
        obj = target.load(endorsement.target_id) if target else None
        public = obj is not None and target.is_public(obj)
        return serializers.endorsement(endorsement, target.title(obj) if public else None,  # None when hidden
                                       _external_url(target.url(obj)) if public else None)

    return _paged(query.order_by(Endorsement.created_at, Endorsement.id), serialize, "api.endorsements_list")


def _external_url(path: str) -> str:
    from engage.core.urls import external_url

    return external_url(path)


@bp.route("/proposals/<int:proposal_id>")
@cached_page(lambda proposal_id: ("rounds", f"proposal:{proposal_id}"))
def proposal_detail(proposal_id: int):
    return jsonify(serializers.proposal(_public_proposal(proposal_id)))


@bp.route("/proposals/<int:proposal_id>/comments")
@cached_page(lambda proposal_id: ("rounds", f"proposal:{proposal_id}"))
def proposal_comments(proposal_id: int):
    proposal = _public_proposal(proposal_id)
    query = select(Comment).where(Comment.proposal_id == proposal.id).order_by(Comment.id)
    hidden = proposal.is_hidden
    return _paged(query, lambda c: serializers.comment(c, proposal_hidden=hidden), "api.proposal_comments",
                  proposal_id=proposal_id)


# --- CSV ---------------------------------------------------------------------------

downloads = Blueprint("downloads", __name__)


@downloads.route("/rounds/<int:round_id>/proposals.csv")
def proposals_csv(round_id: int):
    return exports.serve("round-proposals", _published_round(round_id))


@downloads.route("/rounds/<int:round_id>/comments.csv")
def comments_csv(round_id: int):
    return exports.serve("round-comments", _published_round(round_id))
