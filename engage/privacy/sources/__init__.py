"""What each feature keeps about a person, one module per feature (registered when imported).

These modules are the features' own description of their personal data; they live here until each
feature package carries its own (the planned "features register what they bring")."""

from engage.privacy.sources import (  # noqa: F401  (each registers its entries)
    audit,
    auth,
    comments,
    endorsements,
    feedback,
    forum,
    meetings,
    moderation,
    notifications,
    organisations,
    plans,
    proposals,
    rounds,
    surveys,
)
