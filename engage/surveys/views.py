"""Survey pages: building (facilitators), answering (residents and, where allowed, visitors), results."""
from __future__ import annotations


from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from engage.core.forms import ActionForm, LazyForm, check_action_form
from engage.core.pagination import paginate
from engage.core.permissions import can, is_signed_in, require
from engage.core.time import format_datetime, to_local, to_utc
from engage.extensions import db, limiter
from engage.rounds.services import load_round
from engage.surveys import answers, results, services
from engage.surveys.forms import LOCALES, HideAnswerForm, QuestionForm, SurveyForm
from engage.surveys.kinds import SCALES, TYPE_LABELS, QuestionType
from engage.surveys.models import AnswerItem, Question, Survey, SurveyResponse
from engage.core import exports
from engage.core.cache import cached_page
from engage.surveys import exports as survey_exports  # noqa: F401  (registers the answers file)

bp = Blueprint("surveys", __name__)

BROWSER_COOKIE = "engage_survey_browser"
BROWSER_COOKIE_DAYS = 400


def _locale() -> str:
    return str(get_locale())


def _me():
    return current_user._get_current_object()


def load_survey(survey_id: int) -> Survey:
    """The survey, if it exists and the current person may see it (drafts look absent)."""
    survey = db.session.get(Survey, survey_id)
    if survey is None or not can("surveys.view", survey):
        abort(404)
    return survey


def editable_survey(survey_id: int) -> Survey:
    survey = load_survey(survey_id)
    require("surveys.edit", survey)
    return survey


