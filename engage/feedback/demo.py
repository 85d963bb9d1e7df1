"""Demo answers for ``flask demo load``: the Kyiv co-creation round gets its written feedback.

Most proposals are answered with reasons that point to the plan's five commitments;
a few stay unanswered so the facilitators' queue has work. Runs once per round.
"""
from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from engage.auth import services as accounts
from engage.core.demo import demo_loader
from engage.extensions import db
from engage.feedback import services
from engage.feedback.models import ProposalResponse
from engage.proposals.outcomes import Outcome
from engage.proposals.models import Proposal
from engage.rounds.demo import CO_CREATION_TITLE
from engage.rounds.models import RoundText

COMMITMENTS = {
    0: "зобов'язання 1 «Інтерактивні курси громадянської освіти»",
    1: "зобов'язання 2 «Інформаційна база пам'яток культурної спадщини»",
    2: "зобов'язання 3 «Платформа електронних послуг»",
    3: "зобов'язання 4 «Положення про публічні консультації»",
    4: "зобов'язання 5 «Мережа Vcentri HUB»",
}
REASONS = {
    Outcome.ACCEPTED: "Пропозицію враховано: вона стала одним із кроків, які містить {c}.",
    Outcome.PARTIALLY_ACCEPTED: "Пропозицію враховано частково: її основну ідею включено до {c}; решту розглянемо під час наступного плану дій.",
    Outcome.NOT_ACCEPTED: "Пропозицію не враховано: на 2025-2026 роки для цього немає фінансування, а {c} зосереджене на інших кроках.",
    Outcome.OUT_OF_SCOPE: "Питання не належить до повноважень, які охоплює план дій OGP. Ми передали пропозицію профільному департаменту КМДА.",
}
HEARD = ("Упродовж збору пропозицій мешканці, громадські організації та молодь подали **40 пропозицій** і залишили "
         "понад сотню коментарів. Найбільше уваги отримали публічні консультації, відкриті дані та доступність "
         "громадських просторів Vcentri HUB. На стратегічній сесії 26 вересня 2024 року учасники обрали пріоритети "
         "для кожного з п'яти напрямів.")
CHANGED = ("Пропозиції мешканців лягли в основу п'яти зобов'язань плану дій. Зокрема, до Положення про публічні "
           "консультації додано обов'язковий звіт про врахування пропозицій, а план розширення мережі Vcentri HUB "
           "передбачає простори в районах, де їх ще немає.")
HEARD_EN = ("Residents, NGOs and young people brought **40 proposals** and over a hundred comments. Public "
            "consultations, open data and accessible Vcentri HUB spaces drew the most attention.")
CHANGED_EN = ("Residents' proposals shaped the plan's five commitments: the Regulation on Public Consultations now "
              "requires a report on how input was used, and new hubs are planned in districts without one.")


@demo_loader
def load_feedback() -> list[str]:
    round_id = db.session.scalar(select(RoundText.round_id).where(RoundText.title == CO_CREATION_TITLE))
    if round_id is None:
        return []
    proposals = list(db.session.scalars(select(Proposal).where(Proposal.round_id == round_id).order_by(Proposal.id)))
    answered = db.session.scalar(
        select(func.count()).select_from(ProposalResponse).join(Proposal, ProposalResponse.proposal_id == Proposal.id)
        .where(Proposal.round_id == round_id)
    )
    if answered:
        return ["  written feedback on the Kyiv co-creation round (exists)"]
    rng = random.Random(2025)
    facilitator = accounts.find_by_email("facilitator@example.org")
    topics = {t.id: i for i, t in enumerate(proposals[0].round.topics)} if proposals else {}
    choices = [Outcome.ACCEPTED] * 5 + [Outcome.PARTIALLY_ACCEPTED] * 4 + [Outcome.NOT_ACCEPTED] * 2 + [Outcome.OUT_OF_SCOPE]
    count = 0
    for n, proposal in enumerate(proposals):
        if n % 8 == 7:
            continue  # left for the facilitators' queue
        when = proposal.created_at + timedelta(days=rng.randint(20, 140), hours=rng.randint(0, 20))
        if n % 5 == 4:
            services.answer(proposal, facilitator, outcome=Outcome.UNDER_EVALUATION,
                            reason="Пропозицію передано робочій групі.", at=when)
            when += timedelta(days=rng.randint(10, 40))
        if n == 12 and len(proposals) > 11:
            services.answer(proposal, facilitator, outcome=Outcome.MERGED, merged_into_id=proposals[11].id,
                            reason="Пропозиція повторює іншу, тож ми розглядаємо їх разом.", at=when)
        else:
            outcome = rng.choice(choices)
            commitment = COMMITMENTS.get(topics.get(proposal.topic_id, 3), COMMITMENTS[3])
            services.answer(proposal, facilitator, outcome=outcome, reason=REASONS[outcome].format(c=commitment),
                            at=when)
        count += 1
    round_ = proposals[0].round if proposals else None
    if round_ is not None:
        services.set_report_sections(round_, {"uk": (HEARD, CHANGED), "en": (HEARD_EN, CHANGED_EN), "es": ("", "")})
    return [f"  written feedback: {count} of {len(proposals)} proposals of the Kyiv co-creation round answered (created)"]
