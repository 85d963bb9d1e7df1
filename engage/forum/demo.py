"""Demo forum for ``flask demo load``: Kyiv's Coordination Council for Civil Society Development, which
monitors the OGP Local action plan, with members across sectors and its decisions register. Members
named in the plan keep their names; the others are fictional.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from engage.core.demo import demo_loader
from engage.extensions import db
from engage.forum import services
from engage.forum.models import Forum
from engage.organisations.models import Organisation
from engage.rounds.demo import _people

NAME = {
    "uk": "Координаційна рада з питань розвитку громадянського суспільства",
    "en": "Coordination Council for Civil Society Development",
    "es": "Consejo de Coordinación para el Desarrollo de la Sociedad Civil",
}
MANDATE = {
    "uk": "Рада діє при виконавчому органі Київської міської ради (КМДА). Вона супроводжує спільне напрацювання "
          "плану дій OGP Local, здійснює моніторинг та оцінку виконання його індикаторів і щокварталу заслуховує "
          "звіти відповідальних структурних підрозділів.",
    "en": "The council works with the executive body of the Kyiv City Council (KCSA). It accompanies the co-creation of "
          "the OGP Local action plan, monitors and evaluates the plan's indicators, and hears quarterly reports from "
          "the responsible departments.",
}
TERMS = {
    "uk": "* Склад ради: представники органів влади, громадських організацій, наукової спільноти, молоді та міжнародних партнерів.\n"
          "* Засідання відкриті для громадськості; порядок денний оприлюднюється заздалегідь.\n"
          "* Рішення ухвалюються більшістю присутніх членів і вносяться до реєстру рішень.",
    "en": "* Members come from government, civil society organisations, academia, youth and international partners.\n"
          "* Meetings are open to the public; the agenda is published in advance.\n"
          "* Decisions are taken by a majority of the members present and entered in the decisions register.",
}
HOW_TO_JOIN = {
    "uk": "Організації з Реєстру інститутів громадянського суспільства можуть запропонувати свого представника. "
          "Напишіть на hub.vcentri@gmail.com.",
    "en": "Organisations in the register of civil society institutions can nominate a representative. "
          "Write to hub.vcentri@gmail.com.",
}
# name, organisation (registered name or free text), sector, role, start, end
MEMBERS = [
    ("Олексій Коваленко", "ГО «Форум розвитку громадянського суспільства»", "civil_society", "chair", date(2024, 5, 1), None),
    ("Дмитро Рубан", "Департамент суспільних комунікацій КМДА", "government", "co_chair", date(2024, 5, 1), None),
    ("Наталія Петрова", "Комунальне некомерційне підприємство «Вцентрі»", "government", "member", date(2024, 5, 1), None),
    ("Андрій Мельник", "Київська міська рада", "government", "member", date(2024, 5, 1), None),
    ("Тетяна Грабан", "ГО «Інститут розвитку громадянського суспільства імені Голди Меїр»", "civil_society", "member", date(2024, 5, 1), None),
    ("Володимир Шейгус", "ГО «ІСАР Єднання»", "civil_society", "member", date(2024, 5, 1), None),
    ("Ірина Бондар", "Київський столичний університет імені Бориса Грінченка", "academia", "member", date(2024, 5, 1), None),
    ("Максим Литвин", "Молодіжна рада міста Києва", "youth", "member", date(2024, 5, 1), None),
    ("Світлана Грищенко", "Офіс Ради Європи в Україні", "other", "member", date(2024, 5, 1), None),
    ("Олег Савчук", "Київська торгово-промислова палата", "private", "member", date(2024, 5, 1), date(2024, 12, 31)),
]


@demo_loader
def load_forum() -> list[str]:
    if db.session.scalar(select(Forum.id)) is not None:
        return ["  forum: Coordination Council for Civil Society Development (exists)"]
    facilitator = _people()["facilitator@example.org"]
    forum = services.create_forum(services.ForumTexts(name=NAME, mandate=MANDATE, terms=TERMS, how_to_join=HOW_TO_JOIN),
                                  default_locale="uk", terms_url="https://kyivcity.gov.ua/", by=facilitator)
    registered = {o.name_uk: o.id for o in db.session.scalars(select(Organisation))}
    for name, organisation, sector, role, start, end in MEMBERS:
        organisation_id = registered.get(organisation)
        services.add_member(forum, services.MemberDetails(
            name=name, sector=sector, role=role, organisation_id=organisation_id,
            organisation_name=organisation, term_start=start, term_end=end))
    return [f"  forum: Coordination Council for Civil Society Development, {len(MEMBERS)} members (created)"]
