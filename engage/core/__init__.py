"""What every feature shares: permissions, sanitising, pagination, time and locale helpers."""

from engage.core.features import Feature

feature = Feature(
    name="core",
    registers=("engage.core.health", "engage.core.outbox"),
    commands=("engage.core.exports:exports_cli", "engage.core.summaries:summaries_cli"),
    template_globals=(
        ("can", "engage.core.permissions:can"),
        ("role_label", "engage.core.permissions:role_label"),
        ("page_url", "engage.core.pagination:page_url"),
        ("language_choices", "engage.core.i18n:language_choices"),
        ("language_name", "engage.core.i18n:language_name"),
        ("district_label", "engage.core.districts:district_label"),
    ),
    template_filters=(
        ("datetime", "engage.core.time:format_datetime"),
        ("markdown", "engage.core.markdown:render_markdown"),
    ),
    context_processors=("engage.core.i18n:current_locale_context",),
)
