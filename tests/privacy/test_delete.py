"""Delete my account: confirmed by the password (and code), everything personal gone in one go, the
contributions kept or replaced by placeholders, counts unchanged, seats and representation given up."""
from __future__ import annotations

import re

import pyotp
from sqlalchemy import func, select

from engage.audit.models import AuditEvent
from engage.auth import throttle
from engage.auth.models import RecoveryCode, User, UserRole, UserSession
from engage.comments.models import Comment
from engage.endorsements.models import Endorsement
from engage.extensions import db
from engage.forum.models import ForumMember
from engage.meetings.models import Registration
from engage.moderation.models import Flag
from engage.core.outbox import OutboxMessage
from engage.notifications.models import Notification, NotificationPreference
from engage.organisations.models import Representative
from engage.proposals.models import Proposal, Support
from engage.rounds.models import RoundStats
from engage.surveys.models import QuestionTally, Survey, SurveyResponse, Tally
from tests.conftest import PASSWORD, Browser, english_client
from tests.privacy.conftest import NOW, TOTP_SECRET

NEW_PASSWORD = "willow branches over the dnipro"


def _delete(browser, password=PASSWORD, **extra):
    data = {"current_password": password, "understood": "y", **extra}
    return browser.submit("/account/delete", data)


def _user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _counts(app, world) -> dict:
    with app.app_context():
        theirs = db.session.get(Proposal, world.neighbour_proposal_id)
        mine = db.session.get(Proposal, world.proposal_id)
        stats = db.session.get(RoundStats, world.round_id)
        survey = db.session.get(Survey, world.survey.survey_id)
        return {
            "supports": (theirs.support_count, mine.support_count, db.session.scalar(select(func.count(Support.id)))),
            "comments": theirs.comment_count,
            "round": (stats.proposals, stats.supports, stats.participants),
            "respondents": survey.respondent_count,
            "answers": db.session.scalar(select(func.count(SurveyResponse.id))),
            "tallies": sorted(db.session.execute(select(Tally.question_id, Tally.option_key, Tally.value_key, Tally.count)).all()),
            "answered": sorted(db.session.execute(select(QuestionTally.question_id, QuestionTally.answered)).all()),
        }


def test_a_wrong_password_keeps_everything(app, world, browser):
    browser.sign_in(world.person)
    response = _delete(browser, password="not my password", delete_contributions="y")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The current password is not correct." in html and 'aria-describedby="current_password-error"' in html
    ticked = re.search(r'<input[^>]*name="delete_contributions"[^>]*>', html).group(0)
    assert "checked" in ticked  # what was ticked stays ticked
    user = _user(app, world.person.id)
    assert (user.email, user.display_name, user.active) == ("olha@example.org", "Olha Kovalenko", True)
    assert browser.get("/account/").status_code == 200  # still signed in
    with app.app_context():
        assert db.session.get(Proposal, world.proposal_id).author_id == world.person.id


def test_the_confirmation_box_must_be_ticked(app, world, browser):
    browser.sign_in(world.person)
    response = browser.submit("/account/delete", {"current_password": PASSWORD})
    assert response.status_code == 422
    assert "Tick this box to confirm that you understand." in response.get_data(as_text=True)
    assert _user(app, world.person.id).active


