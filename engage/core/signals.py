"""Events that features announce, so others (notifications) can react without being called directly.

Receivers run inside the request, in the same transaction as the event.
"""
from blinker import Namespace

_signals = Namespace()

# sender: the ProposalResponse just given; kwargs: proposal, updated (bool: an earlier answer existed)
proposal_answered = _signals.signal("proposal-answered")
# sender: the new reply; kwargs: parent (the comment answered), path (the reply's address on the site)
comment_replied = _signals.signal("comment-replied")
# sender: the proposal or comment; kwargs: action ("hide" or "restore"), reason, path (its page's address)
content_moderated = _signals.signal("content-moderated")
# sender: the organisation; kwargs: decision ("verified" or "rejected"), reason
organisation_decided = _signals.signal("organisation-decided")
# sender: the meeting registration just moved from the waitlist to a seat; kwargs: meeting
registration_promoted = _signals.signal("registration-promoted")
