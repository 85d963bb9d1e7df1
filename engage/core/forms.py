"""Form pieces every feature shares."""
from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class ActionForm(FlaskForm):
    """A button that changes something (publish, delete, follow): only the CSRF token is checked."""

    @classmethod
    def lazy(cls) -> "LazyForm":
        return LazyForm(cls)


class LazyForm:
    """A form built the first time a template uses it.

    Building a Flask-WTF form puts a CSRF token in the session. Pages pass their action buttons'
    form to templates that render it only for people who may act; visitors, who never see those
    buttons, then get a page without a token of theirs, which the page cache can share.
    """

    def __init__(self, form_class, *args, **kwargs):
        self._make = lambda: form_class(*args, **kwargs)
        self._form = None

    def __getattr__(self, name):
        if self._form is None:
            self._form = self._make()
        return getattr(self._form, name)


class CheckboxList(SelectMultipleField):
    """Several choices shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def check_action_form() -> None:
    """Refuse a button press whose form did not come from this site (or has expired)."""
    if not ActionForm().validate_on_submit():
        abort(400)


# --- Texts written in several languages ----------------------------------------------------

def add_locale_fields(form_class, name: str, make_field) -> None:
    """Give ``form_class`` one field per language, ``<name>_<locale>``, each made by ``make_field()``."""
    from engage.core.i18n import LANGUAGE_NAMES

    for code in LANGUAGE_NAMES:
        setattr(form_class, f"{name}_{code}", make_field())


def locale_texts(form, name: str) -> dict[str, str]:
    """``{locale: text}`` from the ``<name>_<locale>`` fields."""
    from engage.core.i18n import LANGUAGE_NAMES

    return {code: (form[f"{name}_{code}"].data or "").strip() for code in LANGUAGE_NAMES}


def fill_locale_texts(form, name: str, texts: dict | None) -> None:
    for code, value in (texts or {}).items():
        if f"{name}_{code}" in form:
            form[f"{name}_{code}"].data = value


def put_error(form, field_name: str | None, message: str) -> None:
    """Show a service's refusal next to its field (or above the form when it names none)."""
    if field_name and field_name in form:
        form[field_name].errors = list(form[field_name].errors) + [message]
    else:
        form.form_errors.append(message)


class WebAddress:
    """A full http:// or https:// address (other schemes, such as javascript:, are refused)."""

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        from flask_babel import lazy_gettext as _l
        from wtforms.validators import URL, ValidationError

        value = (field.data or "").strip()
        if not value:
            return
        message = self.message or _l("Enter a full web address starting with https://.")
        if not value.lower().startswith(("http://", "https://")):
            raise ValidationError(message)
        URL(require_tld=False, message=message)(form, field)
