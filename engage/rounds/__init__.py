"""Consultation rounds: their texts, phases, documents, facilitators and followers."""

from engage.core.features import Feature

feature = Feature(
    name="rounds",
    registers=("engage.rounds.models", "engage.rounds.permissions"),
    blueprints=("engage.rounds.views:bp",),
    template_globals=(("phase_label", "engage.rounds.phases:phase_label"),),
    demo="engage.rounds.demo",
)
