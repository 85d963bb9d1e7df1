"""flask users ... and flask demo load."""
from sqlalchemy import func, select

from engage.auth.models import User, UserRole
from engage.comments.models import Comment
from engage.feedback.models import ProposalResponse
from engage.moderation.models import Flag
from engage.proposals.models import Proposal, Support
from engage.rounds.models import Phase, Round
from engage.extensions import db


def test_users_create_and_grant(app, runner, browser):
    result = runner.invoke(args=["users", "create", "--email", "Chair@Example.org", "--name", "Forum Chair",
                                 "--role", "facilitator", "--password", "a forum chair password"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "grant", "chair@example.org", "moderator"])
    assert result.exit_code == 0 and "is now moderator" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "chair@example.org"))
        assert user.role_names == {"facilitator", "moderator"} and user.is_confirmed
    response = browser.submit("/account/sign-in", {"email": "chair@example.org", "password": "a forum chair password"})
    assert response.status_code == 302
    result = runner.invoke(args=["users", "revoke", "chair@example.org", "moderator"])
    assert result.exit_code == 0 and "is no longer moderator" in result.output


def test_users_create_prompts_for_password(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "p@example.org", "--name", "Prompted"],
                           input="prompted password ok\nprompted password ok\n")
    assert result.exit_code == 0, result.output


def test_users_create_refuses_bad_input(runner, create_user):
    create_user("dup@example.org")
    assert runner.invoke(args=["users", "create", "--email", "dup@example.org", "--name", "D", "--password", "long enough pass"]).exit_code != 0
    assert runner.invoke(args=["users", "create", "--email", "s@example.org", "--name", "S", "--password", "short"]).exit_code != 0
    assert runner.invoke(args=["users", "create", "--email", "c@example.org", "--name", "C", "--password", "password123"]).exit_code != 0
    assert runner.invoke(args=["users", "grant", "nobody@example.org", "admin"]).exit_code != 0
    assert runner.invoke(args=["users", "grant", "dup@example.org", "emperor"]).exit_code != 0


def _snapshot(app):
    with app.app_context():
        users = db.session.execute(select(User.email, User.password_hash, User.updated_at, User.locale).order_by(User.email)).all()
        roles = db.session.execute(select(UserRole.user_id, UserRole.role).order_by(UserRole.user_id)).all()
        content = tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Round, Phase, Proposal, Support, Comment, Flag, ProposalResponse)
        )
        return users, roles, content


def test_demo_load_is_idempotent(app, runner, browser):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "admin@example.org" in first.output and "engage-demo-2026" in first.output
    before = _snapshot(app)
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert _snapshot(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 16  # six named accounts, ten more residents
        roles = {u.email: u.role_names for u in db.session.scalars(select(User))}
    assert roles["admin@example.org"] == {"admin"}
    assert roles["facilitator@example.org"] == {"facilitator"}
    assert roles["moderator@example.org"] == {"moderator"}
    assert roles["resident@example.org"] == roles["ngo@example.org"] == set()
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.email == "resident.en@example.org")) == "en"
    # The demo rounds: the closed Kyiv co-creation and an open call for proposals.
    with app.app_context():
        from engage.rounds.phases import PhaseType

        rounds = db.session.scalars(select(Round).order_by(Round.id)).all()
        assert [r.status for r in rounds] == ["closed", "open"]
        assert rounds[1].current_phase.type == PhaseType.CALL_FOR_PROPOSALS.value
        assert db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.round_id == rounds[0].id)) >= 40
        assert db.session.scalar(select(func.count()).select_from(Comment)) > 40
        assert db.session.scalar(select(func.count()).select_from(Flag)) >= 2
        assert {t.name for t in rounds[0].topics} >= {"Публічні консультації", "Мережа Vcentri HUB"}
        counted = db.session.scalars(select(Proposal)).all()
        for proposal in counted:  # the stored counters match the rows
            assert proposal.support_count == db.session.scalar(
                select(func.count()).select_from(Support).where(Support.proposal_id == proposal.id))
            assert proposal.comment_count == db.session.scalar(
                select(func.count()).select_from(Comment).where(Comment.proposal_id == proposal.id))
    # Written feedback: most proposals answered, some left for the queue, report sections written.
    with app.app_context():
        answered = db.session.scalar(select(func.count()).select_from(Proposal).where(
            Proposal.round_id == rounds[0].id, Proposal.final_answer_at.is_not(None)))
        assert 30 <= answered < 40
    report = browser.get(f"/api/v1/rounds/{rounds[0].id}/report").get_json()
    assert report["outcomes"]["not_answered"] > 0 and report["sections"]["en"]["what_we_heard"]
    found = browser.get(f"/rounds/{rounds[0].id}/proposals?q=консультації").get_data(as_text=True)
    assert "Обов&#39;язкові публічні консультації" in found or "Обов'язкові публічні консультації" in found
    # The printed password works.
    response = browser.submit("/account/sign-in", {"email": "admin@example.org", "password": "engage-demo-2026"})
    assert response.status_code == 302
