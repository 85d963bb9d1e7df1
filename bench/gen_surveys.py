"""Generator step for surveys: the big round's survey (engage.surveys.demo's questions and the demographic
block, answered as the demo answers them) and a few small ones (open with live results, closed, draft).

Surveys and their questions are made with engage.surveys.services (a handful of rows, and the demographic
block comes out exactly as the site builds it); the answers are bulk rows.
"""
from __future__ import annotations

import hashlib
from datetime import timedelta
from types import SimpleNamespace

from bench import texts_civic
from bench.gen_base import Gen, RoundPlan
from engage.auth.models import User
from engage.extensions import db
from engage.rounds.models import Round
from engage.surveys import demo, services
from engage.surveys.kinds import QuestionType
from engage.surveys.models import AnswerItem, SurveyResponse

SIGNED_IN = 0.6  # share of answers given with an account; the others through the browser's cookie
CHUNK = 2000  # responses per round trip (their answer rows follow them)
HIDDEN_TEXTS = 0.03
TEXT_HIDE_REASON = "Містить персональні дані."


def surveys(gen: Gen) -> None:
    size = gen.size
    gen.expect(size.survey_answers * 17 + 3 * size.small_survey_answers * 3)
    big = _big_survey(gen)
    gen.params.update(survey_id=big["survey"].id, question_id=big["frequency"].id)
    gen.extra.update(survey_question_choice=big["frequency"].id, survey_question_demographic=big["age"].id,
                     survey_question_text=big["idea"].id, crosstab_question_id=big["frequency"].id,
                     crosstab_by_id=big["age"].id)
    by_kind = {plan.kind: plan for plan in gen.rounds}
    live_round = by_kind.get("deliberation") or by_kind["cfp"]
    closed_round = next(plan for plan in reversed(gen.rounds) if plan.kind == "closed")
    gen.extra["survey_open"] = _small_survey(gen, live_round, "deliberation" if live_round.kind == "deliberation"
                                             else "call_for_proposals", live=True)
    gen.extra["survey_closed"] = _small_survey(gen, closed_round, "deliberation", live=False)
    gen.extra["survey_draft"] = _small_survey(gen, by_kind["cfp"], "deliberation", live=False, draft=True)


def _create(gen: Gen, plan: RoundPlan, title: dict, introduction: dict, opens, closes, live: bool):
    facilitator = db.session.get(User, gen.accounts["facilitator"])
    survey = services.create_survey(db.session.get(Round, plan.id), facilitator, services.Settings(
        title=title, introduction=introduction, opens_at=opens, closes_at=closes, allow_anonymous=True,
        results_visibility="live" if live else "after_close"))
    survey.created_at = survey.updated_at = opens - timedelta(days=7)
    return survey


def _publish(survey, moment) -> None:
    survey.published_at = survey.updated_at = moment  # a date of the data, not the clock of generation
    db.session.flush()


def _big_survey(gen: Gen) -> dict:
    big = gen.big
    opens, closes = big.phases["deliberation"][0], big.phases["prioritisation"][1]
    survey = _create(gen, big, demo.TITLE, demo.INTRODUCTION, opens, closes, live=False)
    questions = {name: services.add_question(survey, spec) for name, spec in demo.QUESTIONS}
    demographic = services.add_demographic_block(survey)
    _publish(survey, opens - timedelta(days=3))

    named = {name: _plain(q) for name, q in questions.items()}
    block = [_plain(q) for q in demographic]

    def values(rng):
        found = {q.id: demo._value(rng, name, q) for name, q in named.items()}
        found.update({q.id: demo._demographic(rng, q) for q in block})
        return found

    _answer(gen, survey, list(named.values()) + block, values, gen.size.survey_answers, opens,
            min(closes, gen.anchor), remember=questions["idea"].id)
    return {"survey": survey, **questions, "age": next(q for q in demographic if q.demographic == "age")}


