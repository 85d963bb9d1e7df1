"""A resident who took part in everything, and a neighbour who did too (whose data must never leak)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from engage.extensions import db
from tests.cocreation.conftest import NOW, create_meeting  # noqa: F401  (fixtures)
from tests.surveys.conftest import answer_as, build_survey  # noqa: F401  (fixtures)

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass
class World:
    person: object  # the resident whose data is downloaded or deleted
    neighbour: object  # another resident
    facilitator: object
    round_id: int
    proposal_id: int  # the person's
    neighbour_proposal_id: int
    comment_id: int  # the person's, on the neighbour's proposal, with a reply by the neighbour
    reply_id: int
    meeting_id: int  # in the future, one seat: the person has it, the neighbour waits
    organisation_id: int  # the person and the neighbour represent it; the person endorsed the neighbour's proposal
    endorsement_id: int
    survey: object
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(app, clock, create_user, create_round, create_proposal, create_meeting, create_organisation,  # noqa: F811
          build_survey, answer_as):  # noqa: F811
    from engage.auth.models import User
    from engage.comments import services as comments
    from engage.endorsements import services as endorsements, targets
    from engage.forum.models import ForumMember
    from engage.meetings import services as meetings
    from engage.meetings.models import Meeting
    from engage.moderation import services as moderation
    from engage.notifications import services as notifications
    from engage.notifications.models import Notification
    from engage.organisations.models import Organisation, Representative
    from engage.proposals import services as proposals
    from engage.proposals.models import Proposal
    from engage.rounds.models import Round

    survey = build_survey(demographics=False)  # open from T0 for 30 days, so during the deliberation
    clock.to_phase("deliberation")
    person = create_user("olha@example.org", display_name="Olha Kovalenko")
    neighbour = create_user("taras@example.org", display_name="Taras Neighbour")
    facilitator = create_user("ira@example.org", roles=("facilitator",), display_name="Ira Facilitator")
    round_id = create_round(facilitators=[facilitator])
    proposal_id = create_proposal(round_id, person, title="Bike lanes on Obolon embankment",
                                  body="Paint protected bike lanes along the embankment.")
    neighbour_proposal_id = create_proposal(round_id, neighbour, title="Open budget dashboard",
                                            body="Taras wants every contract published.")
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=1, registration=True,
                                starts_at=NOW + timedelta(days=300))
    organisation_id = create_organisation(person)
    with app.app_context():
        me, other = db.session.get(User, person.id), db.session.get(User, neighbour.id)
        round_ = db.session.get(Round, round_id)
        theirs = db.session.get(Proposal, neighbour_proposal_id)
        mine = db.session.get(Proposal, proposal_id)
        comment = comments.add_comment(round_, theirs, me, body="Olha thinks this needs a map.", locale="uk")
        reply = comments.add_comment(round_, theirs, other, body="Taras agrees about the map.", locale="en",
                                     parent=comment)
        proposals.set_support(theirs, me, True)
        proposals.set_support(mine, other, True)
        meeting = db.session.get(Meeting, meeting_id)
        meetings.register(meeting, me)
        meetings.register(meeting, other)  # waitlisted: one seat
        db.session.add(Representative(organisation_id=organisation_id, user_id=other.id))
        db.session.flush()
        endorsement = endorsements.endorse(db.session.get(Organisation, organisation_id), targets.get("proposal"),
                                           theirs, me, signed_by="Olha Kovalenko", statement="We back this.")
        moderation.flag(theirs, me, reason="other", details="Olha flags a duplicate")
        notifications.set_email_choice(me, "reply", False)
        db.session.add(Notification(user_id=me.id, kind="reply", params={"title": "Olha's notice"}, path="/",
                                    created_at=NOW))
        db.session.add(ForumMember(forum_id=_forum(facilitator).id, name="Olha Kovalenko", user_id=me.id,
                                   sector="civil_society", term_start=date(2026, 1, 1)))
        db.session.commit()
        world = World(person, neighbour, facilitator, round_id, proposal_id, neighbour_proposal_id, comment.id,
                      reply.id, meeting_id, organisation_id, endorsement.id, survey)
    answer_as(survey, {survey.q["transport"]: {"option": survey.o["transport.Bus"]}, survey.q["idea"]: "Olha's idea"},
              user_id=person.id)
    answer_as(survey, {survey.q["transport"]: {"option": survey.o["transport.Metro"]}}, user_id=neighbour.id)
    return world


def _forum(facilitator):
    from engage.auth.models import User
    from engage.forum import services

    return services.create_forum(services.ForumTexts(name={"en": "Coordination Council"}, mandate={"en": "Oversees."}),
                                 default_locale="en", terms_url="",
                                 by=db.session.get(User, facilitator.id))
