"""The notification centre and people's email choices; it listens to the events features announce."""

from engage.core.features import Feature

feature = Feature(
    name="notifications",
    registers=("engage.notifications.models", "engage.notifications.handlers"),
    blueprints=("engage.notifications.views:bp",),
    commands=("engage.notifications.cli:outbox_cli",),
    context_processors=("engage.notifications.views:unread_notifications_context",),
)
