"""Demo survey for ``flask demo load``: the Kyiv co-creation round asks residents about public information,
open data and the city's online services, modelled on the Khmelnytskyi co-creation survey, with about 300
generated answers. Runs once per round.
"""
from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy import select

from engage.core.demo import demo_loader
from engage.extensions import db
from engage.rounds.demo import CO_CREATION_TITLE, TOPICS, _kyiv, _participants
from engage.rounds.models import RoundText
from engage.surveys import services
from engage.surveys.answers import browser_key, items_for
from engage.surveys.kinds import QuestionType
from engage.surveys.models import Survey, SurveyResponse

RESPONDENTS = 300
TITLE = {
    "uk": "Опитування: публічна інформація, відкриті дані та онлайн-сервіси Києва",
    "en": "Survey: public information, open data and Kyiv's online services",
    "es": "Encuesta: información pública, datos abiertos y servicios en línea de Kyiv",
}
INTRODUCTION = {
    "uk": "Опитування допоможе визначити пріоритети плану дій OGP Local. Воно триває близько п'яти хвилин; "
          "питання про вас необов'язкові, а результати публікуються лише узагальнено.",
    "en": "This survey helps set the priorities of the OGP Local action plan. It takes about five minutes; the "
          "questions about you are optional and results are only published as totals.",
}


def _t(uk: str, en: str) -> dict[str, str]:
    return {"uk": uk, "en": en}


QUESTIONS = [
    ("frequency", services.QuestionSpec(
        type=QuestionType.SINGLE, required=True,
        prompt=_t("Як часто ви шукаєте публічну інформацію на сайтах Київради чи КМДА?",
                  "How often do you look for public information on the City Council's or KCSA's websites?"),
        options=[_t("Щотижня", "Every week"), _t("Щомісяця", "Every month"),
                 _t("Кілька разів на рік", "A few times a year"), _t("Ніколи", "Never")])),
    ("open_data", services.QuestionSpec(
        type=QuestionType.SINGLE, required=True, allow_other=True,
        prompt=_t("Чи користувалися ви відкритими даними міста?", "Have you used the city's open data?"),
        options=[_t("Так, для роботи", "Yes, for work"), _t("Так, для навчання чи досліджень", "Yes, for study or research"),
                 _t("Так, з особистого інтересу", "Yes, out of personal interest"),
                 _t("Ні, не знаю, де їх знайти", "No, I don't know where to find them"),
                 _t("Ні, не було потреби", "No, I have not needed them")])),
    ("services", services.QuestionSpec(
        type=QuestionType.MULTIPLE, max_choices=3, allow_other=True,
        prompt=_t("Якими онлайн-сервісами міста ви користуєтеся?", "Which of the city's online services do you use?"),
        description=_t("Оберіть до трьох.", "Choose up to three."),
        options=[_t("Застосунок «Київ Цифровий»", "The Kyiv Digital app"), _t("Офіційний сайт КМДА", "The KCSA website"),
                 _t("Портал відкритих даних", "The open data portal"), _t("Електронні петиції", "E-petitions"),
                 _t("Громадський бюджет", "Participatory budget")])),
    ("app", services.QuestionSpec(
        type=QuestionType.SCALE, scale=(1, 5),
        prompt=_t("Оцініть зручність застосунку «Київ Цифровий»", "Rate how easy the Kyiv Digital app is to use"),
        min_label=_t("Дуже незручно", "Very hard"), max_label=_t("Дуже зручно", "Very easy"))),
    ("website", services.QuestionSpec(
        type=QuestionType.SCALE, scale=(0, 10),
        prompt=_t("Наскільки ймовірно, що ви порадите сайт міста знайомим?",
                  "How likely are you to recommend the city's website to a friend?"),
        min_label=_t("Зовсім малоймовірно", "Not at all likely"), max_label=_t("Дуже ймовірно", "Very likely"))),
    ("priorities", services.QuestionSpec(
        type=QuestionType.RANKING, required=True,
        prompt=_t("Розташуйте п'ять напрямів плану дій за важливістю для вас",
                  "Rank the five themes of the action plan by how much they matter to you"),
        options=[_t(uk, en) for uk, en in zip(TOPICS, [
            "Civic education for young people", "Cultural heritage and open data", "E-services",
            "Public consultations", "The Vcentri HUB network"])])),
    ("idea", services.QuestionSpec(
        type=QuestionType.TEXT, long_text=True, max_length=1000,
        prompt=_t("Що допомогло б вам частіше брати участь у рішеннях міста?",
                  "What would help you take part in the city's decisions more often?"))),
]
IDEAS = [
    "Повідомлення в «Київ Цифровому» про консультації в моєму районі.",
    "Зустрічі ввечері або у вихідні, а не в робочий час.",
    "Зрозумілі підсумки: що саме змінили після обговорення.",
    "Онлайн-трансляції засідань із можливістю поставити питання.",
    "Більше відкритих даних про бюджет у зручному форматі.",
    "Консультації у Vcentri HUB поруч із домом.",
    "Короткі опитування замість довгих анкет.",
    "A plain-language summary of each decision before the vote.",
    "Publishing answers to every proposal, not only the accepted ones.",
    "Матеріали англійською для іноземців, які живуть у Києві.",
    "Доступність для людей з інвалідністю на всіх зустрічах.",
    "Зворотний зв'язок від депутатів мого округу.",
]
AGE_WEIGHTS = [2, 30, 34, 20, 10, 4]
GENDER_WEIGHTS = [52, 40, 2, 6]
OCCUPATION_WEIGHTS = [14, 22, 24, 10, 12, 4, 6, 3, 5]


