"""The multi-stakeholder forum: seats linked to a person's account, and forums they set up."""
from flask_babel import lazy_gettext as _l

from engage.forum.models import Forum, ForumMember
from engage.privacy.registry import records

records(Forum, Forum.created_by_id, ("id", "name", "created_at"), name="forums_created",
        description=_l("Forums you set up."))
# The seat is the forum's public record (its name and organisation as the facilitators entered them): it
# stays, no longer linked to the account.
records(ForumMember, ForumMember.user_id, ("forum_id", "name", "organisation_name", "sector", "role", "term_start",
                                           "term_end"),
        name="forum_membership", description=_l("Your seats on the multi-stakeholder forum."))
