"""The home page, static pages, the language switcher and the health check."""
