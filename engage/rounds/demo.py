"""Demo rounds for ``flask demo load``: the Kyiv OGP Local 2025-2026 co-creation, and an open consultation.

Facts (dates, institutions, the five commitments) come from the Kyiv action plan;
the proposals and comments are written for the demo. Running the loader again
changes nothing: each round is created only if its title is not there yet.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from engage.auth import services as accounts
from engage.auth.models import User
from engage.core.demo import DEMO_PASSWORD, demo_loader
from engage.extensions import db
from engage.rounds import services
from engage.rounds.models import RoundText
from engage.rounds.phases import PhaseType

KYIV = ZoneInfo("Europe/Kyiv")
CO_CREATION_TITLE = "Спільне напрацювання Місцевого плану дій OGP Local для Києва на 2025-2026 роки"
CONSULTATION_TITLE = "Публічна консультація щодо проєкту Положення про публічні консультації в місті Києві"

PARTICIPANTS = [
    ("participant01@example.org", "Марія Петренко", "uk"), ("participant02@example.org", "Тарас Мельник", "uk"),
    ("participant03@example.org", "Sofia Martínez", "es"), ("participant04@example.org", "Іван Бойко", "uk"),
    ("participant05@example.org", "Emma Walker", "en"), ("participant06@example.org", "Наталія Кравченко", "uk"),
    ("participant07@example.org", "Юрій Ткаченко", "uk"), ("participant08@example.org", "Лілія Савчук", "uk"),
    ("participant09@example.org", "Oleksii Hrytsenko", "en"), ("participant10@example.org", "Ганна Лисенко", "uk"),
]

TOPICS = [
    "Громадянська освіта молоді",
    "Культурна спадщина та відкриті дані",
    "Електронні послуги",
    "Публічні консультації",
    "Мережа Vcentri HUB",
]

# (topic index, locale, title, body, district or None)
CO_CREATION_PROPOSALS = [
    (0, "uk", "Курс громадянської освіти для старшокласників", "Запровадити у школах інтерактивний курс про те, як працює міська влада, як подати петицію та взяти участь у громадських консультаціях.", None),
    (0, "uk", "Молодіжна рада при кожній районній адміністрації", "Створити молодіжні ради в районах, щоб молодь могла напряму впливати на рішення про простір, де вона живе й навчається.", "desnianskyi"),
    (0, "en", "Civic education module for vocational colleges", "Vocational students are rarely reached by civic programmes. Offer a short practical module with visits to the city council and a simulated budget hearing.", None),
    (0, "uk", "Практика в структурних підрозділах КМДА для студентів", "Оплачувана літня практика для студентів у департаментах КМДА допоможе молоді зрозуміти, як ухвалюються рішення, і залишитися працювати в місті.", None),
    (0, "uk", "Гра-симулятор міського бюджету для шкіл", "Розробити онлайн-гру, у якій учні розподіляють бюджет міста між потребами районів і бачать наслідки своїх рішень.", None),
    (0, "en", "Train teachers to run participation lessons", "Before courses start, teachers need training and ready lesson plans. Partner with Borys Grinchenko Kyiv Metropolitan University to prepare them.", None),
    (0, "uk", "Дебатний клуб на базі Vcentri HUB", "Щомісячні дебати для молоді на теми міських політик, з участю посадовців, які потім відповідають на висновки учасників.", "obolonskyi"),
    (0, "uk", "Відкриті уроки з волонтерами громадських організацій", "Запрошувати представників громадських організацій до шкіл, щоб учні дізнавалися про реальні проєкти участі у своєму районі.", None),
    (1, "uk", "Відкриті дані про пам'ятки культурної спадщини", "Оприлюднити реєстр пам'яток культурної спадщини Києва у форматі відкритих даних з координатами, охоронним статусом і фото.", None),
    (1, "en", "Map of heritage buildings at risk", "Publish an interactive map showing heritage buildings in poor condition, with the date of the last inspection and the responsible owner.", "podilskyi"),
    (1, "uk", "Щоквартальне оновлення наборів відкритих даних", "Визначити відповідальних і графік оновлення кожного набору даних, щоб дані на міському порталі не застарівали.", None),
    (1, "uk", "Дані про дозволи на роботи в історичних ареалах", "Публікувати всі дозволи на будівельні та ремонтні роботи в історичних ареалах, щоб громада могла вчасно реагувати.", "pecherskyi"),
    (1, "en", "Open API for the heritage information base", "Make the heritage module of the city property system available through a documented API so that researchers and journalists can reuse it.", None),
    (1, "uk", "Громадський моніторинг стану пам'яток", "Дати мешканцям змогу повідомляти про пошкодження пам'яток через застосунок, а департаменту — відповідати про вжиті заходи.", None),
    (1, "uk", "Двомовні інформаційні таблички з QR-кодами", "Встановити біля пам'яток таблички українською та англійською з QR-кодом на запис у відкритій базі даних.", "shevchenkivskyi"),
    (1, "uk", "Відкриті дані про оренду комунального майна", "Публікувати договори оренди комунальних приміщень, щоб кожен бачив умови, ціну та орендаря.", None),
    (2, "uk", "Усі міські послуги в одному кабінеті", "Об'єднати електронні послуги міста в одному особистому кабінеті з єдиним входом і статусом кожного звернення.", None),
    (2, "en", "Track the status of every citizen request", "Residents should see online where their request is, who handles it and when an answer is due, as a parcel tracker does.", None),
    (2, "uk", "Електронна черга до ЦНАПів", "Запровадити онлайн-запис і електронну чергу в усіх центрах надання адміністративних послуг міста.", "darnytskyi"),
    (2, "uk", "Доступність послуг для людей з інвалідністю", "Перевірити всі електронні послуги на відповідність стандартам доступності та виправити форми, які неможливо заповнити з екранним читачем.", None),
    (2, "en", "Plain-language forms for e-services", "Rewrite the forms of the most used e-services in plain language and test them with residents of different ages.", None),
    (2, "uk", "Зворотний зв'язок після кожної послуги", "Після отримання послуги пропонувати коротке опитування й публікувати зведені результати щокварталу.", None),
    (2, "uk", "Послуги для внутрішньо переміщених осіб онлайн", "Зібрати в одному розділі всі послуги для переміщених осіб і дати змогу отримати їх без повторних візитів.", None),
    (2, "uk", "Інтеграція Київ Цифровий з порталом послуг", "Дати можливість розпочати послугу в застосунку Київ Цифровий і завершити на порталі без повторного введення даних.", None),
    (3, "uk", "Обов'язкові публічні консультації для важливих рішень", "Закріпити в Положенні перелік рішень, які не можуть ухвалюватися без публічних консультацій, і строки їх проведення.", None),
    (3, "uk", "Звіт про врахування пропозицій", "Після кожної консультації публікувати звіт: які пропозиції враховано, які ні та чому.", None),
    (3, "en", "Consultations in every district, not only online", "Hold at least one in-person meeting per district for each major consultation, so people without internet access can take part.", None),
    (3, "uk", "Єдина платформа для всіх консультацій міста", "Проводити всі консультації на одній платформі з календарем, документами та архівом попередніх обговорень.", None),
    (3, "uk", "Мінімальний строк консультації — 30 днів", "Встановити мінімальний строк проведення консультацій, щоб громадські організації встигали підготувати змістовні пропозиції.", None),
    (3, "en", "Publish draft decisions before the consultation starts", "Documents should be available at least two weeks before participation opens, so residents can read them in time.", None),
    (3, "uk", "Консультації з молоддю окремим форматом", "Передбачити формати консультацій, зручні для молоді: опитування в застосунку, зустрічі в університетах.", None),
    (3, "uk", "Публічний реєстр консультацій", "Вести відкритий реєстр усіх консультацій з датами, документами та підсумками, доступний для пошуку.", None),
    (4, "uk", "Новий Vcentri HUB на лівому березі", "Відкрити відкритий громадський простір у Дарницькому районі, де наразі немає жодного хабу.", "darnytskyi"),
    (4, "uk", "Розклад подій усіх хабів на одній сторінці", "Публікувати спільний календар подій мережі Vcentri HUB, щоб мешканці бачили, що відбувається поруч.", None),
    (4, "en", "Evening and weekend opening hours", "Many residents work during the day. Open the hubs in the evenings and on Saturdays at least twice a week.", None),
    (4, "uk", "Укриття в кожному громадському просторі", "Облаштувати в хабах укриття, щоб заходи не переривалися під час повітряних тривог.", None),
    (4, "uk", "Прозорий порядок надання приміщень громадським організаціям", "Опублікувати критерії та чергу надання приміщень хабів громадським організаціям.", None),
    (4, "uk", "Звіти хабів про відвідуваність і події", "Щоквартально публікувати кількість подій, відвідувачів і партнерських організацій кожного хабу.", None),
    (4, "en", "Accessible hubs for people with disabilities", "Audit every hub for step-free access, accessible toilets and hearing loops, and publish the results.", None),
    (4, "uk", "Хаби як місця зустрічей депутатів з мешканцями", "Проводити регулярні прийоми депутатів Київради у хабах свого округу.", "solomianskyi"),
]

CONSULTATION_PROPOSALS = [
    ("uk", "Визначити мінімальні строки кожного етапу консультації", "У проєкті Положення бракує мінімальних строків для збору пропозицій і для звіту про результати. Пропоную 30 і 15 днів відповідно."),
    ("uk", "Обов'язкова публікація звіту з обґрунтуванням", "Кожна пропозиція має отримати письмову відповідь: врахована, частково врахована або відхилена з причиною."),
    ("en", "Allow comments in English for international partners", "International organisations active in Kyiv should be able to contribute in English, with a summary translated by the organiser."),
    ("uk", "Консультації з людьми з інвалідністю", "Передбачити доступні формати документів і зустрічей, зокрема переклад жестовою мовою."),
]

COMMENTS = [
    ("uk", "Підтримую, це давно потрібно місту."),
    ("uk", "А хто відповідатиме за виконання? Варто вказати конкретний департамент."),
    ("en", "Good idea, but it needs a budget line, otherwise it will stay on paper."),
    ("uk", "У нашому районі це особливо актуально."),
    ("uk", "Пропоную додати строки і показники виконання."),
    ("en", "Could this be piloted in one district first?"),
]
REPLIES = [
    ("uk", "Згоден, без строків це не спрацює."),
    ("en", "Piloting first makes sense; the Obolon hub could host it."),
    ("uk", "Можна подивитися досвід інших міст OGP Local."),
]
OFFICIAL_REPLY = "Дякуємо за пропозицію. Її розглянуто на стратегічній сесії 26 вересня 2024 року; відповідь буде оприлюднено разом із планом дій."


def _kyiv(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=KYIV).astimezone(timezone.utc)


def _exists(title: str) -> bool:
    return db.session.scalar(select(RoundText.id).where(RoundText.title == title)) is not None


def _participants() -> list[User]:
    people = []
    for email, name, locale in PARTICIPANTS:
        person = accounts.find_by_email(email) or accounts.create_user(
            email=email, display_name=name, password=DEMO_PASSWORD, locale=locale, confirmed=True,
        )
        people.append(person)
    return people


def _people() -> dict[str, User]:
    return {email: accounts.find_by_email(email) for email in (
        "admin@example.org", "facilitator@example.org", "moderator@example.org", "resident@example.org",
        "resident.en@example.org", "ngo@example.org")}


def _create_round(title_uk, texts, organiser, topics, phases, facilitator, documents, district=None):
    round_ = services.create_round(by=facilitator, default_locale="uk", organiser=organiser, district=district,
                                   texts={"uk": texts["uk"], "en": texts["en"], "es": texts["es"]}, topics=topics)
    for kind, start, end, note in phases:
        services.add_phase(round_, type=kind, starts_at=start, ends_at=end, note=note)
    for title, url in documents:
        services.add_document_link(round_, title=title, url=url)
    services.publish(round_)
    # The round went public, with its documents, when its first phase began (or now, for one that starts later).
    from engage.core.time import utcnow

    when = min(min(start for _, start, _, _ in phases), utcnow())
    round_.created_at = round_.published_at = when
    for document in round_.documents:
        document.created_at = document.updated_at = when
    return round_


def _add_proposal(round_, author, *, title, body, locale, topic, district, created):
    from engage.proposals.models import Proposal

    proposal = Proposal(round_id=round_.id, author_id=author.id, title=title, body=body, locale=locale,
                        topic_id=topic.id if topic else None, district=district, created_at=created, updated_at=created)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _discuss(rng, round_, proposal, people, facilitator, start, official=False):
    from engage.comments.models import Comment

    comments = []
    for n in range(rng.randint(0, 3)):
        locale, body = rng.choice(COMMENTS)
        author = rng.choice(people)
        when = start + timedelta(hours=rng.randint(1, 200))
        comment = Comment(round_id=round_.id, proposal_id=proposal.id, author_id=author.id, body=body, locale=locale,
                          stance=rng.choice(["for", "for", "neutral", "against", None]), depth=0,
                          created_at=when, updated_at=when)
        db.session.add(comment)
        db.session.flush()
        comments.append(comment)
        if rng.random() < 0.5:
            locale, body = rng.choice(REPLIES)
            reply = Comment(round_id=round_.id, proposal_id=proposal.id, author_id=rng.choice(people).id, body=body,
                            locale=locale, depth=1, parent_id=comment.id, root_id=comment.id,
                            created_at=when + timedelta(hours=3), updated_at=when + timedelta(hours=3))
            db.session.add(reply)
            comments.append(reply)
    if official:
        when = start + timedelta(days=20)
        answer = Comment(round_id=round_.id, proposal_id=proposal.id, author_id=facilitator.id, body=OFFICIAL_REPLY,
                         locale="uk", depth=0, is_official=True, created_at=when, updated_at=when)
        db.session.add(answer)
        comments.append(answer)
    proposal.comment_count = len(comments)
    return comments


def _support(rng, proposal, people, when):
    from engage.proposals.models import Support

    backers = rng.sample(people, rng.randint(0, len(people)))
    for person in backers:
        db.session.add(Support(proposal_id=proposal.id, user_id=person.id, created_at=when))
    proposal.support_count = len(backers)


def _flag(proposal_or_comment, person, reason, details=""):
    from engage.moderation import services as moderation

    moderation.flag(proposal_or_comment, person, reason=reason, details=details)


@demo_loader
def load_rounds() -> list[str]:
    rng = random.Random(20250130)
    people = _people()
    facilitator = people["facilitator@example.org"]
    participants = _participants() + [people["resident@example.org"], people["resident.en@example.org"],
                                      people["ngo@example.org"]]
    lines = [f"  {len(PARTICIPANTS)} more residents: participant01@example.org … participant10@example.org"]

    if _exists(CO_CREATION_TITLE):
        lines.append("  round: Kyiv OGP Local 2025-2026 co-creation (exists)")
    else:
        texts = {
            "uk": services.Texts(CO_CREATION_TITLE,
                                 "Мешканці, громадські організації, науковці та молодь разом із КМДА напрацьовували зобов'язання першого Місцевого плану дій Києва в ініціативі «Партнерство «Відкритий Уряд».",
                                 "Київ приєднався до OGP Local **16 квітня 2024 року**. Розробку плану дій розпочато 3 травня 2024 року.\n\n"
                                 "* 7 липня 2024 року — ознайомчий семінар для стейкхолдерів у просторі Vcentri HUB (Оболонський район);\n"
                                 "* 26 вересня 2024 року — стратегічна сесія в колонній залі КМДА;\n"
                                 "* публічна презентація плану дій у презентаційній залі КМДА.\n\n"
                                 "Київська міська рада затвердила план дій у січні 2025 року. Він містить п'ять зобов'язань."),
            "en": services.Texts("Co-creation of the Kyiv OGP Local Action Plan 2025-2026",
                                 "Residents, civil society organisations, academics and young people worked with the Kyiv City State Administration on the commitments of Kyiv's first OGP Local action plan.",
                                 "Kyiv joined OGP Local on **16 April 2024**. An introductory session for stakeholders took place on 7 July 2024 at the Vcentri HUB in Obolon district, a strategic session on 26 September 2024 in the columned hall of the KCSA, followed by a public presentation of the plan. The Kyiv City Council approved the plan in January 2025."),
            "es": services.Texts("Co-creación del Plan de Acción Local OGP de Kyiv 2025-2026",
                                 "Residentes, organizaciones de la sociedad civil, academia y jóvenes trabajaron con la administración de la ciudad en los compromisos del primer plan de acción local de Kyiv.",
                                 "Kyiv se unió a OGP Local el **16 de abril de 2024**. Hubo una sesión introductoria el 7 de julio de 2024 y una sesión estratégica el 26 de septiembre de 2024."),
        }
        phases = [
            (PhaseType.INFORMATION, _kyiv(2024, 5, 3), _kyiv(2024, 7, 7), "Оголошення та підготовчі матеріали"),
            (PhaseType.CALL_FOR_PROPOSALS, _kyiv(2024, 7, 7), _kyiv(2024, 9, 1), "Ознайомчий семінар 7 липня 2024 року, Vcentri HUB"),
            (PhaseType.DELIBERATION, _kyiv(2024, 9, 1), _kyiv(2024, 9, 27, 18), "Стратегічна сесія 26 вересня 2024 року"),
            (PhaseType.PRIORITISATION, _kyiv(2024, 9, 27, 18), _kyiv(2024, 10, 20)),
            (PhaseType.DRAFTING, _kyiv(2024, 10, 20), _kyiv(2024, 12, 5), "Робоча група формулює зобов'язання"),
            (PhaseType.FEEDBACK, _kyiv(2024, 12, 5), _kyiv(2025, 1, 30), "Публічна презентація плану дій"),
            (PhaseType.CLOSED, _kyiv(2025, 1, 30), _kyiv(2026, 12, 31, 23)),
        ]
        phases = [(kind, start, end, note) for kind, start, end, *rest in phases for note in [rest[0] if rest else ""]]
        round_ = _create_round(CO_CREATION_TITLE, texts, "Департамент суспільних комунікацій КМДА", TOPICS, phases,
                               facilitator, [
                                   ("Kyiv OGP Local action plan 2025-2026 (OGP)", "https://www.opengovpartnership.org/members/kyiv-ukraine/"),
                                   ("Київська міська рада: рішення та документи", "https://kmr.gov.ua/"),
                               ])
        call_start = phases[1][1]
        proposals = []
        for topic_index, locale, title, body, district in CO_CREATION_PROPOSALS:
            author = rng.choice(participants)
            created = call_start + timedelta(hours=rng.randint(2, 1200))
            proposal = _add_proposal(round_, author, title=title, body=body, locale=locale,
                                     topic=round_.topics[topic_index], district=district, created=created)
            _support(rng, proposal, participants, phases[3][1] + timedelta(days=2))
            _discuss(rng, round_, proposal, participants, facilitator, created, official=rng.random() < 0.3)
            proposals.append(proposal)
        db.session.flush()
        _flag(proposals[5], participants[1], "off_topic")
        _flag(proposals[12], participants[2], "other", "Здається, це дублює іншу пропозицію.")
        lines.append(f"  round: Kyiv OGP Local 2025-2026 co-creation, {len(proposals)} proposals (created)")

    if _exists(CONSULTATION_TITLE):
        lines.append("  round: public consultation on the draft Regulation (exists)")
    else:
        from engage.core.time import utcnow

        today = utcnow().replace(minute=0, second=0, microsecond=0)
        texts = {
            "uk": services.Texts(CONSULTATION_TITLE,
                                 "Зобов'язання 4 плану дій: розробити та впровадити Положення про порядок проведення публічних консультацій у Києві. Надсилайте пропозиції до проєкту.",
                                 "Закон України «Про публічні консультації», ухвалений у 2024 році, зобов'язує місцеву владу визначити порядок консультацій.\n\n"
                                 "Ми просимо мешканців і громадські організації запропонувати, **які рішення** мають проходити консультації, **у які строки** і **як** звітувати про врахування пропозицій."),
            "en": services.Texts("Public consultation on the draft Regulation on Public Consultations in Kyiv",
                                 "Commitment 4 of the action plan: develop and adopt a Regulation on how Kyiv holds public consultations. Send your proposals on the draft.",
                                 "Tell us which decisions should be consulted on, for how long, and how the city should report on what it did with your input."),
            "es": services.Texts("Consulta pública sobre el proyecto de Reglamento de Consultas Públicas de Kyiv",
                                 "Compromiso 4 del plan de acción: elaborar y aprobar un reglamento sobre cómo Kyiv realiza consultas públicas. Envíe sus propuestas.",
                                 "Díganos qué decisiones deben consultarse, durante cuánto tiempo y cómo debe informar la ciudad sobre el uso de sus aportes."),
        }
        day = timedelta(days=1)
        phases = [
            (PhaseType.INFORMATION, today - 14 * day, today - 2 * day, "Проєкт Положення оприлюднено"),
            (PhaseType.CALL_FOR_PROPOSALS, today - 2 * day, today + 21 * day, "Збір пропозицій"),
            (PhaseType.DELIBERATION, today + 21 * day, today + 35 * day, "Публічні обговорення в районах"),
            (PhaseType.PRIORITISATION, today + 35 * day, today + 45 * day, ""),
            (PhaseType.DRAFTING, today + 45 * day, today + 60 * day, "Доопрацювання проєкту"),
            (PhaseType.FEEDBACK, today + 60 * day, today + 75 * day, "Звіт про врахування пропозицій"),
            (PhaseType.CLOSED, today + 75 * day, today + 400 * day, ""),
        ]
        round_ = _create_round(CONSULTATION_TITLE, texts, "Департамент суспільних комунікацій КМДА",
                               ["Сфера застосування", "Строки та етапи", "Звітування", "Доступність"], phases, facilitator,
                               [("Закон України «Про публічні консультації»", "https://zakon.rada.gov.ua/")])
        for n, (locale, title, body) in enumerate(CONSULTATION_PROPOSALS):
            _add_proposal(round_, participants[n], title=title, body=body, locale=locale,
                          topic=round_.topics[n % len(round_.topics)], district=None,
                          created=today - 2 * day + timedelta(hours=3 * (n + 1)))
        lines.append("  round: public consultation on the draft Regulation, open for proposals (created)")
    return lines
