"""Demo meetings for ``flask demo load``: the three co-creation meetings of the Kyiv action plan
(introductory session at the Vcentri HUB in Obolon district, strategic session in the columned hall of
the KCSA, public presentation), with attendance and minutes; an upcoming forum meeting; and an upcoming
public discussion of the draft Regulation on Public Consultations with registrations and a waitlist.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engage.core.demo import demo_loader
from engage.extensions import db
from engage.forum import services as forums
from engage.forum.models import Forum
from engage.meetings import services
from engage.meetings.models import Meeting
from engage.rounds.demo import CO_CREATION_TITLE, CONSULTATION_TITLE, _kyiv, _participants, _people
from engage.rounds.models import Round, RoundText

HUB = ("Vcentri HUB, Оболонський район", "просп. Оболонський, Київ",
       "Вхід без сходинок, доступна вбиральня. Повідомте заздалегідь, якщо потрібен сурдопереклад.")
KCSA = "Київська міська державна адміністрація, вул. Хрещатик, 36"


def _round(title: str) -> Round | None:
    round_id = db.session.scalar(select(RoundText.round_id).where(RoundText.title == title))
    return db.session.get(Round, round_id) if round_id else None


def _meeting(by, *, kind, round_, forum, title, description, agenda, starts, hours, venue, address="", access="",
             published, capacity=None, registration=False, online=""):
    meeting = services.create_meeting(services.Details(
        kind=kind, default_locale="uk", title=title, description=description, agenda=agenda, starts_at=starts,
        ends_at=starts + timedelta(hours=hours), venue_name=venue, venue_address=address, accessibility=access,
        online_url=online, capacity=capacity, registration_required=registration), round_=round_, forum=forum, by=by)
    meeting.published_at = meeting.agenda_published_at = published
    meeting.short_notice = starts - published < timedelta(days=services.notice_days_required())
    db.session.flush()
    return meeting


@demo_loader
def load_meetings() -> list[str]:
    if db.session.scalar(select(Meeting.id)) is not None:
        return ["  meetings: co-creation sessions and upcoming meetings (exist)"]
    facilitator = _people()["facilitator@example.org"]
    co_creation, consultation = _round(CO_CREATION_TITLE), _round(CONSULTATION_TITLE)
    forum = db.session.scalar(select(Forum))
    if co_creation is None or forum is None:
        return []
    from engage.core.time import utcnow

    intro = _meeting(
        facilitator, kind="training", round_=co_creation, forum=None,
        title={"uk": "Ознайомчий семінар для стейкхолдерів", "en": "Introductory session for stakeholders",
               "es": "Sesión introductoria para las partes interesadas"},
        description={"uk": "Що таке OGP Local, як Київ напрацьовуватиме план дій і як долучитися.",
                     "en": "What OGP Local is, how Kyiv will co-create its action plan, and how to take part."},
        agenda={"uk": "1. Партнерство «Відкритий Уряд» і OGP Local\n2. Етапи спільного напрацювання плану дій\n"
                      "3. Робота в групах: проблеми міста\n4. Наступні кроки",
                "en": "1. The Open Government Partnership and OGP Local\n2. Steps of the co-creation\n"
                      "3. Group work: the city's problems\n4. Next steps"},
        starts=_kyiv(2024, 7, 7, 11), hours=3, venue=HUB[0], address=HUB[1], access=HUB[2],
        published=_kyiv(2024, 6, 19, 12))
    services.record_attendance(intro, 46, {"government": 12, "civil_society": 21, "academia": 5, "youth": 8})
    services.publish_minutes(intro, {
        "uk": "Учасники ознайомилися з ініціативою OGP Local. У групах визначено п'ять напрямів: відкриті дані, "
              "публічні консультації, молодіжна участь, простори Vcentri HUB і доступ до публічної інформації.",
        "en": "Participants learned about OGP Local. Groups named five areas: open data, public consultations, "
              "youth participation, Vcentri HUB spaces and access to public information."})
    strategic = _meeting(
        facilitator, kind="strategic", round_=co_creation, forum=forum,
        title={"uk": "Стратегічна сесія з напрацювання напрямів зобов'язань", "en": "Strategic session on the commitments",
               "es": "Sesión estratégica sobre los compromisos"},
        description={"uk": "Формулюємо напрями зобов'язань місцевого плану дій разом із широким колом стейкхолдерів.",
                     "en": "Shaping the commitments of the local action plan with a wide range of stakeholders."},
        agenda={"uk": "1. Підсумки збору пропозицій\n2. Пріоритезація напрямів\n3. Відповідальні та партнери\n4. Рішення ради",
                "en": "1. What the call for proposals brought\n2. Prioritising the areas\n3. Lead institutions and partners\n4. Decisions of the council"},
        starts=_kyiv(2024, 9, 26, 10), hours=4, venue="Колонна зала КМДА", address=KCSA,
        access="Вхід з вул. Хрещатик, ліфт до залу.", published=_kyiv(2024, 9, 6, 9))
    services.record_attendance(strategic, 58, {"government": 19, "civil_society": 24, "academia": 6, "youth": 6, "other": 3})
    services.publish_minutes(strategic, {
        "uk": "Погоджено п'ять напрямів зобов'язань. Робоча група до 20 жовтня готує їхні формулювання з "
              "відповідальними виконавцями та партнерами.",
        "en": "Five areas of commitments were agreed. A working group drafts them with the lead institutions and "
              "partners by 20 October."})
    presentation = _meeting(
        facilitator, kind="public", round_=co_creation, forum=None,
        title={"uk": "Публічна презентація місцевого плану дій", "en": "Public presentation of the local action plan",
               "es": "Presentación pública del plan de acción local"},
        description={"uk": "Презентуємо проєкт плану дій мешканцям і розповідаємо, як враховано пропозиції.",
                     "en": "The draft plan is presented to residents, with how their proposals were used."},
        agenda={"uk": "1. П'ять зобов'язань плану\n2. Як ми врахували ваші пропозиції\n3. Запитання та відповіді",
                "en": "1. The plan's five commitments\n2. How your proposals were used\n3. Questions and answers"},
        starts=_kyiv(2024, 12, 18, 15), hours=2, venue="Презентаційна зала КМДА", address=KCSA,
        published=_kyiv(2024, 12, 2, 9))
    services.record_attendance(presentation, 73, {})
    services.publish_minutes(presentation, {"uk": "Проєкт плану дій представлено; запитання учасників і відповіді "
                                                 "додано до звіту про врахування пропозицій."})
    forums.add_decision(forum, decided_on=_kyiv(2024, 9, 26).date(), meeting_id=strategic.id,
                        text="Погодити п'ять напрямів зобов'язань місцевого плану дій OGP Local 2025-2026.")
    forums.add_decision(forum, decided_on=_kyiv(2024, 12, 20).date(), meeting_id=None,
                        text="Рекомендувати Київській міській раді затвердити план дій; рада здійснюватиме моніторинг його виконання.")

    today = utcnow().replace(minute=0, second=0, microsecond=0)
    _meeting(facilitator, kind="forum", round_=None, forum=forum,
             title={"uk": "Квартальне засідання Координаційної ради", "en": "Quarterly meeting of the Coordination Council"},
             description={"uk": "Звіти відповідальних підрозділів про виконання плану дій.",
                          "en": "The responsible departments report on the action plan."},
             agenda={"uk": "1. Звіт за квартал\n2. Затримки та ризики\n3. Різне", "en": "1. Quarterly report\n2. Delays and risks\n3. Other business"},
             starts=(today + timedelta(days=35)).replace(hour=13), hours=2, venue=HUB[0], address=HUB[1], access=HUB[2],
             online="https://meet.example.org/kyiv-council", published=today - timedelta(days=3))
    lines = ["  meetings: 3 co-creation sessions with minutes, 1 upcoming forum meeting (created)"]
    if consultation is not None:
        public = _meeting(
            facilitator, kind="public", round_=consultation, forum=None,
            title={"uk": "Публічне обговорення проєкту Положення про публічні консультації",
                   "en": "Public discussion of the draft Regulation on Public Consultations",
                   "es": "Debate público del proyecto de Reglamento de Consultas Públicas"},
            description={"uk": "Обговорюємо, які рішення мають проходити консультації та як звітувати про врахування пропозицій.",
                         "en": "Which decisions should be consulted on, and how the city should report on what it did with your input."},
            agenda={"uk": "1. Проєкт Положення: основні норми\n2. Ваші пропозиції\n3. Наступні кроки",
                    "en": "1. The draft Regulation in brief\n2. Your proposals\n3. Next steps"},
            starts=(today + timedelta(days=22)).replace(hour=15), hours=2, venue=HUB[0], address=HUB[1], access=HUB[2],
            published=today - timedelta(days=1), capacity=6, registration=True)
        people = _participants()
        for person in people[:8]:
            services.register(public, person)
        lines.append("  meetings: upcoming public discussion, 6 places taken and 2 on the waitlist (created)")
    return lines
