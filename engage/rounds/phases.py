"""Phase types and what each one lets residents do.

The phase in force is computed from the clock; every rule that depends on it
reads :data:`ALLOWED` through :func:`allows`, on the server.
"""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class PhaseType(str, enum.Enum):
    INFORMATION = "information"
    CALL_FOR_PROPOSALS = "call_for_proposals"
    DELIBERATION = "deliberation"
    PRIORITISATION = "prioritisation"
    DRAFTING = "drafting"
    FEEDBACK = "feedback"
    CLOSED = "closed"


class Action(str, enum.Enum):
    PROPOSE = "propose"
    COMMENT = "comment"
    SUPPORT = "support"


PHASE_LABELS = {
    PhaseType.INFORMATION: _l("Information"),
    PhaseType.CALL_FOR_PROPOSALS: _l("Call for proposals"),
    PhaseType.DELIBERATION: _l("Deliberation"),
    PhaseType.PRIORITISATION: _l("Prioritisation"),
    PhaseType.DRAFTING: _l("Drafting"),
    PhaseType.FEEDBACK: _l("Feedback"),
    PhaseType.CLOSED: _l("Closed"),
}

ALLOWED: dict[PhaseType, frozenset[Action]] = {
    PhaseType.INFORMATION: frozenset(),
    PhaseType.CALL_FOR_PROPOSALS: frozenset({Action.PROPOSE, Action.COMMENT}),
    PhaseType.DELIBERATION: frozenset({Action.COMMENT}),
    PhaseType.PRIORITISATION: frozenset({Action.SUPPORT}),
    PhaseType.DRAFTING: frozenset(),
    PhaseType.FEEDBACK: frozenset(),
    PhaseType.CLOSED: frozenset(),
}

ACTION_PHASES_TEXT = {
    Action.PROPOSE: _l("Proposals can be submitted only during the call for proposals."),
    Action.COMMENT: _l("Comments can be written only during the call for proposals and deliberation."),
    Action.SUPPORT: _l("Proposals can be supported only during prioritisation."),
}


def phase_label(phase_type: PhaseType | str) -> str:
    return str(PHASE_LABELS[PhaseType(phase_type)])


def allows(phase_type: PhaseType | str | None, action: Action) -> bool:
    if phase_type is None:
        return False
    return action in ALLOWED[PhaseType(phase_type)]