def _question_of(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    return question


# --- Anonymous answers: one per browser -----------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-browser")


def browser_token() -> str | None:
    raw = request.cookies.get(BROWSER_COOKIE)
    if not raw:
        return None
    try:
        token = _serializer().loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def _own_response(survey: Survey) -> SurveyResponse | None:
    if is_signed_in(current_user):
        return answers.find_response(survey, user_id=current_user.id)
    token = browser_token()
    return answers.find_response(survey, key=answers.browser_key(token)) if token else None


def answer_refusal(survey: Survey) -> str | None:
    """Why the current person cannot answer now, in words; None when they can."""
    if not survey.is_published:
        return _("This survey is a draft: it can be answered once it is published.")
    if survey.status == "upcoming":
        return _("This survey opens on %(date)s.", date=format_datetime(survey.opens_at, "short"))
    if survey.status == "closed":
        return _("This survey closed on %(date)s.", date=format_datetime(survey.closes_at, "short"))
    if not is_signed_in(current_user) and not survey.allow_anonymous:
        return _("Sign in to answer this survey.")
    return None


def _anonymous_limit() -> str:
    return current_app.config["RATELIMIT_SURVEY_ANONYMOUS"]


# --- Answering --------------------------------------------------------------------


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
@limiter.limit(_anonymous_limit, methods=["POST"], exempt_when=lambda: is_signed_in(current_user))
@cached_page(lambda survey_id: ("rounds", f"survey:{survey_id}"))
def show(survey_id: int):
    survey = load_survey(survey_id)
    own = _own_response(survey)
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        check_action_form()
        require("surveys.answer", survey)
        values, errors = answers.parse(survey, request.form)
        if not errors:
            return _save_answer(survey, values)
        state = answers.submitted_state(request.form)
        status = 422
    else:
        state = answers.form_state(survey, answers.values_of(own))
    locale = _locale()
    return render_template(
        "surveys/show.html", survey=survey, round=survey.round, locale=locale, own=own, state=state, errors=errors,
        can_answer=can("surveys.answer", survey), refusal=answer_refusal(survey),
        can_edit=can("surveys.edit", survey), can_see_results=can("surveys.results", survey),
        action_form=ActionForm.lazy(), field_name=answers.field_name,
    ), status


def _save_answer(survey: Survey, values: dict):
    token = None
    if is_signed_in(current_user):
        _response, changed = answers.save(survey, values, user_id=current_user.id)
    else:
        token = browser_token() or answers.new_browser_token()
        _response, changed = answers.save(survey, values, key=answers.browser_key(token))
    flash(_("Your answer has been changed.") if changed else _("Thank you: your answer has been saved."), "success")
    response = redirect(url_for("surveys.thanks", survey_id=survey.id))
    if token:
        response.set_cookie(BROWSER_COOKIE, _serializer().dumps(token), max_age=BROWSER_COOKIE_DAYS * 86400,
                            httponly=True, samesite="Lax", secure=request.is_secure)
    return response


@bp.route("/surveys/<int:survey_id>/thanks")
def thanks(survey_id: int):
    survey = load_survey(survey_id)
    own = _own_response(survey)
    if own is None:
        return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_template("surveys/thanks.html", survey=survey, locale=_locale(), own=own,
                           can_see_results=can("surveys.results", survey))


@bp.route("/surveys/<int:survey_id>/my-answer")
def my_answer(survey_id: int):
    survey = load_survey(survey_id)
    own = _own_response(survey)
    if own is None:
        flash(_("You have not answered this survey yet."), "info")
        return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_template("surveys/my_answer.html", survey=survey, locale=_locale(), own=own,
                           values=answers.values_of(own), can_change=can("surveys.answer", survey))


# --- Building ---------------------------------------------------------------------


def _settings(form: SurveyForm) -> services.Settings:
    return services.Settings(
        title=form.texts("title"), introduction=form.texts("introduction"),
        opens_at=to_utc(form.opens_at.data), closes_at=to_utc(form.closes_at.data),
        allow_anonymous=form.allow_anonymous.data, results_visibility=form.results_visibility.data,
    )


@bp.route("/rounds/<int:round_id>/surveys/new", methods=["GET", "POST"])
def create(round_id: int):
    round_ = load_round(round_id)
    require("surveys.create", round_)
    form = SurveyForm(default_locale=round_.default_locale)
    if form.validate_on_submit():
        try:
            survey = services.create_survey(round_, _me(), _settings(form))
        except services.SurveyError as error:
            getattr(form, error.field or "opens_at").errors.append(error.message)
        else:
            flash(_("The survey has been created as a draft. Add its questions, then publish it."), "success")
            return redirect(url_for("surveys.questions", survey_id=survey.id))
    return render_template("surveys/form.html", form=form, round=round_, survey=None, locales=LOCALES), \
        422 if form.is_submitted() else 200


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
def edit(survey_id: int):
    survey = editable_survey(survey_id)
    form = SurveyForm(default_locale=survey.default_locale)
    if not form.is_submitted():
        for locale in LOCALES:
            form[f"title_{locale}"].data = survey.title.get(locale, "")
            form[f"introduction_{locale}"].data = survey.introduction.get(locale, "")
        form.opens_at.data, form.closes_at.data = to_local(survey.opens_at), to_local(survey.closes_at)
        form.allow_anonymous.data = survey.allow_anonymous
        form.results_visibility.data = survey.results_visibility
    if form.validate_on_submit():
        try:
            services.update_survey(survey, _settings(form))
        except services.SurveyError as error:
            getattr(form, error.field or "opens_at").errors.append(error.message)
        else:
            flash(_("The survey has been saved."), "success")
            return redirect(url_for("surveys.questions", survey_id=survey.id))
    return render_template("surveys/form.html", form=form, round=survey.round, survey=survey, locales=LOCALES), \
        422 if form.is_submitted() else 200


@bp.route("/surveys/<int:survey_id>/questions")
def questions(survey_id: int):
    survey = editable_survey(survey_id)
    return render_template("surveys/questions.html", survey=survey, locale=_locale(), locked=services.has_answers(survey),
                           type_labels=TYPE_LABELS, action_form=ActionForm.lazy(),
                           respondents=results.respondents(survey))


def _spec(form: QuestionForm, default_locale: str) -> services.QuestionSpec:
    kind = form.question_type
    return services.QuestionSpec(
        type=kind, prompt=form.texts("prompt"), description=form.texts("description"), required=form.required.data,
        options=form.option_labels(default_locale) if kind.has_options else [],
        allow_other=form.allow_other.data, max_choices=form.max_choices.data,
        scale=SCALES.get(form.scale.data) if kind is QuestionType.SCALE else None,
        min_label=form.texts("min_label"), max_label=form.texts("max_label"),
        long_text=form.long_text.data, max_length=form.max_length.data,
    )


def _fill_question_form(form: QuestionForm, question: Question) -> None:
    form.type.data = question.type
    form.required.data = question.required
    form.allow_other.data = question.allow_other
    form.max_choices.data = question.max_choices
    form.scale.data = f"{question.scale_min}-{question.scale_max}" if question.scale_min is not None else "1-5"
    form.long_text.data = question.long_text
    form.max_length.data = question.max_length
    for locale in LOCALES:
        form[f"prompt_{locale}"].data = question.prompt.get(locale, "")
        form[f"description_{locale}"].data = question.description.get(locale, "")
        form[f"min_label_{locale}"].data = question.min_label.get(locale, "")
        form[f"max_label_{locale}"].data = question.max_label.get(locale, "")
        form[f"options_{locale}"].data = "\n".join(o.label.get(locale, "") for o in question.options)


def _question_page(survey: Survey, form: QuestionForm, question: Question | None, status: int):
    return render_template("surveys/question_form.html", survey=survey, form=form, question=question,
                           locales=LOCALES, locked=services.has_answers(survey) and question is not None,
                           kind=form.question_type), status


@bp.route("/surveys/<int:survey_id>/questions/new", methods=["GET", "POST"])
def add_question(survey_id: int):
    survey = editable_survey(survey_id)
    form = QuestionForm()
    if not form.is_submitted():
        kind = request.args.get("type", "single")
        form.type.data = kind if kind in {t.value for t in QuestionType} else "single"
    if form.validate_on_submit():
        try:
            services.add_question(survey, _spec(form, survey.default_locale))
        except services.SurveyError as error:
            _field_error(form, error, survey.default_locale)
        else:
            flash(_("The question has been added."), "success")
            return redirect(url_for("surveys.questions", survey_id=survey.id))
    return _question_page(survey, form, None, 422 if form.is_submitted() else 200)


def _field_error(form: QuestionForm, error: services.SurveyError, default_locale: str) -> None:
    names = {"prompt": f"prompt_{default_locale}", "options": f"options_{default_locale}", "scale": "scale",
             "max_choices": "max_choices", "type": "type"}
    if error.field in names:
        form[names[error.field]].errors.append(error.message)
    else:
        form.form_errors.append(error.message)


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(survey_id: int, question_id: int):
    survey = editable_survey(survey_id)
    question = _question_of(survey, question_id)
    form = QuestionForm()
    if not form.is_submitted():
        _fill_question_form(form, question)
    if form.validate_on_submit():
        try:
            services.update_question(question, _spec(form, survey.default_locale))
        except services.SurveyError as error:
            _field_error(form, error, survey.default_locale)
        else:
            flash(_("The question has been saved."), "success")
            return redirect(url_for("surveys.questions", survey_id=survey.id))
    return _question_page(survey, form, question, 422 if form.is_submitted() else 200)


def _editor_action(survey_id: int, action) -> Response:
    survey = editable_survey(survey_id)
    check_action_form()
    try:
        message = action(survey)
    except services.SurveyError as error:
        flash(error.message, "error")
    else:
        flash(message, "success")
    return redirect(url_for("surveys.questions", survey_id=survey.id))


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/delete", methods=["POST"])
def delete_question(survey_id: int, question_id: int):
    def act(survey):
        services.delete_question(_question_of(survey, question_id))
        return _("The question has been removed.")

    return _editor_action(survey_id, act)


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/move", methods=["POST"])
def move_question(survey_id: int, question_id: int):
    def act(survey):
        services.move_question(_question_of(survey, question_id), -1 if request.form.get("direction") == "up" else 1)
        return _("The order of the questions has been saved.")

    return _editor_action(survey_id, act)


@bp.route("/surveys/<int:survey_id>/demographics", methods=["POST"])
def add_demographics(survey_id: int):
    def act(survey):
        added = services.add_demographic_block(survey)
        return _("Demographic questions added: %(count)d.", count=len(added))

    return _editor_action(survey_id, act)


@bp.route("/surveys/<int:survey_id>/publish", methods=["POST"])
def publish(survey_id: int):
    def act(survey):
        services.publish(survey)
        return _("The survey is published.")

    return _editor_action(survey_id, act)


@bp.route("/surveys/<int:survey_id>/unpublish", methods=["POST"])
def unpublish(survey_id: int):
    def act(survey):
        services.unpublish(survey)
        return _("The survey is a draft again.")

    return _editor_action(survey_id, act)


# --- Results ----------------------------------------------------------------------


def results_survey(survey_id: int) -> Survey:
    survey = load_survey(survey_id)
    if not can("surveys.results", survey):
        if survey.status == "upcoming":
            abort(404)
        flash(_("The results will be published when the survey closes, on %(date)s.",
                date=format_datetime(survey.closes_at, "short")), "info")
        abort(redirect(url_for("surveys.show", survey_id=survey.id)))
    return survey


def _crosstab_choice(survey: Survey, name: str, allowed) -> Question | None:
    try:
        wanted = int(request.args.get(name, ""))
    except ValueError:
        return None
    return next((q for q in survey.questions if q.id == wanted and allowed(q)), None)


@bp.route("/surveys/<int:survey_id>/results")
@cached_page(lambda survey_id: ("rounds", f"survey:{survey_id}"))
def results_page(survey_id: int):
    survey = results_survey(survey_id)
    locale = _locale()
    data = results.compute(survey, locale)
    choice_questions = [q for q in survey.questions if q.is_choice]
    demographic = services.demographic_questions(survey)
    question = _crosstab_choice(survey, "question", lambda q: q.is_choice)
    by = _crosstab_choice(survey, "by", lambda q: q.demographic is not None)
    table = results.crosstab(question, by, locale) if question and by and question.id != by.id else None
    return render_template("surveys/results.html", survey=survey, round=survey.round, locale=locale, data=data,
                           choice_questions=choice_questions, demographic=demographic, crosstab=table,
                           chosen_question=question, chosen_by=by, can_edit=can("surveys.edit", survey))


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/answers")
@cached_page(lambda survey_id, question_id: ("rounds", f"survey:{survey_id}"))
def text_answers(survey_id: int, question_id: int):
    survey = results_survey(survey_id)
    question = _question_of(survey, question_id)
    moderate = can("surveys.moderate", survey)
    page = paginate(results.text_answers(question, include_hidden=moderate), per_page=50)
    return render_template("surveys/answers.html", survey=survey, question=question, page=page, locale=_locale(),
                           can_moderate=moderate, hide_form=LazyForm(HideAnswerForm), action_form=ActionForm.lazy())


def _moderated_item(item_id: int) -> tuple[AnswerItem, Survey]:
    item = db.session.get(AnswerItem, item_id)
    if item is None or item.text is None:
        abort(404)
    survey = load_survey(item.response.survey_id)
    require("surveys.moderate", survey)
    return item, survey


@bp.route("/surveys/answers/<int:item_id>/hide", methods=["POST"])
def hide_answer(item_id: int):
    item, survey = _moderated_item(item_id)
    form = HideAnswerForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for hiding this answer."), "error")
    else:
        services.hide_text_answer(item, _me(), form.reason.data)
        flash(_("The answer is hidden from the results."), "success")
    return redirect(url_for("surveys.text_answers", survey_id=survey.id, question_id=item.question_id))


@bp.route("/surveys/answers/<int:item_id>/restore", methods=["POST"])
def restore_answer(item_id: int):
    item, survey = _moderated_item(item_id)
    check_action_form()
    services.restore_text_answer(item, _me())
    flash(_("The answer is shown again."), "success")
    return redirect(url_for("surveys.text_answers", survey_id=survey.id, question_id=item.question_id))


@bp.route("/surveys/<int:survey_id>/results.csv")
def results_csv(survey_id: int):
    return exports.serve("survey-answers", results_survey(survey_id))
