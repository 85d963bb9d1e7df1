"""The outcomes a reasoned response can give a proposal: kept on the proposal (its outcome column), written by feedback."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Outcome(str, enum.Enum):
    UNDER_EVALUATION = "under_evaluation"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    MERGED = "merged"
    NOT_ACCEPTED = "not_accepted"
    OUT_OF_SCOPE = "out_of_scope"

    @property
    def is_final(self) -> bool:
        return self is not Outcome.UNDER_EVALUATION


OUTCOME_LABELS = {
    Outcome.UNDER_EVALUATION: _l("Under evaluation"),
    Outcome.ACCEPTED: _l("Accepted"),
    Outcome.PARTIALLY_ACCEPTED: _l("Partially accepted"),
    Outcome.MERGED: _l("Merged into another proposal"),
    Outcome.NOT_ACCEPTED: _l("Not accepted"),
    Outcome.OUT_OF_SCOPE: _l("Out of scope"),
}
FINAL_OUTCOMES = tuple(o for o in Outcome if o.is_final)


def outcome_label(value: Outcome | str | None) -> str:
    if not value:
        return str(_l("Not yet answered"))
    return str(OUTCOME_LABELS[Outcome(value)])
