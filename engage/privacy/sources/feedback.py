"""Written answers to proposals a person gave as a facilitator."""
from flask_babel import lazy_gettext as _l

from engage.feedback.models import ProposalResponse
from engage.privacy.registry import records

records(ProposalResponse, ProposalResponse.author_id, ("proposal_id", "outcome", "reason", "created_at"),
        name="answers_written", description=_l("Written answers to proposals you gave as a facilitator."))