def _sign_in_with_code(app, browser, person):
    browser.sign_in(person)  # to the code page
    code = pyotp.TOTP(TOTP_SECRET).now()
    response = browser.submit("/account/sign-in/code", {"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_with_two_factor_a_wrong_code_keeps_everything_and_a_recovery_code_deletes(app, world):
    from engage.auth import twofactor

    with app.app_context():
        user = db.session.get(User, world.person.id)
        twofactor.enable_with_secret(user, TOTP_SECRET)
        codes = twofactor.regenerate_recovery_codes(user)
        db.session.commit()
    browser = Browser(english_client(app))
    _sign_in_with_code(app, browser, world.person)
    response = _delete(browser, code="000000")
    assert response.status_code == 422
    assert "This code is not correct" in response.get_data(as_text=True)
    assert _user(app, world.person.id).active
    response = _delete(browser, code=codes[0])
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/deleted")
    with app.app_context():
        user = db.session.get(User, world.person.id)
        assert (user.totp_secret, user.totp_enabled_at, user.active) == (None, None, False)
        assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0


def test_deleting_removes_personal_data_and_signs_out_every_device(app, world, browser, outbox):
    other_device = Browser(english_client(app))
    other_device.sign_in(world.person)
    with app.app_context():
        throttle.failed(world.person.email)
        db.session.add(OutboxMessage(to=world.person.email, subject="Pending", text="…", next_attempt_at=NOW,
                                     created_at=NOW))
        db.session.commit()
    browser.sign_in(world.person)
    response = _delete(browser)
    assert response.status_code == 302, response.get_data(as_text=True)
    response = browser.get(response.headers["Location"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your account has been deleted" in html, response.headers
    assert browser.get("/account/").status_code == 302
    assert other_device.get("/account/").status_code == 302

    user = _user(app, world.person.id)
    assert "@" not in user.email and user.email.startswith("deleted-")
    assert (user.display_name, user.bio, user.active, user.last_sign_in_at) == ("", "", False, None)
    with app.app_context():
        uid = world.person.id
        for model, column in ((UserSession, UserSession.user_id), (Notification, Notification.user_id),
                              (NotificationPreference, NotificationPreference.user_id), (UserRole, UserRole.user_id),
                              (Representative, Representative.user_id)):
            assert db.session.scalar(select(func.count()).select_from(model).where(column == uid)) == 0, model
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to == "olha@example.org")) == 0
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.to == "taras@example.org")) > 0  # the neighbour's emails are theirs
        assert throttle.state("olha@example.org") is None
        assert db.session.scalar(select(ForumMember.user_id)) is None
    # The old address and password sign in nobody.
    response = browser.submit("/account/sign-in", {"email": "olha@example.org", "password": PASSWORD})
    assert response.status_code == 200 and "The email address or password is not correct." in response.get_data(as_text=True)


