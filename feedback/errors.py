"""Domain errors: the one home for what a service raises when it refuses.

- ``NotAllowed``: the acting user may not do this. The app answers 403 with the generic
  error page and writes an ``access.denied`` audit row (``feedback.security``), whichever
  service raised it; a route never needs to catch it.
- ``FieldError``: the request cannot be done as asked, and one form field is to blame.
  Raised as ``FieldError(message, field)`` (message first, always); each feature names its
  own subclass (``ModerationError``, ``AnswerError`` ...). ``show_on_form`` puts it on the form.
"""
from __future__ import annotations


class NotAllowed(Exception):
    """The acting user may not do this: a 403 page and an ``access.denied`` audit row."""


class FieldError(ValueError):
    """A refusal blamed on one form field: ``FieldError("Enter a name", "name")``."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def show_on_form(form, error: FieldError) -> None:
    """Add ``error``'s message to its field on a WTForms ``form`` (to the form's own list of
    errors when the field is not on that form), so the page shows it in the error summary."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors = [*getattr(form, "form_errors", []), str(error)]