def _round():
    text = db.session.scalar(select(RoundText).where(RoundText.title == CO_CREATION_TITLE))
    return text.round if text else None


def _value(rng: random.Random, name: str, question):
    ids = [o.id for o in question.options]
    if name == "frequency":
        return {"option": rng.choices(ids, weights=[10, 30, 45, 15])[0]}
    if name == "open_data":
        if rng.random() < 0.05:
            return {"other": rng.choice(["Для журналістського розслідування", "For a hackathon project"])}
        return {"option": rng.choices(ids, weights=[14, 12, 20, 34, 20])[0]}
    if name == "services":
        if rng.random() < 0.08:
            return None
        picked = sorted(set(rng.choices(ids, weights=[60, 25, 10, 15, 20], k=rng.randint(1, 3))), key=ids.index)
        return {"options": picked, "other": "Telegram-бот КМДА" if rng.random() < 0.04 else None}
    if name == "app":
        return None if rng.random() < 0.15 else rng.choices([1, 2, 3, 4, 5], weights=[4, 8, 22, 40, 26])[0]
    if name == "website":
        return None if rng.random() < 0.2 else rng.choices(range(11), weights=[2, 2, 3, 5, 6, 10, 12, 16, 18, 14, 12])[0]
    if name == "priorities":
        weights = {ids[0]: 1.0, ids[1]: 1.4, ids[2]: 2.2, ids[3]: 1.8, ids[4]: 0.9}
        return sorted(ids, key=lambda oid: -weights[oid] * rng.random())
    if name == "idea":
        return rng.choice(IDEAS) if rng.random() < 0.3 else None
    return None


def _demographic(rng: random.Random, question):
    ids = [o.id for o in question.options]
    if rng.random() < 0.1:
        return None  # optional: some people skip it
    weights = {"age": AGE_WEIGHTS, "gender": GENDER_WEIGHTS, "occupation": OCCUPATION_WEIGHTS}.get(
        question.demographic, [10] * 10 + [3, 4])
    return {"option": rng.choices(ids, weights=weights[:len(ids)])[0]}


@demo_loader
def load_survey() -> list[str]:
    round_ = _round()
    if round_ is None:
        return []
    if db.session.scalar(select(Survey.id).where(Survey.round_id == round_.id)) is not None:
        return ["  survey: Kyiv co-creation survey (exists)"]
    facilitator = next((f.user for f in round_.facilitators), None)
    opens, closes = _kyiv(2024, 7, 7, 12), _kyiv(2024, 9, 1, 23)
    survey = services.create_survey(round_, facilitator, services.Settings(
        title=TITLE, introduction=INTRODUCTION, opens_at=opens, closes_at=closes, allow_anonymous=True,
        results_visibility="after_close"))
    questions = {name: services.add_question(survey, spec) for name, spec in QUESTIONS}
    demographic = services.add_demographic_block(survey)
    survey.published_at = opens - timedelta(days=3)

    rng = random.Random(2024)
    participants = _participants()
    span = (closes - opens).total_seconds()
    for n in range(RESPONDENTS):
        moment = opens + timedelta(seconds=span * (n + rng.random()) / RESPONDENTS * 0.98)
        # The demo participants answered with their accounts; the others without one.
        user = participants[n] if n < len(participants) else None
        response = SurveyResponse(survey_id=survey.id, public_id=uuid.uuid4().hex, user_id=user.id if user else None,
                                  browser_key=None if user else browser_key(f"demo-browser-{n}"),
                                  created_at=moment, updated_at=moment)
        db.session.add(response)
        db.session.flush()
        values = {question.id: _value(rng, name, question) for name, question in questions.items()}
        values.update({question.id: _demographic(rng, question) for question in demographic})
        for question in survey.questions:
            if values.get(question.id) is not None:
                for item in items_for(question, values[question.id]):
                    item.response_id = response.id
                    db.session.add(item)
    db.session.flush()
    return [f"  survey: Kyiv co-creation survey, {RESPONDENTS} answers (created)"]
