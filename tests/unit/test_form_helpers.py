"""The shared form helpers: ``choices`` and the one GOV.UK date field, its rules and
every message it gives."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from feedback import clock
from feedback.form_helpers import GovDate, choices


class Dates(Form):
    required = GovDate("Date of the meeting", required="Enter the date of the meeting")
    optional = GovDate("Next review date (optional)")
    gathered = GovDate("Date it was gathered", required="Enter the date it was gathered",
                       past_only=True, earliest=date(2000, 1, 1))


def _form(**boxes) -> Dates:
    data = MultiDict()
    for name, parts in {"required": ["5", "3", "2026"], "gathered": ["5", "3", "2020"],
                        **boxes}.items():
        for part in parts:
            data.add(name, part)
    return Dates(data)


def _errors(**boxes) -> dict:
    form = _form(**boxes)
    form.validate()
    return {k: v for k, v in form.errors.items()}


def test_a_whole_date_is_read_in_any_padding():
    form = _form(required=[" 5", "03 ", "2026"], optional=["1", "12", "2027"])
    assert form.validate(), form.errors
    assert form.required.data == date(2026, 3, 5) and form.optional.data == date(2027, 12, 1)


@pytest.mark.parametrize("boxes, field, message", [
    ({"required": ["", "", ""]}, "required", "Enter the date of the meeting"),
    ({"required": ["31", "2", "2026"]}, "required", "Date of the meeting must be a real date, "
                                                     "like 27 3 2026"),
    ({"required": ["x", "y", "z"]}, "required", "Date of the meeting must be a real date, "
                                                 "like 27 3 2026"),
    ({"required": ["5", "", "2026"]}, "required", "Date of the meeting must include a day, "
                                                  "month and year"),
    ({"optional": ["5", "3", ""]}, "optional", "Next review date must include a day, month "
                                               "and year"),
    ({"optional": ["32", "1", "2026"]}, "optional", "Next review date must be a real date, "
                                                    "like 27 3 2026"),
    ({"gathered": ["31", "12", "1999"]}, "gathered", "Date it was gathered must be on or after "
                                                     "1 January 2000"),
    ({"gathered": ["", "", ""]}, "gathered", "Enter the date it was gathered"),
])
def test_each_rule_has_one_clear_message(boxes, field, message):
    assert _errors(**boxes)[field] == [message]


def test_a_future_date_is_refused_only_where_the_date_is_in_the_past():
    tomorrow = clock.today() + timedelta(days=1)
    parts = [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]
    errors = _errors(gathered=parts, required=parts)
    assert errors == {"gathered": ["Date it was gathered must be today or in the past"]}


def test_an_empty_optional_date_is_no_error_and_no_date():
    form = _form(optional=["", "", ""])
    assert form.validate() and form.optional.data is None


@pytest.mark.parametrize("sent", [[], ["5"], ["5", "3", "2026", "extra"]])
def test_a_malformed_post_keeps_three_boxes(sent):
    form = _form(optional=sent)
    form.validate()
    assert len(form.optional.raw_data) == 3


def test_choices_are_text_values_with_labels():
    made = choices([(1, "One"), ("two", "Two")])
    assert [(c.value, c.label) for c in made] == [("1", "One"), ("two", "Two")]
