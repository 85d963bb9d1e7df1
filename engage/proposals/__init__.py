"""Proposals in a round: writing, supporting, listing, searching."""

from engage.core.features import Feature

feature = Feature(
    name="proposals",
    registers=("engage.proposals.models", "engage.proposals.permissions", "engage.proposals.sections"),
    blueprints=("engage.proposals.views:bp",),
)
