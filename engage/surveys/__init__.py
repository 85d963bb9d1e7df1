"""Surveys of a round: questions, answers, results and exports."""

from engage.core.features import Feature

feature = Feature(
    name="surveys",
    registers=("engage.surveys.models", "engage.surveys.permissions", "engage.surveys.sections"),
    blueprints=("engage.surveys.views:bp",),
    demo="engage.surveys.demo",
)
