"""The rules and changes of consultation rounds. Functions flush; the request commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_datetime, gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from engage.audit.services import record as audit
from engage.auth.models import User
from engage.core.database import insert_ignoring_duplicates
from engage.core.permissions import Role, has_role
from engage.core.time import now, utcnow
from engage.extensions import db
from engage.rounds import documents
from engage.rounds.models import Phase, Round, RoundDocument, RoundFacilitator, RoundFollower, RoundText, Topic
from engage.rounds.phases import ACTION_PHASES_TEXT, Action, PhaseType, allows, phase_label
from engage.core.permissions import get_or_404, require


class RoundError(Exception):
    """A change refused by a rule; the message is translated and shown next to the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Texts:
    title: str
    summary: str
    description: str = ""


# --- Loading -----------------------------------------------------------------


def get_round(round_id: int) -> Round | None:
    return db.session.get(Round, round_id)


def visible_rounds(user) -> list[Round]:
    """Published rounds, plus the drafts ``user`` prepares, newest first."""
    query = select(Round).order_by(Round.created_at.desc(), Round.id.desc())
    if has_role(user, Role.FACILITATOR):  # whether they run each round is asked of every one
        query = query.options(selectinload(Round.facilitators))
    rounds = db.session.scalars(query).all()
    from engage.rounds.permissions import manages_round

    return [r for r in rounds if r.is_published or manages_round(user, r)]


def group_by_status(rounds: list[Round]) -> dict[str, list[Round]]:
    groups: dict[str, list[Round]] = {"open": [], "upcoming": [], "closed": []}
    for round_ in rounds:
        groups[round_.status].append(round_)
    return groups


# --- Creating and editing ------------------------------------------------------


def _set_texts(round_: Round, texts: dict[str, Texts]) -> None:
    if round_.default_locale not in texts:
        raise RoundError(_("Give at least a title and a summary in the round's default language."), "default_locale")
    existing = {t.locale: t for t in round_.texts}
    for locale, text in texts.items():
        row = existing.pop(locale, None)
        if row is None:
            round_.texts.append(RoundText(locale=locale, title=text.title, summary=text.summary, description=text.description))
        else:
            row.title, row.summary, row.description = text.title, text.summary, text.description
    for row in existing.values():  # a language emptied in the form is removed
        round_.texts.remove(row)


def create_round(*, by: User, default_locale: str, organiser: str, district: str | None,
                 texts: dict[str, Texts], topics: list[str]) -> Round:
    round_ = Round(default_locale=default_locale, organiser=organiser, district=district or None, created_by_id=by.id)
    _set_texts(round_, texts)
    set_topics(round_, topics)
    if has_role(by, Role.FACILITATOR):
        round_.facilitators.append(RoundFacilitator(user_id=by.id))
    db.session.add(round_)
    db.session.flush()
    audit("round.created", round_, actor=by)
    return round_


def update_round(round_: Round, *, default_locale: str, organiser: str, district: str | None,
                 texts: dict[str, Texts], topics: list[str]) -> None:
    round_.default_locale = default_locale
    round_.organiser = organiser
    round_.district = district or None
    _set_texts(round_, texts)
    set_topics(round_, topics)
    db.session.flush()
    audit("round.edited", round_)


def set_topics(round_: Round, names: list[str]) -> None:
    """Keep the topics named (in this order); topics no longer named are removed."""
    wanted: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if name and name.casefold() not in {w.casefold() for w in wanted}:
            wanted.append(name)
    by_name = {t.name.casefold(): t for t in round_.topics}
    kept = []
    for position, name in enumerate(wanted):
        topic = by_name.pop(name.casefold(), None)
        if topic is None:
            topic = Topic(name=name)
        topic.name, topic.position = name, position
        kept.append(topic)
    round_.topics = kept


def publish(round_: Round) -> None:
    if not round_.phases:
        raise RoundError(_("Add at least one phase before publishing the round."))
    was_published = round_.published_at is not None
    round_.published_at = round_.published_at or utcnow()
    db.session.flush()
    if not was_published:
        audit("round.published", round_)


def unpublish(round_: Round) -> None:
    round_.published_at = None
    db.session.flush()
    audit("round.unpublished", round_)


# --- Phases ------------------------------------------------------------------


def _check_phase(round_: Round, starts_at: datetime, ends_at: datetime, ignore: Phase | None = None) -> None:
    if ends_at <= starts_at:
        raise RoundError(_("The phase must end after it starts."), "ends_at")
    for other in round_.phases:
        if other is ignore:
            continue
        if starts_at < other.ends_at and other.starts_at < ends_at:
            raise RoundError(
                _("This phase overlaps “%(phase)s” (%(start)s – %(end)s).", phase=phase_label(other.type),
                  start=format_datetime(other.starts_at, "short"), end=format_datetime(other.ends_at, "short")),
                "starts_at",
            )


def add_phase(round_: Round, *, type: PhaseType, starts_at: datetime, ends_at: datetime, note: str = "") -> Phase:
    _check_phase(round_, starts_at, ends_at)
    phase = Phase(type=type.value, starts_at=starts_at, ends_at=ends_at, note=note)
    round_.phases.append(phase)
    round_.phases.sort(key=lambda p: p.starts_at)
    db.session.flush()
    return phase


