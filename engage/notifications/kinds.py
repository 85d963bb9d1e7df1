"""The kinds of notification, and the sentence each one shows (written in the reader's language)."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

RESPONSE, REPLY, PHASE, MODERATION = "response", "reply", "phase", "moderation"
MEETING, ORGANISATION = "meeting", "organisation"

KIND_LABELS = {
    RESPONSE: _l("Answers to my proposals"),
    REPLY: _l("Replies to my comments"),
    PHASE: _l("Phase changes in rounds I follow"),
    MODERATION: _l("Moderation of what I wrote"),
    MEETING: _l("A place for me at a meeting"),
    ORGANISATION: _l("Verification of organisations I represent"),
}


def describe(kind: str, params: dict) -> str:
    """One sentence about what happened, for the list, the email subject and the email body."""
    from engage.proposals.outcomes import outcome_label
    from engage.rounds.phases import phase_label

    if kind == RESPONSE:
        if params.get("updated"):
            return _("The organisers updated their answer to your proposal “%(title)s”: %(outcome)s.",
                     title=params["title"], outcome=outcome_label(params["outcome"]))
        return _("The organisers answered your proposal “%(title)s”: %(outcome)s.",
                 title=params["title"], outcome=outcome_label(params["outcome"]))
    if kind == REPLY:
        return _("%(name)s replied to your comment.", name=params["name"])
    if kind == PHASE:
        return _("“%(round)s” is now in its “%(phase)s” phase.", round=params["round"], phase=phase_label(params["phase"]))
    if kind == MODERATION:
        proposal = params.get("what") == "proposal"
        if params.get("action") == "hide":
            if proposal:
                return _("Your proposal was hidden by moderation: %(reason)s", reason=params.get("reason", ""))
            return _("Your comment was hidden by moderation: %(reason)s", reason=params.get("reason", ""))
        return _("Your proposal is visible again.") if proposal else _("Your comment is visible again.")
    if kind == MEETING:
        return _("A place freed up: you are now registered for “%(title)s”.", title=params["title"])
    if kind == ORGANISATION:
        if params.get("decision") == "verified":
            return _("%(name)s is verified: it appears in the directory and can endorse.", name=params["name"])
        return _("The registration of %(name)s was not verified: %(reason)s", name=params["name"],
                 reason=params.get("reason", ""))
    return kind
