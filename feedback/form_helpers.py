"""What every feature's forms share: choice lists, and the one GOV.UK date field.

``choices(pairs)`` turns (value, label) pairs into the ``SelectChoice`` objects WTForms
asks for (values as text, as they come back from the browser).

``GovDate`` is the one date field: day, month and year boxes (the GOV.UK date input)
read as one date, with one set of rules and messages wherever a date is entered:

- all three boxes empty: no date ("Enter ..." when the date is required, given as
  ``required``; nothing when it is optional);
- one or two boxes empty: "<Label> must include a day, month and year";
- not a date ("31 2 2026", "x"): "<Label> must be a real date, like 27 3 2026";
- ``past_only``: a date after today (``feedback.clock``): "<Label> must be today or in
  the past";
- ``earliest``: a date before it: "<Label> must be on or after <earliest>".

The label's " (optional)" is left out of the messages. Each message is one whole sentence
for translation, the label a named placeholder. A malformed post (fewer or more
than three values) is padded or cut to three boxes, so the page can show them again.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from . import clock

EXAMPLE = "27 3 2026"


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the ``SelectChoice`` objects WTForms asks for."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class _Required:
    """The date must be given; keeps a "must be a real date" error rather than
    replacing it with "Enter ..."."""

    def __init__(self, message: str):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(self.message)


def _optional(form, field):
    """An empty optional date is fine; a partly filled one keeps its error."""
    if not any(field.raw_data or ()):
        field.errors[:] = []
        raise StopValidation()


class GovDate(DateField):
    """A GOV.UK day/month/year date with the module's rules and messages."""

    def __init__(self, label=None, validators=None, *, required: str | None = None,
                 past_only: bool = False, earliest: date | None = None, **kwargs):
        kwargs.setdefault("widget", GovDateInput())
        kwargs.setdefault("format", "%d %m %Y")
        rules = [_Required(required) if required else _optional]
        super().__init__(label, rules + list(validators or []), **kwargs)
        self.past_only = past_only
        self.earliest = earliest

    @property
    def name_in_messages(self) -> str:
        return self.label.text.removesuffix(" (optional)")

    def process_formdata(self, valuelist):
        parts = [str(v).strip() for v in valuelist][:3]
        self.raw_data = parts + [""] * (3 - len(parts))
        if not any(self.raw_data):
            self.data = None
            return
        if not all(self.raw_data):
            self.data = None
            raise ValueError(_("%(label)s must include a day, month and year",
                               label=self.name_in_messages))
        try:
            super().process_formdata([" ".join(p.zfill(2) if i < 2 else p
                                                for i, p in enumerate(self.raw_data))])
        except ValueError:
            self.data = None
            raise ValueError(_("%(label)s must be a real date, like %(example)s",
                               label=self.name_in_messages, example=EXAMPLE)) from None

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None and len(self.raw_data or []) != 3:
            self.raw_data = ([str(v) for v in self.raw_data or []] + [""] * 3)[:3]

    def pre_validate(self, form):
        if self.process_errors:  # the one problem worth naming
            raise StopValidation()

    def post_validate(self, form, validation_stopped):
        if validation_stopped or self.errors or self.data is None:
            return
        if self.past_only and self.data > clock.today():
            self.errors.append(_("%(label)s must be today or in the past",
                                 label=self.name_in_messages))
        elif self.earliest is not None and self.data < self.earliest:
            self.errors.append(_("%(label)s must be on or after %(date)s",
                                 label=self.name_in_messages,
                                 date=f"{self.earliest:%-d %B %Y}"))
