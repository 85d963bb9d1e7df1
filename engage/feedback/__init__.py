"""Written answers to every proposal, the facilitators' queue, and the "how your input was used" report."""

from engage.core.features import Feature

feature = Feature(
    name="feedback",
    registers=("engage.feedback.models", "engage.feedback.permissions", "engage.feedback.sections"),
    blueprints=("engage.feedback.views:bp",),
    template_globals=(("outcome_label", "engage.proposals.outcomes:outcome_label"),),
    demo="engage.feedback.demo",
)
