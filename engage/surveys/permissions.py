"""Who may build, answer, read the results of and moderate a survey."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, is_signed_in, rule
from engage.rounds.permissions import manages_round


def _visible(survey) -> bool:
    return survey.is_published and survey.round.is_published


@rule("surveys.create")
def _create(user, round_) -> bool:
    return manages_round(user, round_)


@rule("surveys.edit")
def _edit(user, survey) -> bool:
    return manages_round(user, survey.round)


@rule("surveys.view")
def _view(user, survey) -> bool:
    # Drafts are seen only by the people who prepare them.
    return _visible(survey) or manages_round(user, survey.round)


@rule("surveys.answer")
def _answer(user, survey) -> bool:
    if not (_visible(survey) and survey.is_open):
        return False
    return is_signed_in(user) or survey.allow_anonymous


@rule("surveys.results")
def _results(user, survey) -> bool:
    if manages_round(user, survey.round):
        return True
    if not _visible(survey) or survey.status == "upcoming":
        return False
    return survey.results_visibility == "live" or survey.status == "closed"


@rule("surveys.moderate")
def _moderate(user, survey) -> bool:
    """Hide and restore free-text answers: moderators, admins and the round's facilitators."""
    return has_role(user, Role.MODERATOR) or manages_round(user, survey.round)
