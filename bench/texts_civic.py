"""Seeded vocabulary of the benchmark generator, second part: organisations, meetings, the forum, the
action plan and the small surveys. Facilitator-written texts are ``{locale: text}`` dictionaries in
Ukrainian with English and Spanish translations.
"""
from __future__ import annotations

import random

# --- Organisations ------------------------------------------------------------------------------

# (prefix in Ukrainian, prefix in English) by kind
ORGANISATION_PREFIX = {
    "ngo": ("ГО", "NGO"), "charity": ("БФ", "Charitable Foundation"),
    "local_governments": ("Асоціація", "Association"), "academic": ("Центр", "Centre"),
    "business": ("Спілка", "Union"), "international": ("Представництво", "Office"), "other": ("Ініціатива", "Initiative"),
}
ORGANISATION_CORES = [
    ("Відкрите місто", "Open City"), ("Зелений Київ", "Green Kyiv"), ("Громада Оболоні", "Obolon Community"),
    ("Доступне середовище", "Accessible Environment"), ("Цифрова громада", "Digital Community"),
    ("Молодь за зміни", "Youth for Change"), ("Прозорий бюджет", "Transparent Budget"),
    ("Спадщина Подолу", "Podil Heritage"), ("Безпечні школи", "Safe Schools"), ("Чисте повітря", "Clean Air"),
    ("Ветеранський простір", "Veterans' Space"), ("Київські велосипедисти", "Kyiv Cyclists"),
    ("Разом для громади", "Together for the Community"), ("Аналітичний центр міських політик", "Urban Policy Think Tank"),
    ("Правова ініціатива", "Legal Initiative"), ("Медіа для громади", "Community Media"),
    ("Культурна мапа", "Cultural Map"), ("Енергоефективний дім", "Energy-Efficient Home"),
]
ORGANISATION_DESCRIPTIONS = [
    "Працюємо з мешканцями району з {year} року: організовуємо толоки, навчання і громадський моніторинг.",
    "Аналізуємо міські політики, готуємо пропозиції до рішень Київради і стежимо за їх виконанням.",
    "Допомагаємо людям з інвалідністю, ветеранам і переселенцям отримувати послуги міста.",
    "Розвиваємо відкриті дані та цифрові сервіси, проводимо хакатони з громадськими організаціями.",
]
SIGNER_POSITIONS = ["голова правління", "виконавча директорка", "координатор програм", "голова", "директор"]
ENDORSEMENT_STATEMENTS = ["Підтримуємо і готові долучитися до виконання.", "Наша організація підтримує цю ініціативу.",
                          "Підтримуємо: це відповідає нашим статутним цілям.", ""]


def organisation(rng: random.Random, kind: str, n: int) -> tuple[str, str, str]:
    """(name in Ukrainian, name in English, description) of the ``n``-th organisation."""
    prefix_uk, prefix_en = ORGANISATION_PREFIX[kind]
    core_uk, core_en = rng.choice(ORGANISATION_CORES)
    description = rng.choice(ORGANISATION_DESCRIPTIONS).format(year=rng.randint(2005, 2023))
    return f"{prefix_uk} «{core_uk} {n}»", f"{prefix_en} ‘{core_en} {n}’", description


# --- Meetings and the forum -----------------------------------------------------------------------

MEETING_TITLES = {
    "forum": ({"uk": "Засідання Координаційної ради OGP", "en": "Meeting of the OGP Coordination Council",
               "es": "Reunión del Consejo de Coordinación de OGP"},),
    "public": ({"uk": "Публічне обговорення пропозицій", "en": "Public discussion of the proposals",
                "es": "Debate público de las propuestas"},
               {"uk": "Зустріч із мешканцями району", "en": "Meeting with the district's residents",
                "es": "Reunión con los vecinos del distrito"}),
    "focus_group": ({"uk": "Фокус-група з молоддю", "en": "Focus group with young people",
                     "es": "Grupo focal con jóvenes"},
                    {"uk": "Фокус-група з людьми з інвалідністю", "en": "Focus group with people with disabilities",
                     "es": "Grupo focal con personas con discapacidad"}),
    "training": ({"uk": "Навчання: як подати пропозицію", "en": "Workshop: how to submit a proposal",
                  "es": "Taller: cómo presentar una propuesta"},),
    "strategic": ({"uk": "Стратегічна сесія з напрацювання зобов'язань", "en": "Strategic session on the commitments",
                   "es": "Sesión estratégica sobre los compromisos"},),
}
MEETING_DESCRIPTION = {"uk": "Обговоримо пропозиції мешканців і наступні кроки консультації.",
                       "en": "We will discuss the residents' proposals and the next steps of the consultation.",
                       "es": "Debatiremos las propuestas de los vecinos y los próximos pasos de la consulta."}
