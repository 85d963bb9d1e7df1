"""The audit log: who did what privileged thing, to which object, when and from where."""

from engage.core.features import Feature

feature = Feature(
    name="audit",
    registers=("engage.audit.models", "engage.audit.permissions"),
    blueprints=("engage.audit.views:bp",),
    commands=("engage.audit.cli:audit_cli",),
)