def _small_survey(gen: Gen, plan: RoundPlan, phase: str, *, live: bool, draft: bool = False) -> int:
    """Three questions (single choice, scale, free text) in three languages."""
    spec = texts_civic.SMALL_SURVEY
    opens, closes = plan.phases[phase]
    if draft:
        opens, closes = plan.phases["feedback"]
    survey = _create(gen, plan, spec["title"], spec["introduction"], opens, closes, live=live)
    prompt, options = spec["channel"]
    channel = services.add_question(survey, services.QuestionSpec(
        type=QuestionType.SINGLE, prompt=prompt, options=options, required=True))
    rating = services.add_question(survey, services.QuestionSpec(type=QuestionType.SCALE, prompt=spec["rating"],
                                                                 scale=(1, 5)))
    idea = services.add_question(survey, services.QuestionSpec(type=QuestionType.TEXT, prompt=spec["idea"],
                                                               long_text=True, max_length=1000))
    if draft:
        return survey.id
    _publish(survey, opens - timedelta(days=1))

    def values(rng):
        return {channel.id: {"option": rng.choice([o.id for o in channel.options])},
                rating.id: rng.choices(range(1, 6), weights=[5, 10, 25, 35, 25])[0] if rng.random() < 0.9 else None,
                idea.id: rng.choice(texts_civic.SMALL_SURVEY_IDEAS) if rng.random() < 0.2 else None}

    _answer(gen, survey, [_plain(q) for q in (channel, rating, idea)], values, gen.size.small_survey_answers, opens,
            min(closes, gen.anchor))
    return survey.id


def _plain(question) -> SimpleNamespace:
    """What answering reads of a question, as plain attributes (the ORM's are slow to read a million times)."""
    return SimpleNamespace(id=question.id, type=question.type, demographic=question.demographic,
                           options=[SimpleNamespace(id=option.id) for option in question.options])


def _answer(gen: Gen, survey, questions: list, values, count: int, opens, closes, remember: int | None = None) -> None:
    """``count`` answers given between ``opens`` and ``closes``, some signed in (one per person), the others
    anonymous (one per browser); written in chunks, each response followed by its answer rows."""
    rng = gen.rng
    people = gen.residents(int(count * SIGNED_IN), closes)
    if gen.accounts["resident"] not in people:
        people[:1] = [gen.accounts["resident"]]
    who = people + [None] * (count - len(people))
    rng.shuffle(who)
    moments = gen.sorted_between(count, opens, closes)
    first = gen.take(SurveyResponse, count)
    for start in range(0, count, CHUNK):
        responses, items = [], []
        for n in range(start, min(start + CHUNK, count)):
            response_id, user_id = first + n, who[n]
            key = None if user_id else hashlib.sha256(f"bench-{gen.seed}-{survey.id}-{n}".encode()).hexdigest()
            responses.append({"id": response_id, "survey_id": survey.id, "public_id": gen.hex(128),
                              "user_id": user_id, "browser_key": key, "created_at": moments[n],
                              "updated_at": moments[n]})
            chosen = values(rng)
            for question in questions:
                if chosen.get(question.id) is not None:
                    items.extend(_item_rows(gen, question, chosen[question.id], response_id, moments[n]))
        gen.insert(SurveyResponse, responses)
        gen.insert(AnswerItem, items)
        gen.moderated.extend(("survey_answer", i["id"], survey.round_id, i["hidden_at"], "text", i["hidden_at"],
                              i["hidden_reason"], 0) for i in items if i["hidden_at"])
        if remember and "item_id" not in gen.params:
            gen.params["item_id"] = next(i["id"] for i in items if i["question_id"] == remember and not i["hidden_at"])


def _item_rows(gen: Gen, question, value, response_id: int, moment) -> list[dict]:
    """The answer rows of one value, as engage.surveys.answers.items_for builds them."""
    row = {"response_id": response_id, "question_id": question.id, "option_id": None, "value": None, "text": None,
           "hidden_at": None, "hidden_reason": None}
    kind = question.type
    if kind == "single":
        rows = [{**row, "text": value["other"]} if "other" in value else {**row, "option_id": value["option"]}]
    elif kind == "multiple":
        rows = [{**row, "option_id": oid} for oid in value["options"]]
        rows += [{**row, "text": value["other"]}] if value.get("other") else []
    elif kind == "scale":
        rows = [{**row, "value": value}]
    elif kind == "text":
        rows = [{**row, "text": value}]
        if gen.rng.random() < HIDDEN_TEXTS:
            rows[0].update(hidden_at=min(moment + timedelta(days=1), gen.anchor), hidden_reason=TEXT_HIDE_REASON)
    else:  # ranking
        rows = [{**row, "option_id": oid, "value": n} for n, oid in enumerate(value, start=1)]
    first = gen.take(AnswerItem, len(rows))
    return [{"id": first + n, **r} for n, r in enumerate(rows)]
