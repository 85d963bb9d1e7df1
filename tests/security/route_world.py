"""The world the route table is walked in: one of every kind of object, the people around them, and a
signed-in browser for each identity.

Identities (``who``):

- ``anonymous``: a visitor;
- ``author``: resident A, who wrote the proposal, the comment, and receives the notification;
- ``resident``: resident B, another resident (not the author of the objects in the URLs; the invitation
  of organisation 1 is addressed to B);
- ``representative``: R1, representative of the verified organisation 1 (and of the unverified one);
- ``other_representative``: R2, representative of the verified organisation 2;
- ``facilitator``: facilitator of this round (round 1, and of the draft round);
- ``other_facilitator``: facilitator of another round (round 2) only;
- ``moderator`` and ``admin``.

People are written straight into the database with one shared password hash, and signed in by opening
a server-side sign-in (engage.auth.sessions) and putting it in the Flask session cookie: hashing a
password for each of them, for each route, would take most of the time of the walk.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import count

from itsdangerous import URLSafeTimedSerializer

from engage.extensions import db
from tests.conftest import DAY, STANDARD_PHASES, T0

ANON, AUTHOR, RESIDENT = "anonymous", "author", "resident"
REP, REP_OTHER = "representative", "other_representative"
FAC, FAC_OTHER = "facilitator", "other_facilitator"
MOD, ADMIN = "moderator", "admin"
IDENTITIES = (ANON, AUTHOR, RESIDENT, REP, REP_OTHER, FAC, FAC_OTHER, MOD, ADMIN)

ROLES = {FAC: ("facilitator",), FAC_OTHER: ("facilitator",), MOD: ("moderator",), ADMIN: ("admin",)}

# Words that only the objects nobody (or only their managers) may see carry: they must not come out
# of a page, a list, a file or a calendar shown to someone who may not see them.
HIDDEN_TITLE = "Zarkov hidden proposal"
HIDDEN_BODY = "Phone Zarkov on +380 67 000 11 22"
HIDDEN_COMMENT = "Zarkov comment under a hidden proposal"
DRAFT_ROUND_TITLE = "Quorvex draft round"
DRAFT_PROPOSAL_TITLE = "Quorvex proposal of a draft round"
DRAFT_MEETING_TITLE = "Quorvex unpublished meeting"
DRAFT_ROUND_MEETING_TITLE = "Quorvex meeting of a draft round"
DRAFT_PLAN_TITLE = "Quorvex draft plan"
DRAFT_SURVEY_TITLE = "Quorvex draft survey"
UNVERIFIED_NAME = "Quorvex unverified organisation"
HIDDEN_ANSWER = "Zarkov answer hidden by moderation"


@lru_cache(maxsize=1)
def _password_hash() -> str:
    from engage.core.passwords import hash_password

    return hash_password("correct horse battery staple")


@dataclass
class World:
    app: object
    ids: dict = field(default_factory=dict)  # object name -> id (or token)
    people: dict = field(default_factory=dict)  # identity -> user id
    sessions: dict = field(default_factory=dict)  # identity -> UserSession id
    clients: dict = field(default_factory=dict)  # identity -> test client
    tokens: dict = field(default_factory=dict)  # identity -> signed CSRF token
    _n: count = field(default_factory=lambda: count(1))

    def __getitem__(self, name):
        return self.ids[name]

    # --- Objects made on demand, for the routes that delete what they are given -----------------

    def fresh(self, kind: str) -> int:
        """A new object of ``kind`` (``phase``, ``round_document``, ``meeting_document``, ``member``,
        ``decision``), so each identity allowed to delete deletes its own."""
        n = next(self._n)
        with self.app.app_context():
            if kind == "phase":
                from engage.rounds import services
                from engage.rounds.models import Round
                from engage.rounds.phases import PhaseType

                start = T0 + (800 + 10 * n) * DAY  # after every phase of the round
                made = services.add_phase(db.session.get(Round, self["round"]), type=PhaseType.INFORMATION,
                                          starts_at=start, ends_at=start + 5 * DAY)
            elif kind == "round_document":
                from engage.rounds import services
                from engage.rounds.models import Round

                made = services.add_document_link(db.session.get(Round, self["round"]), title=f"Annex {n}",
                                                  url=f"https://example.org/annex-{n}.pdf")
            elif kind == "meeting_document":
                from engage.meetings import services
                from engage.meetings.models import Meeting

                made = services.add_document_link(db.session.get(Meeting, self["meeting"]), title=f"Slides {n}",
                                                  url=f"https://example.org/slides-{n}.pdf")
            elif kind == "member":
                from engage.forum import services
                from engage.forum.models import Forum

                made = services.add_member(db.session.get(Forum, self["forum"]), services.MemberDetails(
                    name=f"Member {n}", sector="civil_society", organisation_name="Civic Hub", term_start=date(2026, 1, 1)))
            elif kind == "decision":
                from engage.forum import services
                from engage.forum.models import Forum

                made = services.add_decision(db.session.get(Forum, self["forum"]), decided_on=date(2026, 2, 1),
                                             text=f"Decision {n}", meeting_id=None)
            else:
                raise LookupError(kind)
            db.session.commit()
            return made.id


def build_world(app) -> World:
    """Everything in one transaction. The site's clock must already be where the test wants it."""
    from engage.auth.models import User, UserRole
    from engage.comments import services as comments
    from engage.core.time import utcnow
    from engage.endorsements import services as endorsements, targets
    from engage.forum import services as forum
    from engage.meetings import services as meetings
    from engage.notifications.models import Notification
    from engage.notifications.services import unsubscribe_token
    from engage.organisations import services as organisations
    from engage.organisations.kinds import with_check_digit
    from engage.organisations.models import Invitation, Representative
    from engage.plans import services as plans
    from engage.plans.importer import check
    from engage.proposals import services as proposals
    from engage.rounds import services as rounds
    from engage.rounds.phases import PhaseType
    from engage.surveys import answers, services as surveys
    from engage.surveys.kinds import QuestionType
    from engage.core.tokens import make_token

    world = World(app)
    ids = world.ids
    password_hash = _password_hash()
    with app.app_context():
        session = db.session
        users = {}
        for n, who in enumerate(IDENTITIES[1:], start=1):
            user = User(email=f"{who.replace('_', '-')}@example.org", display_name=f"Person {who}",
                        password_hash=password_hash, locale="en", bio="", active=True, email_confirmed_at=utcnow(),
                        privacy_accepted_at=utcnow())
            for role in ROLES.get(who, ()):
                user.roles.append(UserRole(role=role, granted_at=utcnow()))
            session.add(user)
            users[who] = user
        session.flush()
        world.people = {who: user.id for who, user in users.items()}
        ids["user"] = users[AUTHOR].id  # the account the admin pages are about
        ids["moderator_user"] = users[MOD].id  # not a facilitator of any round

        def new_round(title, *, published=True, facilitators=()):
            round_ = rounds.Round(default_locale="en", organiser="Kyiv City State Administration", district=None)
            rounds._set_texts(round_, {"en": rounds.Texts(title, "Bring your ideas for open government.", "")})
            rounds.set_topics(round_, ["Transparency", "Participation"])
            for who in facilitators:
                round_.facilitators.append(rounds.RoundFacilitator(user_id=users[who].id))
            session.add(round_)
            session.flush()
            for kind, start, end in STANDARD_PHASES:
                rounds.add_phase(round_, type=PhaseType(kind), starts_at=start, ends_at=end)
            if published:
                rounds.publish(round_)
            return round_

        round_ = new_round("Co-creation of the Kyiv OGP Local Action Plan", facilitators=[FAC])
        other_round = new_round("Participatory budget of Podil", facilitators=[FAC_OTHER])
        draft_round = new_round(DRAFT_ROUND_TITLE, published=False, facilitators=[FAC])
        ids.update(round=round_.id, other_round=other_round.id, draft_round=draft_round.id,
                   phase=round_.phases[0].id, draft_phase=draft_round.phases[0].id)
        ids["round_document"] = rounds.add_document_link(round_, title="Terms of reference",
                                                         url="https://example.org/terms.pdf").id
        ids["draft_round_document"] = rounds.add_document_link(draft_round, title="Draft terms",
                                                               url="https://example.org/draft.pdf").id

        def propose(where, who, title, body="Publish every contract of the city budget as open data."):
            return proposals.submit_proposal(where, users[who], title=title, body=body, topic_id=None, district=None,
                                             locale="en")

        proposal = propose(round_, AUTHOR, "Open data on city budget spending")
        hidden = propose(round_, RESIDENT, HIDDEN_TITLE, HIDDEN_BODY)
        withdrawn = propose(round_, AUTHOR, "A proposal its author withdrew")
        draft_proposal = propose(draft_round, AUTHOR, DRAFT_PROPOSAL_TITLE)
        proposals.withdraw_proposal(withdrawn)
        hidden_comment = comments.add_comment(round_, hidden, users[AUTHOR], body=HIDDEN_COMMENT, locale="en")
        hidden.hidden_at, hidden.hidden_reason = utcnow(), "personal data"
        from engage.moderation import services as moderation

        moderation.flag(hidden, users[AUTHOR], reason="personal_data")  # in round 1's moderation queue
        comment = comments.add_comment(round_, None, users[AUTHOR], body="Which districts come first?", locale="en")
        ids.update(proposal=proposal.id, hidden_proposal=hidden.id, withdrawn_proposal=withdrawn.id,
                   draft_proposal=draft_proposal.id, comment=comment.id, hidden_comment=hidden_comment.id)

        # Organisations: 1 and 2 verified, 3 waiting for verification (represented by R1).
        def organisation(n, who, name, verified=True):
            org = organisations.register(organisations.Details(
                name_uk=name, name_en=name, kind="ngo", edrpou=with_check_digit(f"{4100000 + n:07d}"),
                areas=["participation"]), users[who])
            if verified:
                org.status = org.VERIFIED
            return org

        org = organisation(1, REP, "NGO Open Kyiv")
        other_org = organisation(2, REP_OTHER, "NGO Podil Together")
        unverified = organisation(3, REP, UNVERIFIED_NAME, verified=False)
        session.flush()
        invitation = Invitation(organisation_id=org.id, email=users[RESIDENT].email, invited_by_id=users[REP].id)
        session.add(invitation)
        session.flush()
        ids.update(organisation=org.id, other_organisation=other_org.id, unverified_organisation=unverified.id,
                   invitation=invitation.id,
                   invitation_token=make_token(organisations.INVITATION_PURPOSE, invitation.id))
        assert session.scalar(db.select(db.func.count()).select_from(Representative)) == 3
        ids["endorsement"] = endorsements.endorse(org, targets.get("proposal"), proposal, users[REP],
                                                  signed_by="Olha, head of NGO Open Kyiv").id
        # Endorsed while its round was public; the round is a draft again since.
        from engage.endorsements.models import Endorsement

        session.add(Endorsement(organisation_id=org.id, target_type="proposal", target_id=draft_proposal.id,
                                signed_by="Olha", statement="", created_by_id=users[REP].id, created_at=utcnow()))

        # The forum, its meetings (one of round 1 published with registration, one unpublished, and one
        # published in the draft round), a member and a decision.
        the_forum = forum.create_forum(forum.ForumTexts(name={"en": "Coordination Council"},
                                                        mandate={"en": "Oversees co-creation."}),
                                       default_locale="en", terms_url="", by=users[FAC])

        def meeting(title, where, *, published=True):
            start = T0 + 90 * DAY
            made = meetings.create_meeting(meetings.Details(
                kind="public", default_locale="en", title={"en": title}, description={"en": "Come and talk."},
                agenda={"en": "1. Welcome"}, starts_at=start, ends_at=start + timedelta(hours=2),
                venue_name="Vcentri HUB", venue_address="Obolonskyi Ave 1", registration_required=True),
                round_=where, forum=the_forum, by=users[FAC])
            if published:
                meetings.publish(made, confirm_short_notice=True)
            return made

        public_meeting = meeting("Public meeting on open data", round_)
        draft_meeting = meeting(DRAFT_MEETING_TITLE, round_, published=False)
        draft_round_meeting = meeting(DRAFT_ROUND_MEETING_TITLE, draft_round)
        ids.update(forum=the_forum.id, meeting=public_meeting.id, draft_meeting=draft_meeting.id,
                   draft_round_meeting=draft_round_meeting.id)
        ids["meeting_document"] = meetings.add_document_link(public_meeting, title="Agenda",
                                                             url="https://example.org/agenda.pdf").id
        ids["draft_meeting_document"] = meetings.add_document_link(draft_meeting, title="Draft agenda",
                                                                   url="https://example.org/draft-agenda.pdf").id
        ids["member"] = forum.add_member(the_forum, forum.MemberDetails(
            name="Iryna Member", sector="civil_society", organisation_name="NGO Open Kyiv", organisation_id=org.id,
            term_start=date(2026, 1, 1))).id
        ids["decision"] = forum.add_decision(the_forum, decided_on=date(2026, 2, 1), text="Adopt the terms.",
                                             meeting_id=None).id

        # Plans: a published one (linked to round 1) and a draft, each with a commitment, milestones and a report.
        def plan(title, published):
            data = {"plan": {"title": {"en": title}, "period": "01.2026-12.2027", "status": "implementing",
                             "default_locale": "en"},
                    "commitments": [{"number": "4", "title": {"en": "Regulation on public consultations"},
                                     "ogp_values": ["civic_participation"],
                                     "milestones": [{"description": {"en": f"Step {n}"}, "period": period,
                                                     "status": "not_started", "indicator": {"en": "Done"}}
                                                    for n, period in enumerate(("02.2026-03.2026", "04.2026-05.2026"), 1)]}]}
            made = plans.create_from(check(data), round_ids=[round_.id] if published else [], publish=published)
            report = plans.publish_report(made, title="First progress report", period_start=date(2026, 1, 1),
                                          period_end=date(2026, 3, 31), narrative={"en": "A good start."}, by=None)
            return made, report

        the_plan, report = plan("Kyiv OGP Local Action Plan 2025-2026", True)
        draft_plan, draft_report = plan(DRAFT_PLAN_TITLE, False)
        ids.update(plan=the_plan.id, commitment=the_plan.commitments[0].id,
                   milestone=the_plan.commitments[0].milestones[0].id, report=report.id,
                   draft_plan=draft_plan.id, draft_commitment=draft_plan.commitments[0].id,
                   draft_milestone=draft_plan.commitments[0].milestones[0].id, draft_report=draft_report.id)

        # Surveys of round 1: one published, open, results shown live, answered by B; one draft.
        def survey(title, published):
            made = surveys.create_survey(round_, users[FAC], surveys.Settings(
                title={"en": title}, introduction={"en": "Five minutes of your time."}, opens_at=T0,
                closes_at=T0 + 400 * DAY, allow_anonymous=False, results_visibility="live"))
            text = surveys.add_question(made, surveys.QuestionSpec(type=QuestionType.TEXT, prompt={"en": "Your idea"},
                                                                   max_length=200))
            choice = surveys.add_question(made, surveys.QuestionSpec(
                type=QuestionType.SINGLE, prompt={"en": "How do you travel?"},
                options=[{"en": "Bus"}, {"en": "Metro"}]))
            if published:
                surveys.publish(made)
            return made, text, choice

        the_survey, text_question, _choice = survey("Open data in Kyiv", True)
        draft_survey, draft_question, _draft_choice = survey(DRAFT_SURVEY_TITLE, False)
        session.flush()
        answers.save(the_survey, {text_question.id: "More bicycle lanes"}, user_id=users[RESIDENT].id)
        answers.save(the_survey, {text_question.id: HIDDEN_ANSWER}, user_id=users[AUTHOR].id)
        from engage.surveys.models import AnswerItem, SurveyResponse

        items = {text: item_id for text, item_id in session.execute(
            db.select(AnswerItem.text, AnswerItem.id).join(SurveyResponse).where(
                SurveyResponse.survey_id == the_survey.id, AnswerItem.text.is_not(None)))}
        hidden_item = session.get(AnswerItem, items[HIDDEN_ANSWER])
        hidden_item.hidden_at, hidden_item.hidden_reason = utcnow(), "personal data"
        ids.update(survey=the_survey.id, question=text_question.id, answer_item=items["More bicycle lanes"],
                   draft_survey=draft_survey.id, draft_question=draft_question.id)

        # A's notification and the link in its email to stop them.
        notification = Notification(user_id=users[AUTHOR].id, kind="reply", params={"name": "Person resident"},
                                    path=f"/rounds/{round_.id}", created_at=utcnow())
        session.add(notification)
        session.flush()
        ids["notification"] = notification.id
        ids["unsubscribe_token"] = unsubscribe_token(users[AUTHOR], "reply")

        # A sign-in for each person, as the sign-in form opens it.
        from engage.auth import sessions as sign_ins

        cookies = {}
        for who, user in users.items():
            sign_ins.start(user)
            cookies[who] = user.get_id()
        session.flush()
        from engage.auth.models import UserSession

        world.sessions = dict(session.execute(db.select(UserSession.user_id, UserSession.id)).all())
        world.sessions = {who: world.sessions[user.id] for who, user in users.items()}
        ids["author_session"] = world.sessions[AUTHOR]
        session.commit()

    serializer = URLSafeTimedSerializer(app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, salt="wtf-csrf-token")
    for n, who in enumerate(IDENTITIES, start=1):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"  # rate limits count per address: one per person
        raw = f"{n:02d}" + "ab" * 19
        with client.session_transaction() as flask_session:
            flask_session["csrf_token"] = raw
            if who != ANON:
                flask_session["_user_id"] = cookies[who]
                flask_session["_fresh"] = True
                flask_session["reauth_at"] = time.time()
        world.clients[who] = client
        world.tokens[who] = serializer.dumps(raw)
    return world
