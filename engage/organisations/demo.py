"""Demo organisations for ``flask demo load``: the twenty non-governmental endorsers listed in the
Kyiv OGP Local action plan 2025-2026, verified, each with the endorsements of co-creation proposals
signed by the person the plan names; ngo@example.org represents one of them, and resident@example.org
has registered one more that waits for verification. Registration codes are generated demonstration
values with a valid check digit, not the organisations' real codes.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from engage.core.demo import demo_loader
from engage.endorsements.models import Endorsement
from engage.extensions import db
from engage.organisations import services
from engage.organisations.kinds import with_check_digit
from engage.organisations.models import Decision, Organisation, Representative
from engage.proposals.models import Proposal
from engage.rounds.demo import CO_CREATION_TITLE, _kyiv, _people
from engage.rounds.models import RoundText

# signer, Ukrainian name, English name (as in the plan), kind, areas
ENDORSERS = [
    ("Олена Артеменко", "Громадянський фонд", "Civic Foundation", "charity", ["participation"]),
    ("Сергій Гнатюк", "ГО «Наукова асоціація кібербезпеки України»", "NGO ‘Scientific Association of Cybersecurity of Ukraine’", "ngo", ["security", "digital"]),
    ("Тетяна Грабан", "ГО «Інститут розвитку громадянського суспільства імені Голди Меїр»", "NGO ‘Golda Meir Institute for Civil Society Development’", "ngo", ["participation", "education"]),
    ("Ростислав Дмитрусь", "ГО «Всеукраїнське об'єднання «Антикорупційний блокпост»", "NGO ‘All-Ukrainian Association ‘Anti-Corruption Checkpoint’", "ngo", ["transparency"]),
    ("Анна Дудник", "ГО «Український незалежний центр політичних студій»", "NGO ‘Ukrainian Independent Centre for Political Studies’", "ngo", ["research"]),
    ("Олексій Коваленко", "ГО «Форум розвитку громадянського суспільства»", "NGO ‘Civil Society Development Forum’", "ngo", ["participation", "transparency"]),
    ("Поліна Кравченко", "ГО «Інститут розвитку, співпраці та європейської інтеграції»", "NGO ‘Institute for Development, Cooperation and European Integration’", "ngo", ["research", "participation"]),
    ("Інна Крупник", "ГО «Історична платформа»", "NGO ‘Historical Platform’", "ngo", ["culture", "education"]),
    ("Максим Лацьба", "ГО «Український центр незалежних політичних досліджень»", "NGO ‘Ukrainian Center for Independent Political Research’", "ngo", ["research", "participation"]),
    ("Оксана Марухленко", "ГО «Материнська любов»", "NGO ‘Mother’s Love’", "ngo", ["social"]),
    ("Аліса Сухіх", "ГО «Інноваційний університет»", "NGO ‘Innovative University’", "ngo", ["education", "youth"]),
    ("Володимир Шейгус", "ГО «ІСАР Єднання»", "NGO ‘ISAR Ednannia’", "ngo", ["participation"]),
    ("Інна Дорн", "ГО «Київські захисники»", "NGO ‘Kyiv Defenders’", "ngo", ["veterans"]),
    ("Тетяна Костенко", "ГО «Трініті Хаб»", "NGO ‘Trinity Hub’", "ngo", ["youth", "urban"]),
    ("Марія Левонова", "ГО «Центр спільних дій»", "NGO ‘Centre for Common Actions’", "ngo", ["transparency", "participation"]),
    ("Данило Метельський", "ГО «Центр соціальних трансформацій»", "NGO ‘Centre for Social Transformations’", "ngo", ["social", "participation"]),
    ("Юлія Панура", "ГО «Український незалежний центр політичних досліджень»", "NGO ‘Ukrainian independent centre for political research’", "ngo", ["research"]),
    ("Олена Саєнко", "Програма EGAP", "EGAP", "other", ["digital", "participation"]),
    ("Олексій Третяков", "ГО «Центр демократії та верховенства права» (ЦЕДЕМ)", "CEDEM", "ngo", ["media", "human_rights"]),
    ("Ігор Шляхетнюк", "ГО «Інститут політичних стратегій»", "NGO ‘Institute of Political Strategies’", "ngo", ["research"]),
]
NGO_DEMO_ORGANISATION = "ГО «Форум розвитку громадянського суспільства»"
PENDING_NAME = "ГО «Зелений Поділ»"


def demo_code(n: int) -> str:
    return with_check_digit(f"{4310000 + 137 * n:07d}")


@demo_loader
def load_organisations() -> list[str]:
    if db.session.scalar(select(Organisation.id).where(Organisation.name_uk == NGO_DEMO_ORGANISATION)) is not None:
        return ["  organisations: 20 verified endorsers of the Kyiv plan (exist)"]
    people = _people()
    admin, ngo, resident = people["admin@example.org"], people["ngo@example.org"], people["resident@example.org"]
    rng = random.Random(2025)
    round_id = db.session.scalar(select(RoundText.round_id).where(RoundText.title == CO_CREATION_TITLE))
    proposals = list(db.session.scalars(select(Proposal).where(Proposal.round_id == round_id).order_by(Proposal.id))) if round_id else []
    verified_at = _kyiv(2024, 9, 2)
    for n, (signer, name_uk, name_en, kind, areas) in enumerate(ENDORSERS):
        organisation = Organisation(
            name_uk=name_uk, name_en=name_en, kind=kind, edrpou=demo_code(n) if kind == "ngo" else None,
            description=f"Організація громадянського суспільства Києва. Підписала план дій OGP Local 2025-2026 ({signer}).",
            status=Organisation.VERIFIED, decided_at=verified_at, created_at=verified_at - timedelta(days=10),
        )
        services._apply(organisation, services.Details(name_uk=name_uk, name_en=name_en, kind=kind,
                                                         edrpou=organisation.edrpou or "", areas=areas,
                                                         description=organisation.description))
        if name_uk == NGO_DEMO_ORGANISATION:
            organisation.representatives.append(Representative(user_id=ngo.id, created_at=verified_at - timedelta(days=10)))
            organisation.created_by_id = ngo.id
            organisation.website = "https://example.org/civil-society-forum"
            organisation.email = "forum@example.org"
        db.session.add(organisation)
        db.session.flush()
        db.session.add(Decision(organisation_id=organisation.id, decision=Organisation.VERIFIED, decided_by_id=admin.id,
                                reason="Перевірено за Реєстром інститутів громадянського суспільства Києва.",
                                created_at=verified_at))
        for proposal in rng.sample(proposals, k=min(len(proposals), rng.randint(1, 3))):
            db.session.add(Endorsement(organisation_id=organisation.id, target_type="proposal", target_id=proposal.id,
                                       signed_by=signer, created_at=_kyiv(2024, 10, rng.randint(1, 28))))
    services.register(services.Details(
        name_uk=PENDING_NAME, name_en="NGO ‘Green Podil’", kind="ngo", edrpou=demo_code(99), areas=["environment", "urban"],
        districts=["podilskyi"], website="https://example.org/green-podil",
        description="Мешканці Подолу, які доглядають сквери та набережну."), resident)
    db.session.flush()
    return [f"  organisations: {len(ENDORSERS)} verified endorsers of the Kyiv plan, one waiting for verification (created)"]
