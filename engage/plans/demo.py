"""Demo action plan for ``flask demo load``: the Kyiv OGP Local action plan 2025-2026 imported from
``data/kyiv_2025_2026.json`` (the five commitments and every step of the Kyiv City Council decision's
annexes), linked to the co-creation round and to the accepted proposals of each commitment's topic, with
progress updates (some milestones completed, one delayed) and endorsed by the demo organisations.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select

from engage.core.demo import demo_loader
from engage.endorsements.models import Endorsement
from engage.extensions import db
from engage.organisations.demo import ENDORSERS
from engage.organisations.models import Organisation
from engage.plans import services
from engage.plans.importer import check
from engage.plans.kinds import month_end
from engage.plans.models import ActionPlan, CommitmentProposal
from engage.proposals.models import Proposal
from engage.rounds.demo import CO_CREATION_TITLE, TOPICS, _kyiv, _people
from engage.rounds.models import RoundText, Topic

DATA = Path(__file__).resolve().parent / "data" / "kyiv_2025_2026.json"

# Milestones due before this month are reported completed, except those named in PROGRESS.
REPORTED_UNTIL = date(2026, 11, 1)
# milestone number: (reported on, status, text, evidence)
PROGRESS = {
    "1.1": (date(2025, 3, 14), "completed", "Програму курсу громадянської освіти погоджено з Департаментом освіти і науки.",
            ["https://kyivcity.gov.ua/"]),
    "1.2": (date(2025, 3, 10), "in_progress", "Пілотні заняття пройшли у трьох школах; готуємо матеріали для коледжів.", []),
    "1.5": (date(2026, 10, 5), "in_progress", "Курси проходять у 12 закладах освіти.", []),
    "2.1": (date(2025, 3, 28), "completed", "Технічне завдання на модуль бази пам'яток затверджено.", []),
    "3.1": (date(2025, 3, 31), "completed", "Перелік нових електронних послуг погоджено.", []),
    "4.1": (date(2025, 2, 27), "completed", "Робочу групу з розроблення Положення утворено розпорядженням КМДА.",
            ["https://kmr.gov.ua/"]),
    "4.2": (date(2025, 5, 30), "delayed", "Проєкт Положення доопрацьовується після зауважень юридичного управління; "
                                          "оприлюднення перенесено.", []),
    "5.1": (date(2025, 2, 25), "completed", "Визначено приміщення для двох нових просторів Vcentri HUB.", []),
    "5.2": (date(2025, 7, 15), "in_progress", "Ремонт першого нового простору триває.", []),
    "2.5": (date(2026, 4, 10), "in_progress", "Наповнення бази пам'яток триває: внесено 60% об'єктів.", []),
}


@demo_loader
def load_plan() -> list[str]:
    if db.session.scalar(select(ActionPlan.id)) is not None:
        return ["  action plan: Kyiv OGP Local 2025-2026 (exists)"]
    round_id = db.session.scalar(select(RoundText.round_id).where(RoundText.title == CO_CREATION_TITLE))
    facilitator = _people()["facilitator@example.org"]
    plan = services.create_from(check(json.loads(DATA.read_text(encoding="utf-8"))), by=facilitator,
                                round_ids=[round_id] if round_id else [], publish=True)
    plan.published_at = _kyiv(2025, 2, 3)
    linked = 0
    if round_id:
        topics = {t.name: t.id for t in db.session.scalars(select(Topic).where(Topic.round_id == round_id))}
        for index, commitment in enumerate(plan.commitments):
            topic_id = topics.get(TOPICS[index]) if index < len(TOPICS) else None
            for proposal in db.session.scalars(select(Proposal).where(
                    Proposal.round_id == round_id, Proposal.topic_id == topic_id,
                    Proposal.outcome.in_(("accepted", "partially_accepted")))):
                db.session.add(CommitmentProposal(commitment_id=commitment.id, proposal_id=proposal.id))
                linked += 1
    db.session.flush()
    milestones = {m.number: m for m in services.all_milestones(plan)}
    for number, (reported_on, status, text, evidence) in PROGRESS.items():
        if number in milestones:
            services.add_update(milestones[number], by=facilitator, text=text, locale="uk", reported_on=reported_on,
                                status=status, evidence=evidence)
    for number, milestone in milestones.items():
        if milestone.end_month < REPORTED_UNTIL and milestone.status not in ("completed", "delayed") and number not in ("2.5",):
            services.add_update(milestone, by=facilitator, text="Виконано в установлений строк; звіт подано Координаційній раді.",
                                locale="uk", reported_on=month_end(milestone.end_month), status="completed")
    services.publish_report(plan, title="Звіт за I квартал 2025 року", period_start=date(2025, 1, 1),
                            period_end=date(2025, 3, 31), by=facilitator, narrative={
                                "uk": "У першому кварталі утворено робочу групу з розроблення Положення про публічні "
                                      "консультації, погоджено програму курсу громадянської освіти та визначено приміщення "
                                      "для нових просторів Vcentri HUB. Оприлюднення проєкту Положення затримується.",
                                "en": "In the first quarter the working group on the Regulation on public consultations was set "
                                      "up, the civic education course was agreed and premises for new Vcentri HUB spaces were "
                                      "found. Publishing the draft Regulation is delayed."})
    from engage.plans.cocreation import save_notes

    save_notes(plan, {
        "1.1": ("Координаційна рада з питань розвитку громадянського суспільства діє при КМДА і супроводжувала "
                "спільне напрацювання плану дій; вона ж є незалежним органом моніторингу.",
                "Розділ «Форум» на цьому сайті; план дій, розділ про моніторинг."),
        "1.3": ("Стратегічна сесія 26 вересня 2024 року була і засіданням ради, відкритим для громадських організацій.", ""),
    }, facilitator)
    signers = {name_uk: signer for signer, name_uk, *_ in ENDORSERS}
    endorsed = 0
    for organisation in db.session.scalars(select(Organisation).where(Organisation.name_uk.in_(signers))):
        db.session.add(Endorsement(organisation_id=organisation.id, target_type="plan", target_id=plan.id,
                                   signed_by=signers[organisation.name_uk], created_at=_kyiv(2025, 1, 20)))
        endorsed += 1
    # Registered organisations the plan names among a commitment's partners.
    by_number = {c.number: c for c in plan.commitments}
    for number, name_uk in (("2", "ГО «Історична платформа»"), ("3", "ГО «Наукова асоціація кібербезпеки України»")):
        organisation = db.session.scalar(select(Organisation).where(Organisation.name_uk == name_uk))
        if organisation is not None and number in by_number:
            services.add_partner(by_number[number], organisation)
    _discuss_commitment(by_number.get("4"), facilitator)
    db.session.flush()
    return [f"  action plan: Kyiv OGP Local 2025-2026, {len(plan.commitments)} commitments, "
            f"{len(milestones)} milestones, {linked} linked proposals, {endorsed} endorsements (created)"]


def _discuss_commitment(commitment, facilitator) -> None:
    """A resident's question on the Regulation on public consultations and the organisers' answer."""
    from engage.comments.models import Comment

    if commitment is None:
        return
    people = _people()
    asked = _kyiv(2025, 6, 2, 19)
    question = Comment(commitment_id=commitment.id, author_id=people["resident@example.org"].id, locale="uk",
                       body="Чи буде проєкт Положення оприлюднено для обговорення до того, як його розгляне Київрада?",
                       created_at=asked, updated_at=asked)
    db.session.add(question)
    db.session.flush()
    answered = _kyiv(2025, 6, 4, 11)
    db.session.add(Comment(commitment_id=commitment.id, author_id=facilitator.id, locale="uk", parent_id=question.id,
                           root_id=question.id, depth=1, is_official=True, created_at=answered, updated_at=answered,
                           body="Так. Після доопрацювання проєкт буде оприлюднено на цьому сайті як окрему консультацію "
                                "щонайменше на 30 днів; про початок повідомимо підписників."))
    resident = people["resident.en@example.org"]
    later = _kyiv(2025, 9, 14, 9)
    db.session.add(Comment(commitment_id=commitment.id, author_id=resident.id, locale="en", created_at=later,
                           updated_at=later, body="Please publish the comparison table of the legal department's remarks "
                                                  "together with the revised draft."))