MEETING_AGENDA = {"uk": "1. Вітання та правила\n2. Огляд пропозицій\n3. Обговорення в групах\n4. Підсумки",
                  "en": "1. Welcome and ground rules\n2. Overview of the proposals\n3. Group discussion\n4. Conclusions",
                  "es": "1. Bienvenida y normas\n2. Resumen de las propuestas\n3. Debate en grupos\n4. Conclusiones"}
MEETING_MINUTES = {"uk": "## Протокол\n\nПрисутні обговорили {n} пропозицій. **Рішення:** передати узагальнені "
                         "пропозиції робочій групі; наступна зустріч — за місяць.",
                   "en": "## Minutes\n\nParticipants discussed {n} proposals. **Decision:** pass the summarised "
                         "proposals to the working group; next meeting in a month."}
VENUES = [("Vcentri HUB, Оболонський район", "просп. Оболонський, 16, Київ"),
          ("Vcentri HUB, Дарницький район", "вул. Харківське шосе, 59, Київ"),
          ("Колонна зала КМДА", "вул. Хрещатик, 36, Київ"),
          ("Бібліотека імені Лесі Українки", "вул. Тургенєвська, 83/85, Київ"),
          ("Vcentri HUB, Святошинський район", "просп. Берестейський, 97, Київ")]
ACCESSIBILITY = "Вхід без сходинок, доступна вбиральня. Повідомте заздалегідь, якщо потрібен сурдопереклад."

FORUM = {
    "name": {"uk": "Координаційна рада з питань впровадження ініціативи OGP у Києві",
             "en": "Coordination Council for the OGP initiative in Kyiv",
             "es": "Consejo de Coordinación de la iniciativa OGP en Kyiv"},
    "mandate": {"uk": "Рада координує спільне напрацювання і моніторинг плану дій OGP Local.",
                "en": "The council coordinates the co-creation and monitoring of the OGP Local action plan.",
                "es": "El consejo coordina la cocreación y el seguimiento del plan de acción local de OGP."},
    "terms": {"uk": "Рада збирається щокварталу; рішення ухвалюються консенсусом, протоколи публікуються.",
              "en": "The council meets every quarter; decisions are taken by consensus and minutes are published.",
              "es": "El consejo se reúne cada trimestre; decide por consenso y publica sus actas."},
    "how_to_join": {"uk": "Громадські організації можуть подати заявку на ротацію членів раз на рік.",
                    "en": "Civic organisations can apply once a year when members rotate.",
                    "es": "Las organizaciones pueden presentar su candidatura una vez al año."},
}
FORUM_DECISIONS = ["Схвалено проєкт плану дій для винесення на розгляд Київради.",
                   "Затверджено графік моніторингу виконання зобов'язань.",
                   "Погоджено склад робочих груп за напрямами плану дій.",
                   "Рекомендовано продовжити збір пропозицій на два тижні."]
GOVERNMENT_BODIES = ["КМДА", "Київська міська рада", "Департамент суспільних комунікацій", "Департамент ІКТ"]

# --- The action plan ------------------------------------------------------------------------------