def test_the_same_address_can_register_again(app, world, browser, outbox):
    browser.sign_in(world.person)
    _delete(browser)
    response = browser.submit("/account/register", {"email": "olha@example.org", "display_name": "Olha again",
                                                    "password": NEW_PASSWORD, "locale": "en", "accept_privacy": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        fresh = db.session.scalar(select(User).where(User.email == "olha@example.org"))
        assert fresh is not None and fresh.id != world.person.id and fresh.display_name == "Olha again"


def test_contributions_stay_by_a_former_participant(app, world, browser):
    browser.sign_in(world.person)
    _delete(browser)
    page = browser.get(f"/proposals/{world.proposal_id}").get_data(as_text=True)
    assert "Bike lanes on Obolon embankment" in page and "Former participant" in page
    assert "Olha Kovalenko" not in page
    thread = browser.get(f"/proposals/{world.neighbour_proposal_id}").get_data(as_text=True)
    assert "Olha thinks this needs a map." in thread and "Former participant" in thread
    assert "Olha Kovalenko" not in thread


def test_deleting_contributions_leaves_placeholders_and_keeps_threads(app, world, browser):
    before = _counts(app, world)
    browser.sign_in(world.person)
    _delete(browser, delete_contributions="y")
    page = browser.get(f"/proposals/{world.proposal_id}").get_data(as_text=True)
    assert "This contribution was removed by its author." in page
    assert "Bike lanes" not in page and "Paint protected bike lanes" not in page
    thread = browser.get(f"/proposals/{world.neighbour_proposal_id}").get_data(as_text=True)
    assert "Olha thinks this needs a map." not in thread
    assert "This comment was deleted by its author." in thread
    assert "Taras agrees about the map." in thread  # the reply stays, under the placeholder
    with app.app_context():
        reply = db.session.get(Comment, world.reply_id)
        assert reply.parent_id == world.comment_id and reply.deleted_at is None
        assert db.session.get(Proposal, world.proposal_id).support_count == 1  # the neighbour's support stays
    after = _counts(app, world)
    assert after["supports"] == before["supports"] and after["round"] == before["round"]
    assert after["comments"] == before["comments"] - 1  # a deleted comment is not counted, as when its author deletes it


def test_supports_and_survey_answers_stay_counted_without_the_person(app, world, browser):
    before = _counts(app, world)
    browser.sign_in(world.person)
    _delete(browser)
    assert _counts(app, world) == before
    with app.app_context():
        assert db.session.scalar(select(func.count(SurveyResponse.id)).where(
            SurveyResponse.user_id == world.person.id)) == 0


def test_a_future_registration_is_cancelled_and_the_waitlist_moves_up(app, world, browser, outbox):
    with app.app_context():
        status = dict(db.session.execute(select(Registration.user_id, Registration.status)).all())
        assert status == {world.person.id: "registered", world.neighbour.id: "waitlisted"}
    browser.sign_in(world.person)
    _delete(browser)
    with app.app_context():
        status = dict(db.session.execute(select(Registration.user_id, Registration.status)).all())
        assert status == {world.person.id: "cancelled", world.neighbour.id: "registered"}
        assert db.session.scalar(select(Notification.kind).where(Notification.user_id == world.neighbour.id,
                                                                 Notification.kind != "reply")) is not None


def test_representation_ends_and_the_organisations_endorsement_stays(app, world, browser):
    browser.sign_in(world.person)
    _delete(browser)
    with app.app_context():
        assert list(db.session.scalars(select(Representative.user_id))) == [world.neighbour.id]
        endorsement = db.session.get(Endorsement, world.endorsement_id)
        assert endorsement.organisation_id == world.organisation_id and endorsement.withdrawn_at is None
        assert endorsement.created_by_id is None and endorsement.signed_by == ""
        assert endorsement.statement == "We back this."
    page = browser.get(f"/proposals/{world.neighbour_proposal_id}").get_data(as_text=True)
    assert "We back this." in page


def test_flags_stay_counted(app, world, browser):
    browser.sign_in(world.person)
    _delete(browser)
    with app.app_context():
        assert db.session.get(Proposal, world.neighbour_proposal_id).flag_count == 1
        assert db.session.scalar(select(Flag.details)) == "Olha flags a duplicate"


def test_audit_entries_keep_the_record_without_personal_data(app, world, browser):
    browser.submit("/account/sign-in", {"email": "olha@example.org", "password": "wrong password here"})
    browser.sign_in(world.person)
    _delete(browser)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        text = " ".join(f"{e.actor_name} {e.target_label} {e.details}" for e in events)
        assert "olha@example.org" not in text and "Olha Kovalenko" not in text
        deleted = [e for e in events if e.action == "account.deleted"]
        assert [(e.actor_id, e.target_id, e.details) for e in deleted] == [
            (world.person.id, world.person.id, "contributions kept")]
        assert any(e.action == "sign_in.failed" for e in events)  # the security record stays


def test_the_last_administrator_cannot_delete_their_account(app, create_user, browser):
    admin = create_user(roles=("admin",))
    browser.sign_in(admin)
    page = browser.get("/account/delete").get_data(as_text=True)
    assert "You are the last administrator" in page and 'name="current_password"' not in page
    response = _delete(browser)
    assert response.status_code == 422 and "You are the last administrator" in response.get_data(as_text=True)
    user = _user(app, admin.id)
    assert user.active and user.email == admin.email
    # With a second administrator, the first may go.
    create_user(roles=("admin",))
    assert _delete(browser).status_code == 302
    assert not _user(app, admin.id).active


def test_an_administrator_deletes_an_account_on_request(app, world, create_user, browser):
    admin = create_user("root@example.org", roles=("admin",), display_name="Root Admin")
    browser.sign_in(admin)
    assert "Delete this account" in browser.get(f"/admin/users/{world.person.id}").get_data(as_text=True)
    response = browser.submit(f"/admin/users/{world.person.id}/delete", {"delete_contributions": ""})
    assert response.status_code == 422 and "Tick this box" in response.get_data(as_text=True)
    assert _user(app, world.person.id).active
    response = browser.submit(f"/admin/users/{world.person.id}/delete", {"requested": "y"})
    assert response.status_code == 302
    assert not _user(app, world.person.id).active
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
        assert (event.actor_id, event.target_id) == (admin.id, world.person.id)
        assert "root@example.org" in event.actor_name and "at the person's request" in event.details
    page = browser.get(f"/admin/users/{world.person.id}").get_data(as_text=True)
    assert "Deleted account" in page and "Reactivate account" not in page and "Delete this account" not in page
    response = browser.submit(f"/admin/users/{world.person.id}/reactivate", form_url=f"/admin/users/{world.person.id}",
                              follow_redirects=True)
    assert "A deleted account cannot be reactivated." in response.get_data(as_text=True)
    assert not _user(app, world.person.id).active
    response = browser.get(f"/admin/users/{world.person.id}/delete", follow_redirects=True)
    assert "This account has already been deleted." in response.get_data(as_text=True)
    # No role is given to what is left of it either: no button, and the server refuses.
    assert "Grant Moderator" not in page
    granted = browser.submit(f"/admin/users/{world.person.id}/roles/moderator", {"grant": "1"},
                             form_url=f"/admin/users/{world.person.id}")
    assert granted.status_code == 403
    with app.app_context():
        assert db.session.get(User, world.person.id).role_names == set()


def test_the_admin_deletion_needs_a_fresh_proof_of_identity(app, world, create_user, browser):
    admin = create_user(roles=("admin",))
    browser.sign_in(admin)
    with browser.client.session_transaction() as session:
        session["reauth_at"] = 0
    response = browser.get(f"/admin/users/{world.person.id}/delete")
    assert response.status_code == 302 and "/account/confirm-identity" in response.headers["Location"]
    response = browser.client.post(f"/admin/users/{world.person.id}/delete",
                                   data={"requested": "y", "csrf_token": browser.csrf_token("/account/")})
    assert response.status_code == 302 and "/account/confirm-identity" in response.headers["Location"]
    assert _user(app, world.person.id).active


def test_who_may_delete_whose_account(app, world, create_user, browser):
    target = f"/admin/users/{world.person.id}/delete"
    visitor = english_client(app)
    assert visitor.get(target).status_code == 302  # to sign in
    browser.sign_in(world.neighbour)  # another resident
    assert browser.get(target).status_code == 403
    assert browser.client.post(target, data={"requested": "y", "csrf_token": browser.csrf_token("/account/")}).status_code == 403
    browser.sign_out()
    admin = create_user(roles=("admin",))
    browser.sign_in(admin)
    assert browser.get(f"/admin/users/{admin.id}/delete").status_code == 403  # their own: through their account page
    assert browser.get("/admin/users/999999/delete").status_code == 404
    assert browser.get(target).status_code == 200
    assert _user(app, world.person.id).active


def test_a_failure_half_way_leaves_nothing_deleted(app, world, browser, monkeypatch):
    import dataclasses

    import pytest

    from engage.privacy import registry

    def broken(erasure):
        raise RuntimeError("the disk is full")

    notifications = registry._ENTRIES["notifications"]
    monkeypatch.setitem(registry._ENTRIES, "notifications", dataclasses.replace(notifications, erase=broken))
    browser.sign_in(world.person)
    with pytest.raises(RuntimeError):
        _delete(browser, delete_contributions="y")
    user = _user(app, world.person.id)
    assert (user.email, user.display_name, user.active) == ("olha@example.org", "Olha Kovalenko", True)
    with app.app_context():
        assert db.session.get(Comment, world.comment_id).author_id == world.person.id  # erased before the failure
        assert db.session.get(Comment, world.comment_id).deleted_at is None
        assert db.session.scalar(select(Registration.status).where(
            Registration.user_id == world.person.id)) == "registered"
    assert browser.get("/account/").status_code == 200


def test_a_prepared_download_goes_with_the_account(app, world, browser, outbox, monkeypatch):
    from tests.conftest import path_of
    from tests.privacy.test_download import _prepare_in_background

    link = path_of(_prepare_in_background(app, monkeypatch, browser, world.person, outbox))
    with app.app_context():
        from engage.privacy.downloads import read_link

        path = read_link(link.rsplit("/", 1)[1]).path
    assert path.exists()
    _delete(browser)
    assert not path.exists()
