"""The rules and changes of the forum. Functions flush; the request commits."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from engage.auth.models import User
from engage.extensions import db
from engage.forum.models import Forum, ForumDecision, ForumMember
from engage.forum.sectors import GOVERNMENT, ROLES, SECTORS


class ForumError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class ForumTexts:
    name: dict[str, str]
    mandate: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    how_to_join: dict[str, str] = field(default_factory=dict)


@dataclass
class MemberDetails:
    name: str
    sector: str
    role: str = "member"
    organisation_name: str = ""
    organisation_id: int | None = None
    user_id: int | None = None
    term_start: date | None = None
    term_end: date | None = None


@dataclass
class Balance:
    """Members serving on a day, by sector, and government against everyone else."""

    by_sector: dict[str, int]
    government: int
    non_government: int

    @property
    def total(self) -> int:
        return self.government + self.non_government

    @property
    def government_percent(self) -> float:
        return round(100 * self.government / self.total, 1) if self.total else 0.0

    @property
    def non_government_percent(self) -> float:
        return round(100 - self.government_percent, 1) if self.total else 0.0

    @property
    def is_multi_stakeholder(self) -> bool:
        return self.government > 0 and self.non_government > 0


# --- Loading -----------------------------------------------------------------------


def get_forum(forum_id: int) -> Forum | None:
    return db.session.get(Forum, forum_id)


def all_forums() -> list[Forum]:
    return list(db.session.scalars(select(Forum).order_by(Forum.id)))


def current_members(forum: Forum, day: date) -> list[ForumMember]:
    return [m for m in forum.members if m.serves_on(day)]


def former_members(forum: Forum, day: date) -> list[ForumMember]:
    return [m for m in forum.members if m.term_end is not None and m.term_end < day]


def balance(members: list[ForumMember]) -> Balance:
    by_sector = Counter(m.sector for m in members)
    government = by_sector.get(GOVERNMENT, 0)
    return Balance(by_sector={code: by_sector.get(code, 0) for code in SECTORS}, government=government,
                   non_government=sum(by_sector.values()) - government)


def grouped_by_sector(members: list[ForumMember]) -> list[tuple[str, list[ForumMember]]]:
    """Members by sector in the sectors' order; chairs first within each."""
    order = list(ROLES)
    groups = []
    for code in SECTORS:
        people = sorted((m for m in members if m.sector == code), key=lambda m: (order.index(m.role), m.name))
        if people:
            groups.append((code, people))
    return groups


# --- Changes ------------------------------------------------------------------------


def create_forum(texts: ForumTexts, *, default_locale: str, terms_url: str, by: User) -> Forum:
    forum = Forum(default_locale=default_locale, created_by_id=by.id)
    update_forum(forum, texts, default_locale=default_locale, terms_url=terms_url)
    db.session.add(forum)
    db.session.flush()
    return forum


def update_forum(forum: Forum, texts: ForumTexts, *, default_locale: str, terms_url: str) -> None:
    if not (texts.name.get(default_locale) or "").strip():
        raise ForumError(_("Enter the forum’s name in its default language."), f"name_{default_locale}")
    forum.default_locale = default_locale
    forum.name = {k: v.strip() for k, v in texts.name.items() if v.strip()}
    forum.mandate = {k: v.strip() for k, v in texts.mandate.items() if v.strip()}
    forum.terms = {k: v.strip() for k, v in texts.terms.items() if v.strip()}
    forum.how_to_join = {k: v.strip() for k, v in texts.how_to_join.items() if v.strip()}
    forum.terms_url = terms_url.strip()
    db.session.flush()


def _check_member(details: MemberDetails) -> None:
    if details.sector not in SECTORS:
        raise ForumError(_("Choose a sector."), "sector")
    if details.role not in ROLES:
        raise ForumError(_("Choose a role."), "role")
    if details.term_start is None:
        raise ForumError(_("Enter when the term starts."), "term_start")
    if details.term_end is not None and details.term_end < details.term_start:
        raise ForumError(_("The term cannot end before it starts."), "term_end")


def _apply_member(member: ForumMember, details: MemberDetails) -> None:
    member.name = details.name.strip()
    member.sector = details.sector
    member.role = details.role
    member.organisation_name = details.organisation_name.strip()
    member.organisation_id = details.organisation_id
    member.user_id = details.user_id
    member.term_start = details.term_start
    member.term_end = details.term_end


def add_member(forum: Forum, details: MemberDetails) -> ForumMember:
    _check_member(details)
    member = ForumMember(forum_id=forum.id)
    _apply_member(member, details)
    forum.members.append(member)
    db.session.flush()
    return member


def update_member(member: ForumMember, details: MemberDetails) -> None:
    _check_member(details)
    _apply_member(member, details)
    db.session.flush()


def remove_member(member: ForumMember) -> None:
    db.session.delete(member)
    db.session.flush()


def add_decision(forum: Forum, *, decided_on: date, text: str, meeting_id: int | None) -> ForumDecision:
    if meeting_id is not None:
        from engage.meetings.models import Meeting

        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None or meeting.forum_id != forum.id:
            raise ForumError(_("Choose one of the forum’s meetings."), "meeting_id")
    decision = ForumDecision(forum_id=forum.id, decided_on=decided_on, text=text.strip(), meeting_id=meeting_id)
    forum.decisions.append(decision)
    db.session.flush()
    return decision


def remove_decision(decision: ForumDecision) -> None:
    db.session.delete(decision)
    db.session.flush()