def update_phase(phase: Phase, *, type: PhaseType, starts_at: datetime, ends_at: datetime, note: str = "") -> None:
    _check_phase(phase.round, starts_at, ends_at, ignore=phase)
    phase.type, phase.starts_at, phase.ends_at, phase.note = type.value, starts_at, ends_at, note
    phase.round.phases.sort(key=lambda p: p.starts_at)
    db.session.flush()


def delete_phase(phase: Phase) -> None:
    round_ = phase.round
    if round_.is_published and len(round_.phases) == 1:
        raise RoundError(_("A published round keeps at least one phase."))
    round_.phases.remove(phase)
    db.session.flush()


def close_now(round_: Round) -> None:
    """End the round now: the phase in force stops, later phases go, a closed phase begins."""
    moment = now()
    current = round_.phase_at(moment)
    if current is not None and current.type == PhaseType.CLOSED.value:
        return
    for phase in list(round_.phases):
        if phase.starts_at >= moment:
            round_.phases.remove(phase)
        elif phase.ends_at > moment:
            phase.ends_at = moment
    round_.phases.append(Phase(type=PhaseType.CLOSED.value, starts_at=moment, ends_at=moment + timedelta(days=3653)))
    db.session.flush()
    audit("round.closed", round_)


def phase_refusal(round_: Round, action: Action) -> str | None:
    """None when the phase in force allows ``action``; otherwise the reason, for the person."""
    phase = round_.current_phase
    if phase is not None and allows(phase.type, action):
        return None
    rule = str(ACTION_PHASES_TEXT[action])
    if phase is None:
        upcoming = [p for p in round_.phases if p.starts_at > now()]
        if upcoming:
            nxt = upcoming[0]
            return rule + " " + _(
                "No phase is in force now; the next one, “%(phase)s”, starts on %(start)s.",
                phase=phase_label(nxt.type), start=format_datetime(nxt.starts_at, "short"),
            )
    if phase is None or phase.type == PhaseType.CLOSED.value:
        return rule + " " + _("This round has ended.")
    return rule + " " + _(
        "The round is now in its “%(phase)s” phase (%(start)s – %(end)s).",
        phase=phase_label(phase.type), start=format_datetime(phase.starts_at, "short"),
        end=format_datetime(phase.ends_at, "short"),
    )


# --- Documents ---------------------------------------------------------------


def add_document_link(round_: Round, *, title: str, url: str) -> RoundDocument:
    document = RoundDocument(title=title, url=url)
    round_.documents.append(document)
    db.session.flush()
    return document


def add_document_upload(round_: Round, *, title: str, filename: str, data: bytes) -> RoundDocument:
    try:
        stored = documents.accept_upload(data, filename)
    except documents.UploadError as error:
        raise RoundError(error.message, "file") from None
    document = RoundDocument(title=title, **stored)
    round_.documents.append(document)
    db.session.flush()
    return document


def delete_document(document: RoundDocument) -> None:
    stored = document.stored_name
    document.round.documents.remove(document)
    db.session.flush()
    if stored:
        documents.remove(stored)


# --- People --------------------------------------------------------------------


def assign_facilitator(round_: Round, email: str) -> User:
    user = db.session.scalar(select(User).where(db.func.lower(User.email) == email.strip().lower()))
    if user is None or not has_role(user, Role.FACILITATOR) or not user.active:
        raise RoundError(_("No active facilitator has this email address."), "email")
    if user.id in round_.facilitator_ids:
        raise RoundError(_("%(name)s already facilitates this round.", name=user.display_name), "email")
    round_.facilitators.append(RoundFacilitator(user_id=user.id))
    db.session.flush()
    return user


def remove_facilitator(round_: Round, user_id: int) -> None:
    for link in list(round_.facilitators):
        if link.user_id == user_id:
            round_.facilitators.remove(link)
    db.session.flush()


def is_following(round_: Round, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(RoundFollower.id).where(RoundFollower.round_id == round_.id, RoundFollower.user_id == user.id)
    ) is not None


def set_following(round_: Round, user: User, follow: bool) -> None:
    """Follow or stop following; a double click (or two tabs) changes nothing more."""
    if follow:
        db.session.execute(
            insert_ignoring_duplicates(RoundFollower).values(
                round_id=round_.id, user_id=user.id, created_at=utcnow(), updated_at=utcnow())
        )
    else:
        db.session.execute(
            delete(RoundFollower).where(RoundFollower.round_id == round_.id, RoundFollower.user_id == user.id)
        )


# --- Loading for a page ------------------------------------------------------------------


def load_round(round_id: int) -> Round:
    """The round, if it exists and the current person may see it (drafts look absent)."""
    return get_or_404(get_round, round_id, "rounds.view")


def editable_round(round_id: int) -> Round:
    """The round, if the current person may edit it (admins and the round's facilitators)."""
    round_ = load_round(round_id)
    require("rounds.edit", round_)
    return round_
