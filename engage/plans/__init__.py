"""Action plans in public: commitments, milestones, progress updates, reports, and the co-creation report."""

from engage.core.features import Feature

feature = Feature(
    name="plans",
    registers=("engage.plans.models", "engage.plans.permissions", "engage.plans.sections"),
    blueprints=("engage.plans.views:bp",),
    commands=("engage.plans.cli:plans_cli",),
    template_globals=(
        ("milestone_status_label", "engage.plans.kinds:milestone_status_label"),
        ("milestone_status_names", "engage.plans.kinds:milestone_status_names"),
        ("ogp_value_label", "engage.plans.kinds:ogp_value_label"),
        ("plan_status_label", "engage.plans.kinds:plan_status_label"),
    ),
    demo="engage.plans.demo",
)
