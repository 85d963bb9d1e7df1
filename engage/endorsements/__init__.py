"""Endorsements: a verified organisation stands behind a proposal, a commitment or an action plan."""

from engage.core.features import Feature

feature = Feature(
    name="endorsements",
    registers=(
        "engage.endorsements.models",
        "engage.endorsements.permissions",
        "engage.endorsements.targets",
        "engage.endorsements.sections",
    ),
    blueprints=("engage.endorsements.views:bp",),
)