PLAN = {
    "title": {"uk": "Місцевий план дій OGP Local для Києва", "en": "Kyiv OGP Local action plan",
              "es": "Plan de acción local de OGP para Kyiv"},
    "jurisdiction": {"uk": "Місто Київ", "en": "City of Kyiv", "es": "Ciudad de Kyiv"},
    "lead_institutions": {"uk": "Київська міська державна адміністрація", "en": "Kyiv City State Administration",
                          "es": "Administración estatal de la ciudad de Kyiv"},
    "monitoring_body": {"uk": "Незалежний механізм звітування OGP", "en": "OGP Independent Reporting Mechanism",
                        "es": "Mecanismo de Revisión Independiente de OGP"},
}
COMMITMENT_THEMES = [
    ({"uk": "Відкриті дані про ремонти та будівництво", "en": "Open data on repairs and construction",
      "es": "Datos abiertos sobre obras y construcción"}, ["access_to_information", "technology_innovation"]),
    ({"uk": "Публічні консультації в кожному районі", "en": "Public consultations in every district",
      "es": "Consultas públicas en cada distrito"}, ["civic_participation"]),
    ({"uk": "Прозорий громадський бюджет", "en": "A transparent participatory budget",
      "es": "Un presupuesto participativo transparente"}, ["public_accountability", "civic_participation"]),
    ({"uk": "Безпечний шлях до школи", "en": "Safe routes to school", "es": "Caminos seguros a la escuela"},
     ["civic_participation"]),
    ({"uk": "Електронні послуги без черг", "en": "E-services without queues", "es": "Servicios electrónicos sin colas"},
     ["technology_innovation"]),
    ({"uk": "Звітність про використання комунального майна", "en": "Reporting on the use of municipal property",
      "es": "Rendición de cuentas del patrimonio municipal"}, ["public_accountability", "access_to_information"]),
    ({"uk": "Мережа громадських просторів Vcentri HUB", "en": "The Vcentri HUB network of public spaces",
      "es": "La red de espacios públicos Vcentri HUB"}, ["civic_participation"]),
    ({"uk": "Доступність міських сервісів", "en": "Accessible city services", "es": "Servicios municipales accesibles"},
     ["access_to_information", "civic_participation"]),
]
COMMITMENT_TEXTS = {
    "problem": {"uk": "Мешканці не мають повної та своєчасної інформації, а їхні пропозиції не завжди враховуються.",
                "en": "Residents lack complete and timely information, and their proposals are not always considered.",
                "es": "Los vecinos no tienen información completa y a tiempo, y sus propuestas no siempre se tienen en cuenta."},
    "objective": {"uk": "Зробити рішення міста відкритими і зрозумілими, з участю мешканців на кожному етапі.",
                  "en": "Make the city's decisions open and understandable, with residents involved at every stage.",
                  "es": "Hacer que las decisiones sean abiertas y comprensibles, con los vecinos en cada etapa."},
    "expected_results": {"uk": "Оприлюднені дані, щоквартальні звіти і щонайменше 20 консультацій на рік.",
                         "en": "Published data, quarterly reports and at least 20 consultations a year.",
                         "es": "Datos publicados, informes trimestrales y al menos 20 consultas al año."},
}
MILESTONES = [
    {"uk": "Розробити та затвердити порядок", "en": "Draft and adopt the procedure"},
    {"uk": "Провести публічне обговорення проєкту", "en": "Hold a public discussion of the draft"},
    {"uk": "Запустити пілот в одному районі", "en": "Run a pilot in one district"},
    {"uk": "Оприлюднити набір відкритих даних", "en": "Publish the open data set"},
    {"uk": "Навчити працівників департаментів", "en": "Train the departments' staff"},
    {"uk": "Поширити рішення на всі райони", "en": "Roll the solution out to every district"},
    {"uk": "Оприлюднити звіт про виконання", "en": "Publish the implementation report"},
]
INDICATOR = {"uk": "Документ оприлюднено на сайті КМДА", "en": "The document is published on the KCSA website"}
UPDATES = ["Підготовлено технічне завдання, триває погодження з департаментами.",
           "Проведено робочу зустріч із громадськими організаціями; зауваження враховано.",
           "Роботи виконано, результати оприлюднено на порталі відкритих даних.",
           "Виконання затримується через перерозподіл бюджету; новий строк — наступний квартал.",
           "Пілот завершено в Оболонському районі, зібрано відгуки мешканців."]
EVIDENCE = ["https://kyivcity.gov.ua/news/{n}", "https://data.gov.ua/dataset/kyiv-{n}", "https://prozorro.gov.ua/tender/UA-{n}"]
NOTES = {
    "1.1": ("Координаційна рада діє з 2021 року; положення про раду оприлюднено.", "Розпорядження КМДА №{n}"),
    "1.2": ("До ради входять представники влади, громадськості, науки і бізнесу.", "Склад ради на сайті"),
    "2.1": ("Усі етапи напрацювання відображено на сторінці раунду.", ""),
    "2.4": ("Кожна пропозиція отримала письмову відповідь з обґрунтуванням.", "Звіт про врахування пропозицій"),
}

# --- Small surveys --------------------------------------------------------------------------------

SMALL_SURVEY = {
    "title": {"uk": "Коротке опитування учасників", "en": "A short survey of participants",
              "es": "Una breve encuesta a los participantes"},
    "introduction": {"uk": "Три питання, одна хвилина.", "en": "Three questions, one minute.",
                     "es": "Tres preguntas, un minuto."},
    "channel": ({"uk": "Як ви дізналися про консультацію?", "en": "How did you hear about the consultation?",
                 "es": "¿Cómo se enteró de la consulta?"},
                [{"uk": "Київ Цифровий", "en": "Kyiv Digital", "es": "Kyiv Digital"},
                 {"uk": "Соцмережі", "en": "Social media", "es": "Redes sociales"},
                 {"uk": "Від сусідів", "en": "From neighbours", "es": "Por los vecinos"},
                 {"uk": "На зустрічі", "en": "At a meeting", "es": "En una reunión"}]),
    "rating": {"uk": "Наскільки зручно брати участь?", "en": "How easy is it to take part?",
               "es": "¿Qué tan fácil es participar?"},
    "idea": {"uk": "Що варто покращити?", "en": "What should be improved?", "es": "¿Qué se debería mejorar?"},
}
SMALL_SURVEY_IDEAS = ["Більше зустрічей увечері.", "Нагадування в застосунку.", "Simpler forms, please.",
                      "Resúmenes más cortos.", "Трансляції засідань онлайн."]
