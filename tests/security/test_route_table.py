"""Who may use every route of the site: one declared table, walked against ``app.url_map``.

Every rule of the URL map (but ``static``), for GET and POST, has an entry in ``TABLE``: the address
it is tried at (filled with the objects of tests/security/route_world.py) and the identities allowed to
use it. A route missing from the table, or an entry naming no route, fails ``test_every_route_is_in_the_table``.

Each route is then requested by each identity — the refused ones first, then the allowed ones (an
allowed POST may change something) — GET, or POST with a valid CSRF token and an empty form:

- refused: a visitor is sent to sign in (or gets 403/404); a signed-in person gets 403 or 404;
- allowed: anything but 401, 403, 404, 405, 429 or a server error, and no redirection to sign in
  (a form sent empty may answer 400 or 422: the check passed, the form did not);
- nobody ever gets a 500.

``OBJECT_CASES`` then take the objects not everyone may see — hidden, withdrawn, draft, unpublished,
unverified — and other people's objects through their pages, the API, the CSV and JSON files and the
calendars, checking also that their words do not come out where they may not be seen.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from tests.security.route_world import (
    ADMIN, ANON, AUTHOR, DRAFT_MEETING_TITLE, DRAFT_PLAN_TITLE, DRAFT_PROPOSAL_TITLE, DRAFT_ROUND_MEETING_TITLE,
    DRAFT_ROUND_TITLE, DRAFT_SURVEY_TITLE, FAC, FAC_OTHER, HIDDEN_ANSWER, HIDDEN_BODY, HIDDEN_COMMENT, HIDDEN_TITLE,
    IDENTITIES, MOD, REP, REP_OTHER, RESIDENT, UNVERIFIED_NAME, build_world,
)

EVERYONE = frozenset(IDENTITIES)
SIGNED_IN = EVERYONE - {ANON}
ROUND_MANAGERS = frozenset({FAC, ADMIN})  # admins and the facilitators of the round
FACILITATORS = frozenset({FAC, FAC_OTHER, ADMIN})  # the facilitator role (forum, plans, new rounds) and admins
MODERATORS = frozenset({MOD, ADMIN})
ADMINS = frozenset({ADMIN})
NOBODY = frozenset()

# A refusal: a visitor sent to sign in, or one of these.
REFUSED = (403, 404)
# Not an answer an allowed person gets.
NOT_ALLOWED = (401, 403, 404, 405, 429)


@dataclass(frozen=True)
class Route:
    """``url``: a path filled from the world's objects (``{round}``, ``{proposal}``...; ``{fresh}``: a new
    object of kind ``fresh`` for each request, for routes that delete what they are given)."""

    url: str
    allowed: frozenset
    phase: str = "call_for_proposals"  # proposals, comments and most actions are open
    refused: tuple = REFUSED
    fresh: str | None = None
    data: dict = field(default_factory=dict)


def R(url, allowed, **kwargs) -> Route:
    return Route(url, frozenset(allowed), **kwargs)


TABLE: dict[tuple[str, str], Route] = {
    # --- Main pages -----------------------------------------------------------------------------
    ("main.index", "GET"): R("/", EVERYONE),
    ("main.privacy", "GET"): R("/privacy", EVERYONE),
    ("main.terms", "GET"): R("/terms", EVERYONE),
    ("main.open_data", "GET"): R("/open-data", EVERYONE),
    ("main.set_language", "POST"): R("/language", EVERYONE),
    ("main.healthz", "GET"): R("/healthz", EVERYONE),
    # --- Accounts -------------------------------------------------------------------------------
    ("auth.register", "GET"): R("/account/register", EVERYONE),
    ("auth.register", "POST"): R("/account/register", EVERYONE),
    ("auth.check_email", "GET"): R("/account/check-email", EVERYONE),
    ("auth.confirm_email", "GET"): R("/account/confirm/not-a-token", EVERYONE),
    ("auth.resend_confirmation", "GET"): R("/account/confirm", EVERYONE),
    ("auth.resend_confirmation", "POST"): R("/account/confirm", EVERYONE),
    ("auth.login", "GET"): R("/account/sign-in", EVERYONE),
    ("auth.login", "POST"): R("/account/sign-in", EVERYONE),
    ("auth.two_factor", "GET"): R("/account/sign-in/code", EVERYONE),
    ("auth.two_factor", "POST"): R("/account/sign-in/code", EVERYONE),
    ("auth.two_factor_setup", "GET"): R("/account/two-factor", SIGNED_IN),
    ("auth.two_factor_setup", "POST"): R("/account/two-factor", SIGNED_IN),
    ("auth.disable_two_factor", "POST"): R("/account/two-factor/disable", SIGNED_IN),
    ("auth.new_recovery_codes", "POST"): R("/account/two-factor/recovery-codes", SIGNED_IN),
    ("auth.confirm_identity", "GET"): R("/account/confirm-identity", SIGNED_IN),
    ("auth.confirm_identity", "POST"): R("/account/confirm-identity", SIGNED_IN),
    ("auth.logout", "POST"): R("/account/sign-out", EVERYONE),
    ("auth.forgot_password", "GET"): R("/account/forgot-password", EVERYONE),
    ("auth.forgot_password", "POST"): R("/account/forgot-password", EVERYONE),
    ("auth.reset_password", "GET"): R("/account/reset-password/not-a-token", EVERYONE),
    ("auth.reset_password", "POST"): R("/account/reset-password/not-a-token", EVERYONE),
    ("auth.profile", "GET"): R("/account/", SIGNED_IN),
    ("auth.profile", "POST"): R("/account/", SIGNED_IN),
    ("auth.change_password", "GET"): R("/account/password", SIGNED_IN),
    ("auth.change_password", "POST"): R("/account/password", SIGNED_IN),
    ("auth.change_email", "GET"): R("/account/email", SIGNED_IN),
    ("auth.change_email", "POST"): R("/account/email", SIGNED_IN),
    ("auth.sign_ins", "GET"): R("/account/sessions", SIGNED_IN),
    # A's own sign-in: nobody else can end it (IDOR).
    ("auth.end_sign_in", "POST"): R("/account/sessions/{author_session}/end", {AUTHOR}),
    ("auth.end_other_sign_ins", "POST"): R("/account/sessions/end-others", SIGNED_IN),
    ("auth.confirm_email_change", "GET"): R("/account/email/confirm/not-a-token", EVERYONE),
    # --- Administration ---------------------------------------------------------------------------
    # Privacy rights: one's own data and account; an administrator for another person, on request
    ("privacy.download", "GET"): R("/account/data", SIGNED_IN),
    ("privacy.download", "POST"): R("/account/data", SIGNED_IN),
    ("privacy.prepared", "GET"): R("/account/data/not-a-token", NOBODY),
    ("privacy.delete", "GET"): R("/account/delete", SIGNED_IN),
    ("privacy.delete", "POST"): R("/account/delete", SIGNED_IN),
    ("privacy.deleted", "GET"): R("/account/deleted", EVERYONE),
    ("privacy.admin_delete", "GET"): R("/admin/users/{user}/delete", ADMINS),
    ("privacy.admin_delete", "POST"): R("/admin/users/{user}/delete", ADMINS),
    ("admin.index", "GET"): R("/admin/", ADMINS),
    ("admin.users", "GET"): R("/admin/users", ADMINS),
    ("admin.user", "GET"): R("/admin/users/{user}", ADMINS),
    ("admin.change_role", "POST"): R("/admin/users/{user}/roles/moderator", ADMINS),
    ("admin.deactivate", "POST"): R("/admin/users/{user}/deactivate", ADMINS),
    ("admin.reactivate", "POST"): R("/admin/users/{user}/reactivate", ADMINS),
    ("admin.unlock", "POST"): R("/admin/users/{user}/unlock", ADMINS),
    ("audit.index", "GET"): R("/admin/audit/", ADMINS),
    # --- Rounds -----------------------------------------------------------------------------------
    ("rounds.index", "GET"): R("/rounds/", EVERYONE),
    ("rounds.create", "GET"): R("/rounds/new", FACILITATORS),
    ("rounds.create", "POST"): R("/rounds/new", FACILITATORS),
    ("rounds.show", "GET"): R("/rounds/{round}", EVERYONE),
    ("rounds.edit", "GET"): R("/rounds/{round}/edit", ROUND_MANAGERS),
    ("rounds.edit", "POST"): R("/rounds/{round}/edit", ROUND_MANAGERS),
    ("rounds.manage", "GET"): R("/rounds/{round}/manage", ROUND_MANAGERS),
    ("rounds.publish", "POST"): R("/rounds/{round}/publish", ROUND_MANAGERS),
    ("rounds.unpublish", "POST"): R("/rounds/{round}/unpublish", ROUND_MANAGERS),
    ("rounds.add_phase", "POST"): R("/rounds/{round}/phases", ROUND_MANAGERS),
    ("rounds.edit_phase", "GET"): R("/rounds/{round}/phases/{phase}/edit", ROUND_MANAGERS),
    ("rounds.edit_phase", "POST"): R("/rounds/{round}/phases/{phase}/edit", ROUND_MANAGERS),
    ("rounds.delete_phase", "POST"): R("/rounds/{round}/phases/{fresh}/delete", ROUND_MANAGERS, fresh="phase"),
    ("rounds.add_document", "POST"): R("/rounds/{round}/documents", ROUND_MANAGERS),
    ("rounds.download_document", "GET"): R("/rounds/{round}/documents/{round_document}", EVERYONE),
    ("rounds.delete_document", "POST"): R("/rounds/{round}/documents/{fresh}/delete", ROUND_MANAGERS,
                                          fresh="round_document"),
    ("rounds.add_facilitator", "POST"): R("/rounds/{round}/facilitators", ROUND_MANAGERS),
    ("rounds.remove_facilitator", "POST"): R("/rounds/{round}/facilitators/{moderator_user}/remove", ROUND_MANAGERS),
    ("rounds.follow", "POST"): R("/rounds/{round}/follow", SIGNED_IN),
    # --- Proposals ----------------------------------------------------------------------------------
    ("proposals.index", "GET"): R("/rounds/{round}/proposals", EVERYONE),
    ("proposals.create", "GET"): R("/rounds/{round}/proposals/new", SIGNED_IN),
    ("proposals.create", "POST"): R("/rounds/{round}/proposals/new", SIGNED_IN),
    ("proposals.show", "GET"): R("/proposals/{proposal}", EVERYONE),
    # Only the author, while submissions are open and nobody reacted: B editing A's proposal is refused.
    ("proposals.edit", "GET"): R("/proposals/{proposal}/edit", {AUTHOR}),
    ("proposals.edit", "POST"): R("/proposals/{proposal}/edit", {AUTHOR}),
    ("proposals.withdraw", "POST"): R("/proposals/{proposal}/withdraw", {AUTHOR}),
    ("proposals.support", "POST"): R("/proposals/{proposal}/support", SIGNED_IN, phase="prioritisation"),
    # --- Comments ---------------------------------------------------------------------------------------
    ("comments.on_proposal", "GET"): R("/proposals/{proposal}/comments", SIGNED_IN),
    ("comments.on_proposal", "POST"): R("/proposals/{proposal}/comments", SIGNED_IN),
    ("comments.on_round", "GET"): R("/rounds/{round}/comments", SIGNED_IN),
    ("comments.on_round", "POST"): R("/rounds/{round}/comments", SIGNED_IN),
    ("comments.on_meeting", "GET"): R("/meetings/{meeting}/comments", SIGNED_IN),
    ("comments.on_meeting", "POST"): R("/meetings/{meeting}/comments", SIGNED_IN),
    ("comments.on_commitment", "GET"): R("/commitments/{commitment}/comments", SIGNED_IN),
    ("comments.on_commitment", "POST"): R("/commitments/{commitment}/comments", SIGNED_IN),
    ("comments.edit", "GET"): R("/comments/{comment}/edit", {AUTHOR}),
    ("comments.edit", "POST"): R("/comments/{comment}/edit", {AUTHOR}),
    ("comments.delete", "POST"): R("/comments/{comment}/delete", {AUTHOR}),
    # --- Answers to proposals and the round's report ------------------------------------------------------
    ("feedback.queue", "GET"): R("/rounds/{round}/feedback", ROUND_MANAGERS),
    ("feedback.respond", "GET"): R("/proposals/{proposal}/response", ROUND_MANAGERS),
    ("feedback.respond", "POST"): R("/proposals/{proposal}/response", ROUND_MANAGERS),
    ("feedback.report", "GET"): R("/rounds/{round}/report", EVERYONE),
    ("feedback.edit_report", "GET"): R("/rounds/{round}/report/edit", ROUND_MANAGERS),
    ("feedback.edit_report", "POST"): R("/rounds/{round}/report/edit", ROUND_MANAGERS),
    ("feedback.report_csv", "GET"): R("/rounds/{round}/report.csv", EVERYONE),
    ("feedback.report_json", "GET"): R("/rounds/{round}/report.json", EVERYONE),
    ("feedback.close", "GET"): R("/rounds/{round}/close", ROUND_MANAGERS),
    ("feedback.close", "POST"): R("/rounds/{round}/close", ROUND_MANAGERS),
    # --- Surveys ------------------------------------------------------------------------------------------
    ("surveys.show", "GET"): R("/surveys/{survey}", EVERYONE),
    ("surveys.show", "POST"): R("/surveys/{survey}", SIGNED_IN),  # no anonymous answers in this survey
    ("surveys.thanks", "GET"): R("/surveys/{survey}/thanks", EVERYONE),
    ("surveys.my_answer", "GET"): R("/surveys/{survey}/my-answer", EVERYONE),
    ("surveys.create", "GET"): R("/rounds/{round}/surveys/new", ROUND_MANAGERS),
    ("surveys.create", "POST"): R("/rounds/{round}/surveys/new", ROUND_MANAGERS),
    ("surveys.edit", "GET"): R("/surveys/{survey}/edit", ROUND_MANAGERS),
    ("surveys.edit", "POST"): R("/surveys/{survey}/edit", ROUND_MANAGERS),
    ("surveys.questions", "GET"): R("/surveys/{survey}/questions", ROUND_MANAGERS),
    ("surveys.add_question", "GET"): R("/surveys/{survey}/questions/new", ROUND_MANAGERS),
    ("surveys.add_question", "POST"): R("/surveys/{survey}/questions/new", ROUND_MANAGERS),
    ("surveys.edit_question", "GET"): R("/surveys/{survey}/questions/{question}/edit", ROUND_MANAGERS),
    ("surveys.edit_question", "POST"): R("/surveys/{survey}/questions/{question}/edit", ROUND_MANAGERS),
    ("surveys.delete_question", "POST"): R("/surveys/{survey}/questions/{question}/delete", ROUND_MANAGERS),
    ("surveys.move_question", "POST"): R("/surveys/{survey}/questions/{question}/move", ROUND_MANAGERS),
    ("surveys.add_demographics", "POST"): R("/surveys/{survey}/demographics", ROUND_MANAGERS),
    ("surveys.publish", "POST"): R("/surveys/{draft_survey}/publish", ROUND_MANAGERS),
    ("surveys.unpublish", "POST"): R("/surveys/{survey}/unpublish", ROUND_MANAGERS),
    ("surveys.results_page", "GET"): R("/surveys/{survey}/results", EVERYONE),  # results shown live
    ("surveys.text_answers", "GET"): R("/surveys/{survey}/questions/{question}/answers", EVERYONE),
    # Moderators, admins and the round's facilitators; not the facilitator of another round.
    ("surveys.hide_answer", "POST"): R("/surveys/answers/{answer_item}/hide", {MOD, FAC, ADMIN}),
    ("surveys.restore_answer", "POST"): R("/surveys/answers/{answer_item}/restore", {MOD, FAC, ADMIN}),
    ("surveys.results_csv", "GET"): R("/surveys/{survey}/results.csv", EVERYONE),
    # --- Meetings -------------------------------------------------------------------------------------------
    ("meetings.index", "GET"): R("/meetings/", EVERYONE),
    ("meetings.create", "GET"): R("/meetings/new?round={round}", ROUND_MANAGERS),
    ("meetings.create", "POST"): R("/meetings/new?round={round}", ROUND_MANAGERS),
    ("meetings.edit", "GET"): R("/meetings/{meeting}/edit", ROUND_MANAGERS),
    ("meetings.edit", "POST"): R("/meetings/{meeting}/edit", ROUND_MANAGERS),
    ("meetings.publish", "GET"): R("/meetings/{draft_meeting}/publish", ROUND_MANAGERS),
    ("meetings.publish", "POST"): R("/meetings/{draft_meeting}/publish", ROUND_MANAGERS),
    ("meetings.show", "GET"): R("/meetings/{meeting}", EVERYONE),
    ("meetings.register", "POST"): R("/meetings/{meeting}/register", SIGNED_IN),
    ("meetings.cancel", "POST"): R("/meetings/{meeting}/cancel", SIGNED_IN),
    ("meetings.registrations_csv", "GET"): R("/meetings/{meeting}/registrations.csv", ROUND_MANAGERS),
    ("meetings.record", "GET"): R("/meetings/{meeting}/record", ROUND_MANAGERS),
    ("meetings.record", "POST"): R("/meetings/{meeting}/record", ROUND_MANAGERS),
    ("meetings.add_document", "POST"): R("/meetings/{meeting}/documents", ROUND_MANAGERS),
    ("meetings.documents", "GET"): R("/meetings/{meeting}/documents", ROUND_MANAGERS),
    ("meetings.download_document", "GET"): R("/meetings/{meeting}/documents/{meeting_document}", EVERYONE),
    ("meetings.delete_document", "POST"): R("/meetings/{meeting}/documents/{fresh}/delete", ROUND_MANAGERS,
                                            fresh="meeting_document"),
    ("meetings.meeting_ics", "GET"): R("/meetings/{meeting}.ics", EVERYONE),
    ("meetings.round_ics", "GET"): R("/rounds/{round}/meetings.ics", EVERYONE),
    # --- Forum -------------------------------------------------------------------------------------------------
    ("forum.index", "GET"): R("/forum/", EVERYONE),
    ("forum.create", "GET"): R("/forum/new", FACILITATORS),
    ("forum.create", "POST"): R("/forum/new", FACILITATORS),
    ("forum.show", "GET"): R("/forum/{forum}", EVERYONE),
    ("forum.edit", "GET"): R("/forum/{forum}/edit", FACILITATORS),
    ("forum.edit", "POST"): R("/forum/{forum}/edit", FACILITATORS),
    ("forum.members", "GET"): R("/forum/{forum}/members", FACILITATORS),
    ("forum.add_member", "GET"): R("/forum/{forum}/members/new", FACILITATORS),
    ("forum.add_member", "POST"): R("/forum/{forum}/members/new", FACILITATORS),
    ("forum.edit_member", "GET"): R("/forum/members/{member}/edit", FACILITATORS),
    ("forum.edit_member", "POST"): R("/forum/members/{member}/edit", FACILITATORS),
    ("forum.delete_member", "POST"): R("/forum/members/{fresh}/delete", FACILITATORS, fresh="member"),
    ("forum.add_decision", "POST"): R("/forum/{forum}/decisions", FACILITATORS),
    ("forum.delete_decision", "POST"): R("/forum/decisions/{fresh}/delete", FACILITATORS, fresh="decision"),
    ("forum.calendar", "GET"): R("/forum/{forum}/meetings.ics", EVERYONE),
    # --- Organisations -----------------------------------------------------------------------------------------
    ("organisations.index", "GET"): R("/organisations/", EVERYONE),
    ("organisations.register", "GET"): R("/organisations/new", SIGNED_IN),
    ("organisations.register", "POST"): R("/organisations/new", SIGNED_IN),
    ("organisations.show", "GET"): R("/organisations/{organisation}", EVERYONE),
    # R2, representative of another organisation, may not edit R1's.
    ("organisations.edit", "GET"): R("/organisations/{organisation}/edit", {REP, ADMIN}),
    ("organisations.edit", "POST"): R("/organisations/{organisation}/edit", {REP, ADMIN}),
    ("organisations.people", "GET"): R("/organisations/{organisation}/representatives", {REP, ADMIN}),
    ("organisations.people", "POST"): R("/organisations/{organisation}/representatives", {REP, ADMIN}),
    ("organisations.revoke", "POST"): R("/organisations/invitations/{invitation}/revoke", {REP, ADMIN}),
    ("organisations.leave", "POST"): R("/organisations/{organisation}/leave", {REP}),
    # The invitation link: anyone signed in sees it; only the person invited (B) can accept it.
    ("organisations.accept_invitation", "GET"): R("/organisations/invitations/{invitation_token}", SIGNED_IN),
    ("organisations.accept_invitation", "POST"): R("/organisations/invitations/{invitation_token}", {RESIDENT},
                                                   refused=(400, 403, 404)),
    ("organisations.review", "GET"): R("/admin/organisations", ADMINS),
    ("organisations.decide", "GET"): R("/admin/organisations/{unverified_organisation}", ADMINS),
    ("organisations.decide", "POST"): R("/admin/organisations/{unverified_organisation}", ADMINS),
    # --- Endorsements ------------------------------------------------------------------------------------------------
    ("endorsements.create", "GET"): R("/endorsements/new?target=proposal:{proposal}", {REP, REP_OTHER}),
    ("endorsements.create", "POST"): R("/endorsements/new?target=proposal:{proposal}", {REP, REP_OTHER}),
    ("endorsements.withdraw", "POST"): R("/endorsements/{endorsement}/withdraw", {REP}),
    # --- Action plans --------------------------------------------------------------------------------------------------
    ("plans.index", "GET"): R("/plans/", EVERYONE),
    ("plans.show", "GET"): R("/plans/{plan}", EVERYONE),
    ("plans.commitment", "GET"): R("/commitments/{commitment}", EVERYONE),
    ("plans.add_update", "GET"): R("/milestones/{milestone}/updates/new", FACILITATORS),
    ("plans.add_update", "POST"): R("/milestones/{milestone}/updates/new", FACILITATORS),
    ("plans.link_proposal", "POST"): R("/commitments/{commitment}/proposals", FACILITATORS),
    ("plans.unlink_proposal", "POST"): R("/commitments/{commitment}/proposals/{proposal}/unlink", FACILITATORS),
    ("plans.reports", "GET"): R("/plans/{plan}/reports", EVERYONE),
    ("plans.new_report", "GET"): R("/plans/{plan}/reports/new", FACILITATORS),
    ("plans.new_report", "POST"): R("/plans/{plan}/reports/new", FACILITATORS),
    ("plans.report", "GET"): R("/reports/{report}", EVERYONE),
    ("plans.report_json", "GET"): R("/reports/{report}.json", EVERYONE),
    ("plans.report_csv", "GET"): R("/reports/{report}.csv", EVERYONE),
    ("plans.cocreation", "GET"): R("/plans/{plan}/co-creation", EVERYONE),
    ("plans.edit_cocreation", "GET"): R("/plans/{plan}/co-creation/edit", FACILITATORS),
    ("plans.edit_cocreation", "POST"): R("/plans/{plan}/co-creation/edit", FACILITATORS),
    ("plans.cocreation_json", "GET"): R("/plans/{plan}/co-creation.json", EVERYONE),
    ("plans.create", "GET"): R("/plans/new", FACILITATORS),
    ("plans.create", "POST"): R("/plans/new", FACILITATORS),
    ("plans.edit", "GET"): R("/plans/{plan}/edit", FACILITATORS),
    ("plans.edit", "POST"): R("/plans/{plan}/edit", FACILITATORS),
    ("plans.publish", "POST"): R("/plans/{draft_plan}/publish", FACILITATORS),
    ("plans.new_commitment", "GET"): R("/plans/{plan}/commitments/new", FACILITATORS),
    ("plans.new_commitment", "POST"): R("/plans/{plan}/commitments/new", FACILITATORS),
    ("plans.edit_commitment", "GET"): R("/commitments/{commitment}/edit", FACILITATORS),
    ("plans.edit_commitment", "POST"): R("/commitments/{commitment}/edit", FACILITATORS),
    ("plans.delete_commitment", "POST"): R("/commitments/{commitment}/delete", FACILITATORS),
    ("plans.new_milestone", "GET"): R("/commitments/{commitment}/milestones/new", FACILITATORS),
    ("plans.new_milestone", "POST"): R("/commitments/{commitment}/milestones/new", FACILITATORS),
    ("plans.edit_milestone", "GET"): R("/milestones/{milestone}/edit", FACILITATORS),
    ("plans.edit_milestone", "POST"): R("/milestones/{milestone}/edit", FACILITATORS),
    ("plans.delete_milestone", "POST"): R("/milestones/{milestone}/delete", FACILITATORS),
    ("plans.add_partner", "POST"): R("/commitments/{commitment}/partners", FACILITATORS),
    ("plans.remove_partner", "POST"): R("/commitments/{commitment}/partners/{organisation}/remove", FACILITATORS),
    # --- Moderation -----------------------------------------------------------------------------------------------------
    ("moderation.flag", "GET"): R("/flag/proposal/{proposal}", SIGNED_IN - {AUTHOR}),  # not one's own words
    ("moderation.flag", "POST"): R("/flag/proposal/{proposal}", SIGNED_IN - {AUTHOR}),
    ("moderation.queue", "GET"): R("/moderation/", {MOD, FAC, FAC_OTHER, ADMIN}),
    ("moderation.item", "GET"): R("/moderation/proposal/{proposal}", {MOD, FAC, ADMIN}),
    ("moderation.act", "POST"): R("/moderation/proposal/{proposal}/hide", {MOD, FAC, ADMIN}),
    ("moderation.log", "GET"): R("/moderation/log", MODERATORS),
    # --- Notifications ----------------------------------------------------------------------------------------------------
    ("notifications.index", "GET"): R("/notifications/", SIGNED_IN),
    ("notifications.open", "GET"): R("/notifications/{notification}", {AUTHOR}),  # A's: nobody else's (IDOR)
    ("notifications.read_all", "POST"): R("/notifications/read", SIGNED_IN),
    ("notifications.settings", "GET"): R("/notifications/settings", SIGNED_IN),
    ("notifications.settings", "POST"): R("/notifications/settings", SIGNED_IN),
    # The link in A's email works without signing in, for whoever holds it.
    ("notifications.unsubscribe", "GET"): R("/notifications/unsubscribe/{unsubscribe_token}", EVERYONE),
    ("notifications.unsubscribe", "POST"): R("/notifications/unsubscribe/{unsubscribe_token}", EVERYONE),
    # --- The open-data API and the round's files ----------------------------------------------------------------------------
    ("api.openapi", "GET"): R("/api/v1/openapi.json", EVERYONE),
    ("api.rounds_list", "GET"): R("/api/v1/rounds", EVERYONE),
    ("api.round_detail", "GET"): R("/api/v1/rounds/{round}", EVERYONE),
    ("api.round_proposals", "GET"): R("/api/v1/rounds/{round}/proposals", EVERYONE),
    ("api.round_report", "GET"): R("/api/v1/rounds/{round}/report", EVERYONE),
    ("api.survey_results", "GET"): R("/api/v1/surveys/{survey}/results", EVERYONE),
    ("api.survey_texts", "GET"): R("/api/v1/surveys/{survey}/questions/{question}/texts", EVERYONE),
    ("api.plans_list", "GET"): R("/api/v1/plans", EVERYONE),
    ("api.plan_detail", "GET"): R("/api/v1/plans/{plan}", EVERYONE),
    ("api.organisations_list", "GET"): R("/api/v1/organisations", EVERYONE),
    ("api.endorsements_list", "GET"): R("/api/v1/endorsements?target=proposal:{proposal}", EVERYONE),
    ("api.proposal_detail", "GET"): R("/api/v1/proposals/{proposal}", EVERYONE),
    ("api.proposal_comments", "GET"): R("/api/v1/proposals/{proposal}/comments", EVERYONE),
    ("downloads.proposals_csv", "GET"): R("/rounds/{round}/proposals.csv", EVERYONE),
    ("downloads.comments_csv", "GET"): R("/rounds/{round}/comments.csv", EVERYONE),
}


# --- Walking -----------------------------------------------------------------------------------------


def _fill(url: str, world, fresh_kind: str | None) -> str:
    values = dict(world.ids)
    if fresh_kind:
        values["fresh"] = world.fresh(fresh_kind)
    return url.format(**values)


def _sent_to_sign_in(response) -> bool:
    """The answer to a visitor where signing in is needed: to the sign-in page, with the way back."""
    if response.status_code not in (301, 302, 303, 307):
        return False
    target = urlsplit(response.headers.get("Location", ""))
    return target.path == "/account/sign-in" and "next=" in target.query


class ServerError:
    """What a view that raised stands for: the test app lets exceptions through instead of answering 500."""

    status_code = 500
    headers: dict = {}

    def __init__(self, exc: Exception):
        self.exc = exc

    def get_data(self, as_text=False):
        return ""


def request_as(world, who: str, method: str, url: str, data=None):
    client = world.clients[who]
    try:
        if method == "GET":
            return client.get(url)
        return client.post(url, data={"csrf_token": world.tokens[who], **(data or {})})
    except Exception as exc:  # noqa: BLE001 - reported as the 500 it would be, and the walk goes on
        from engage.extensions import db

        with world.app.app_context():
            db.session.remove()
        return ServerError(exc)


def verdict(who: str, allowed: bool, method: str, response, refused=REFUSED) -> str | None:
    """None when the answer is what ``who`` should get, else what is wrong."""
    status = response.status_code
    where = f" → {response.headers.get('Location')}" if 300 <= status < 400 else ""
    if status >= 500:
        raised = getattr(response, "exc", None)
        return f"{who}: server error {status}" + (f" ({type(raised).__name__}: {raised})" if raised else "")
    if allowed:
        if status in NOT_ALLOWED or _sent_to_sign_in(response) or (status == 400 and method == "GET"):
            return f"{who}: allowed, but got {status}{where}"
        return None
    if status in refused or (who == ANON and _sent_to_sign_in(response)):
        return None
    return f"{who}: should be refused, but got {status}{where}"


def walk(world, method: str, url_template: str, allowed, *, fresh=None, data=None, refused=REFUSED,
         forbid=(), forbid_for=None, shown_to=frozenset()):
    """Every identity, the refused ones first; returns the problems found (empty when all is right).

    ``forbid``: words that must not be in the answer to ``forbid_for`` (default: anyone), and that must
    be in the answer to ``shown_to`` (so the page checked is one that would show them)."""
    problems = []
    order = [w for w in IDENTITIES if w not in allowed] + [w for w in IDENTITIES if w in allowed]
    for who in order:
        url = _fill(url_template, world, fresh)
        response = request_as(world, who, method, url, data)
        problem = verdict(who, who in allowed, method, response, refused)
        if problem:
            problems.append(f"{method} {url} {problem}")
        if forbid and (forbid_for is None or who in forbid_for):
            body = response.get_data(as_text=True)
            shown = [text for text in forbid if text in body]
            if shown:
                problems.append(f"{method} {url} {who}: shows {shown}")
        if who in shown_to:
            body = response.get_data(as_text=True)
            missing = [text for text in forbid if text not in body]
            if missing:
                problems.append(f"{method} {url} {who}: should show {missing} ({response.status_code})")
    return problems


def _rules(app) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_is_in_the_table(app):
    registered = _rules(app)
    missing = sorted(registered - set(TABLE))
    extra = sorted(set(TABLE) - registered)
    assert not missing and not extra, (
        "The route table of tests/security/test_route_table.py does not match app.url_map.\n"
        f"Routes with no entry (add who may use them): {missing}\n"
        f"Entries naming no route (remove them): {extra}")


def test_each_entry_addresses_its_own_route(app):
    """The address of each entry reaches the endpoint it is filed under (a typo would test another route)."""
    adapter = app.url_map.bind("localhost")
    wrong = []
    for (endpoint, method), route in TABLE.items():
        path = urlsplit(route.url.format_map(_AnyId())).path
        found, _args = adapter.match(path, method=method)
        if found != endpoint:
            wrong.append(f"{endpoint} {method}: {route.url} reaches {found}")
    assert not wrong, wrong


class _AnyId(dict):
    def __missing__(self, key):
        return "12"


@pytest.mark.parametrize("endpoint, method", sorted(TABLE), ids=[f"{e} {m}" for e, m in sorted(TABLE)])
def test_route(app, clock, endpoint, method):
    route = TABLE[(endpoint, method)]
    clock.to_phase(route.phase)
    world = build_world(app)
    problems = walk(world, method, route.url, route.allowed, fresh=route.fresh, data=route.data, refused=route.refused)
    assert not problems, "\n".join(problems)


# --- Objects not everyone may see, and other people's -------------------------------------------------------


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    allowed: frozenset
    forbid: tuple = ()  # words that must not be in the answer...
    forbid_for: frozenset | None = None  # ...to these identities (default: anyone)
    refused: tuple = REFUSED
    shown_to: frozenset = frozenset()  # and must be in the answer to these


def C(method, url, allowed, forbid=(), forbid_for=None, refused=REFUSED, shown_to=()) -> Case:
    forbid_for = frozenset(forbid_for) if forbid_for is not None else None
    if shown_to == "others":  # those the words are not kept from
        shown_to = EVERYONE - forbid_for
    return Case(method, url, frozenset(allowed), tuple(forbid), forbid_for, refused, frozenset(shown_to))


HIDDEN = (HIDDEN_TITLE, HIDDEN_BODY)
MEETING_DRAFTS = (DRAFT_MEETING_TITLE, DRAFT_ROUND_MEETING_TITLE)
SEES_HIDDEN_CONTENT = frozenset({MOD, FAC, ADMIN})  # moderation of round 1

OBJECT_CASES: dict[str, list[Case]] = {
    # B's proposal, hidden by moderation: its page, files and API answer are there, without its words.
    "hidden proposal": [
        C("GET", "/proposals/{hidden_proposal}", EVERYONE, HIDDEN + (HIDDEN_COMMENT,)),
        C("GET", "/rounds/{round}/proposals", EVERYONE, HIDDEN),
        C("GET", "/rounds/{round}", EVERYONE, HIDDEN),
        C("GET", "/api/v1/proposals/{hidden_proposal}", EVERYONE, HIDDEN),
        C("GET", "/api/v1/proposals/{hidden_proposal}/comments", EVERYONE, (HIDDEN_COMMENT,)),
        C("GET", "/api/v1/rounds/{round}/proposals", EVERYONE, HIDDEN),
        C("GET", "/api/v1/rounds/{round}/report?outcome=not_answered", EVERYONE, HIDDEN),
        C("GET", "/rounds/{round}/proposals.csv", EVERYONE, HIDDEN),
        C("GET", "/rounds/{round}/comments.csv", EVERYONE, (HIDDEN_COMMENT,)),
        C("GET", "/rounds/{round}/report.json", EVERYONE, HIDDEN),
        C("GET", "/rounds/{round}/report.csv", EVERYONE, HIDDEN),
        C("GET", "/rounds/{round}/report?outcome=not_answered", EVERYONE, HIDDEN),
        C("GET", "/flag/proposal/{hidden_proposal}", SIGNED_IN - {RESIDENT}, HIDDEN,
          forbid_for=EVERYONE - SEES_HIDDEN_CONTENT),
        C("GET", "/moderation/proposal/{hidden_proposal}", SEES_HIDDEN_CONTENT, HIDDEN, forbid_for=(),
          shown_to=SEES_HIDDEN_CONTENT),
        # Flagged in round 1: in the queue of its moderators and facilitators, not of another round's.
        C("GET", "/moderation/", {MOD, FAC, FAC_OTHER, ADMIN}, (HIDDEN_TITLE,), forbid_for={FAC_OTHER},
          shown_to=SEES_HIDDEN_CONTENT),
        # Not even its author edits it, nobody comments on it or supports it.
        C("GET", "/proposals/{hidden_proposal}/edit", NOBODY),
        C("POST", "/proposals/{hidden_proposal}/edit", NOBODY),
        C("GET", "/proposals/{hidden_proposal}/comments", NOBODY),
        C("POST", "/proposals/{hidden_proposal}/comments", NOBODY),
    ],
    "withdrawn proposal": [
        C("GET", "/proposals/{withdrawn_proposal}", EVERYONE),
        C("GET", "/api/v1/proposals/{withdrawn_proposal}", EVERYONE),
        C("GET", "/proposals/{withdrawn_proposal}/edit", NOBODY),
        C("POST", "/proposals/{withdrawn_proposal}/edit", NOBODY),
        C("POST", "/proposals/{withdrawn_proposal}/withdraw", NOBODY),
        C("GET", "/proposals/{withdrawn_proposal}/comments", NOBODY),
        C("POST", "/proposals/{withdrawn_proposal}/comments", NOBODY),
    ],
    # The draft round (run by the facilitator of round 1): its managers see it; elsewhere it is absent.
    "draft round": [
        C("GET", "/rounds/{draft_round}", ROUND_MANAGERS),
        C("GET", "/rounds/{draft_round}/manage", ROUND_MANAGERS),
        C("GET", "/rounds/{draft_round}/proposals", ROUND_MANAGERS),
        C("GET", "/proposals/{draft_proposal}", ROUND_MANAGERS),
        C("GET", "/proposals/{draft_proposal}/edit", NOBODY),  # its author no longer sees it
        C("GET", "/rounds/{draft_round}/documents/{draft_round_document}", ROUND_MANAGERS),
        # A document or a phase is looked up within the round named in the address.
        C("GET", "/rounds/{round}/documents/{draft_round_document}", NOBODY),
        C("GET", "/rounds/{round}/phases/{draft_phase}/edit", NOBODY),
        C("GET", "/rounds/{draft_round}/report", ROUND_MANAGERS),
        C("GET", "/rounds/{draft_round}/meetings.ics", ROUND_MANAGERS),
        C("GET", "/rounds/{draft_round}/comments", NOBODY),
        C("POST", "/rounds/{draft_round}/follow", NOBODY),
        C("GET", "/flag/proposal/{draft_proposal}", ROUND_MANAGERS),
        C("GET", "/meetings/{draft_round_meeting}", ROUND_MANAGERS),
        C("GET", "/meetings/{draft_round_meeting}.ics", ROUND_MANAGERS),
        C("POST", "/meetings/{draft_round_meeting}/register", NOBODY),
        # Files and the API are public: drafts are absent there, for everyone.
        C("GET", "/rounds/{draft_round}/report.csv", NOBODY),
        C("GET", "/rounds/{draft_round}/report.json", NOBODY),
        C("GET", "/rounds/{draft_round}/proposals.csv", NOBODY),
        C("GET", "/rounds/{draft_round}/comments.csv", NOBODY),
        C("GET", "/api/v1/rounds/{draft_round}", NOBODY),
        C("GET", "/api/v1/rounds/{draft_round}/proposals", NOBODY),
        C("GET", "/api/v1/rounds/{draft_round}/report", NOBODY),
        C("GET", "/api/v1/proposals/{draft_proposal}", NOBODY),
        C("GET", "/api/v1/proposals/{draft_proposal}/comments", NOBODY),
        C("GET", "/api/v1/endorsements?target=proposal:{draft_proposal}", NOBODY),
        C("GET", "/endorsements/new?target=proposal:{draft_proposal}", NOBODY),
        # Lists and calendars leave it out.
        C("GET", "/", EVERYONE, (DRAFT_ROUND_TITLE,) + MEETING_DRAFTS, forbid_for=EVERYONE - ROUND_MANAGERS),
        C("GET", "/rounds/", EVERYONE, (DRAFT_ROUND_TITLE,), forbid_for=EVERYONE - ROUND_MANAGERS, shown_to="others"),
        C("GET", "/open-data", EVERYONE, (DRAFT_ROUND_TITLE,)),
        C("GET", "/api/v1/rounds", EVERYONE, (DRAFT_ROUND_TITLE,)),
        C("GET", "/meetings/", EVERYONE, MEETING_DRAFTS),
        C("GET", "/forum/{forum}", EVERYONE, MEETING_DRAFTS),
        C("GET", "/forum/{forum}/meetings.ics", EVERYONE, MEETING_DRAFTS),
        # Organisation 1 endorsed the draft round's proposal while the round was public.
        C("GET", "/organisations/{organisation}", EVERYONE, (DRAFT_PROPOSAL_TITLE,)),
        C("GET", "/api/v1/endorsements?organisation={organisation}", EVERYONE, (DRAFT_PROPOSAL_TITLE,)),
    ],
    # A meeting of round 1 not published yet.
    "unpublished meeting": [
        C("GET", "/meetings/{draft_meeting}", ROUND_MANAGERS),
        C("GET", "/meetings/{draft_meeting}/edit", ROUND_MANAGERS),
        C("GET", "/meetings/{draft_meeting}/registrations.csv", ROUND_MANAGERS),
        C("GET", "/meetings/{draft_meeting}/documents/{draft_meeting_document}", ROUND_MANAGERS),
        C("GET", "/meetings/{draft_meeting}.ics", NOBODY),
        C("GET", "/meetings/{draft_meeting}/comments", NOBODY),
        C("POST", "/meetings/{draft_meeting}/register", NOBODY),
        C("GET", "/meetings/{draft_meeting}/record", NOBODY),
        # A meeting's document is looked up within the meeting named in the address.
        C("GET", "/meetings/{meeting}/documents/{draft_meeting_document}", NOBODY),
        C("GET", "/rounds/{round}", EVERYONE, (DRAFT_MEETING_TITLE, DRAFT_SURVEY_TITLE),
          forbid_for=EVERYONE - ROUND_MANAGERS, shown_to="others"),
        C("GET", "/rounds/{round}/meetings.ics", EVERYONE, MEETING_DRAFTS),
    ],
    # Organisation 3 waits for verification; R1 represents it.
    "unverified organisation": [
        C("GET", "/organisations/{unverified_organisation}", {REP, ADMIN}),
        C("GET", "/organisations/{unverified_organisation}/edit", {REP, ADMIN}),
        C("GET", "/organisations/{unverified_organisation}/representatives", {REP, ADMIN}),
        C("GET", "/organisations/", EVERYONE, (UNVERIFIED_NAME,), forbid_for=EVERYONE - {REP}, shown_to="others"),
        C("GET", "/api/v1/organisations", EVERYONE, (UNVERIFIED_NAME,)),
        C("GET", "/api/v1/endorsements?organisation={unverified_organisation}", NOBODY),
        C("GET", "/endorsements/new?target=proposal:{proposal}", {REP, REP_OTHER}, (UNVERIFIED_NAME,)),
        C("GET", "/forum/{forum}/members/new", FACILITATORS, (UNVERIFIED_NAME,)),
        C("GET", "/commitments/{commitment}", EVERYONE, (UNVERIFIED_NAME,)),
        C("GET", "/admin/organisations/{organisation}", ADMINS),
    ],
    "draft plan": [
        C("GET", "/plans/{draft_plan}", FACILITATORS),
        C("GET", "/commitments/{draft_commitment}", FACILITATORS),
        C("GET", "/milestones/{draft_milestone}/updates/new", FACILITATORS),
        C("GET", "/plans/{draft_plan}/reports", FACILITATORS),
        C("GET", "/reports/{draft_report}", FACILITATORS),
        C("GET", "/reports/{draft_report}.json", FACILITATORS),
        C("GET", "/reports/{draft_report}.csv", FACILITATORS),
        C("GET", "/plans/{draft_plan}/co-creation", FACILITATORS),
        C("GET", "/plans/{draft_plan}/co-creation.json", FACILITATORS),
        C("GET", "/commitments/{draft_commitment}/comments", NOBODY),
        C("GET", "/api/v1/plans/{draft_plan}", NOBODY),
        C("GET", "/endorsements/new?target=plan:{draft_plan}", NOBODY),
        C("GET", "/endorsements/new?target=commitment:{draft_commitment}", NOBODY),
        C("GET", "/plans/", EVERYONE, (DRAFT_PLAN_TITLE,), forbid_for=EVERYONE - FACILITATORS, shown_to="others"),
        C("GET", "/api/v1/plans", EVERYONE, (DRAFT_PLAN_TITLE,)),
    ],
    "draft survey and hidden answers": [
        C("GET", "/surveys/{draft_survey}", ROUND_MANAGERS),
        C("POST", "/surveys/{draft_survey}", NOBODY),
        C("GET", "/surveys/{draft_survey}/results", ROUND_MANAGERS),
        # The answers file is open data: none until the survey is published, for anyone.
        C("GET", "/surveys/{draft_survey}/results.csv", NOBODY),
        C("GET", "/surveys/{draft_survey}/questions/{draft_question}/answers", ROUND_MANAGERS),
        C("GET", "/api/v1/surveys/{draft_survey}/results", ROUND_MANAGERS),
        # A question is looked up within the survey named in the address.
        C("GET", "/surveys/{survey}/questions/{draft_question}/answers", NOBODY),
        C("GET", "/api/v1/surveys/{survey}/questions/{draft_question}/texts", NOBODY),
        C("GET", "/surveys/{survey}/questions/{question}/answers", EVERYONE, (HIDDEN_ANSWER,),
          forbid_for=EVERYONE - SEES_HIDDEN_CONTENT, shown_to="others"),
        C("GET", "/surveys/{survey}/questions/{draft_question}/edit", NOBODY),
        C("GET", "/surveys/{survey}/results", EVERYONE, (HIDDEN_ANSWER,)),
        C("GET", "/surveys/{survey}/results.csv", EVERYONE, (HIDDEN_ANSWER,)),
        C("GET", "/api/v1/surveys/{survey}/results", EVERYONE, (HIDDEN_ANSWER,)),
        C("GET", "/api/v1/surveys/{survey}/questions/{question}/texts", EVERYONE, (HIDDEN_ANSWER,)),
        # Each person sees their own answer only: B's is not shown to anyone else.
        C("GET", "/surveys/{survey}/my-answer", EVERYONE, ("More bicycle lanes",), forbid_for=EVERYONE - {RESIDENT},
          shown_to="others"),
        C("GET", "/surveys/{survey}/thanks", EVERYONE, ("More bicycle lanes",), forbid_for=EVERYONE - {RESIDENT}),
    ],
    # A's comment on round 1: others flag it, only A edits or deletes it; moderation is for moderators
    # and the round's facilitators.
    "other people's comment": [
        C("GET", "/flag/comment/{comment}", SIGNED_IN - {AUTHOR}),
        C("POST", "/flag/comment/{comment}", SIGNED_IN - {AUTHOR}),
        C("GET", "/moderation/comment/{comment}", {MOD, FAC, ADMIN}),
        C("POST", "/moderation/comment/{comment}/dismiss", {MOD, FAC, ADMIN}),
        C("POST", "/moderation/comment/{comment}/restore", {MOD, FAC, ADMIN}),
        C("GET", "/rounds/{round}/comments?parent={hidden_comment}", NOBODY),  # another discussion's comment
        # A's comment under B's hidden proposal is hidden with it: A may delete it, not edit it (nor see B's words).
        C("GET", "/comments/{hidden_comment}/edit", NOBODY, HIDDEN),
        C("POST", "/comments/{hidden_comment}/delete", {AUTHOR}),
    ],
}

CASE_GROUPS = sorted(OBJECT_CASES)


@pytest.mark.parametrize("group", CASE_GROUPS)
def test_objects_not_everyone_may_see(app, clock, group):
    clock.to_phase("call_for_proposals")
    world = build_world(app)
    problems = []
    for case in OBJECT_CASES[group]:
        problems += walk(world, case.method, case.url, case.allowed, refused=case.refused, forbid=case.forbid,
                         forbid_for=case.forbid_for, shown_to=case.shown_to)
    assert not problems, "\n".join(problems)


def test_support_is_refused_on_hidden_withdrawn_and_draft_round_proposals(app, clock):
    clock.to_phase("prioritisation")
    world = build_world(app)
    problems = []
    for name in ("hidden_proposal", "withdrawn_proposal"):
        problems += walk(world, "POST", "/proposals/{%s}/support" % name, NOBODY)
    problems += walk(world, "POST", "/proposals/{draft_proposal}/support", NOBODY)
    assert not problems, "\n".join(problems)


def test_the_table_and_the_cases_check_every_identity():
    """What the walk amounts to: every identity on every route, and on each object case."""
    checks = len(TABLE) * len(IDENTITIES) + sum(len(c) for c in OBJECT_CASES.values()) * len(IDENTITIES)
    assert len(IDENTITIES) == 9 and checks > 2000
    # Each allowed set names known identities only.
    known = set(IDENTITIES)
    assert all(route.allowed <= known for route in TABLE.values())
    assert all(case.allowed <= known for cases in OBJECT_CASES.values() for case in cases)
