"""Return due dates count working days without the UK's bank holidays (England and Wales by
default, Scotland or Northern Ireland by RETURN_BANK_HOLIDAYS), and never fall on a weekend or
a bank holiday."""
from __future__ import annotations

from datetime import date

import pytest

from feedback.config import BANK_HOLIDAY_REGIONS, load_config
from feedback.returns import due as return_due
from tests.helpers import sign_in
from tests.web.returns_factories import contract_with_manager


def _due_on_page(app, made: dict, start: date) -> str:
    from feedback.extensions import db
    from feedback.models import User
    client = app.test_client()
    with app.app_context():
        manager = db.session.execute(db.select(User).filter_by(email=made["manager"])).scalar_one()
    assert sign_in(client, manager).status_code == 302
    page = client.get(f"/returns/{made['contract']}/{start.isoformat()}").get_data(as_text=True)
    return page.split(">Due</dt>", 1)[1].split("</dd>", 1)[0].rsplit(">", 1)[1]


def test_new_years_day_is_not_a_working_day_in_england_and_wales(app):
    # Q4 2025 ends on Wednesday 31 December; 1 January 2026 is a bank holiday, so the 20th
    # working day is Thursday 29 January (it was the 28th when bank holidays counted).
    made = contract_with_manager(app)
    assert _due_on_page(app, made, date(2025, 10, 1)) == "29 January 2026"


def test_scotland_also_takes_2_january(make_app, app):
    scottish = make_app(RETURN_BANK_HOLIDAYS="scotland")
    made = contract_with_manager(scottish)
    assert _due_on_page(scottish, made, date(2025, 10, 1)) == "30 January 2026"


def test_easter_is_taken_out_in_england_and_wales(app):
    # Q1 2026 ends on Tuesday 31 March; Good Friday (3 April) and Easter Monday (6 April) are
    # not working days, so the 20th is Thursday 30 April (it was Tuesday 28 April).
    made = contract_with_manager(app)
    assert _due_on_page(app, made, date(2026, 1, 1)) == "30 April 2026"


@pytest.mark.parametrize("region, start, days, due", [
    ("england-and-wales", date(2026, 12, 24), 1, date(2026, 12, 29)),  # Christmas, Boxing Day (observed)
    ("england-and-wales", date(2026, 12, 25), 0, date(2026, 12, 29)),  # on a bank holiday
    ("england-and-wales", date(2026, 4, 2), 1, date(2026, 4, 7)),  # Good Friday, Easter Monday
    ("scotland", date(2026, 4, 2), 1, date(2026, 4, 6)),  # no Easter Monday in Scotland
    ("northern-ireland", date(2026, 3, 16), 1, date(2026, 3, 18)),  # St Patrick's Day
    ("england-and-wales", date(2026, 3, 16), 1, date(2026, 3, 17)),
    ("england-and-wales", date(2026, 3, 13), 0, date(2026, 3, 13)),  # a working day stays
])
def test_working_days_skip_each_nations_bank_holidays(region, start, days, due):
    assert return_due.add_working_days(start, days, region) == due


def test_the_setting_is_checked_and_every_choice_is_known(tmp_path):
    assert set(BANK_HOLIDAY_REGIONS) == set(return_due.BANK_HOLIDAYS)
    assert load_config({}, str(tmp_path))["RETURN_BANK_HOLIDAYS"] == "england-and-wales"
    assert load_config({"RETURN_BANK_HOLIDAYS": "scotland"},
                       str(tmp_path))["RETURN_BANK_HOLIDAYS"] == "scotland"
    with pytest.raises(ValueError, match="RETURN_BANK_HOLIDAYS must be one of"):
        load_config({"RETURN_BANK_HOLIDAYS": "wales"}, str(tmp_path))


def test_no_working_days_means_due_on_the_first_working_day_after_the_period(make_app, app):
    # Q4 2025 ends on Wednesday 31 December and 1 January is a bank holiday: due Friday 2
    # January (0 is a setting, not "unset": the default 20 would give 29 January).
    prompt = make_app(RETURN_DUE_WORKING_DAYS=0)
    made = contract_with_manager(prompt)
    assert _due_on_page(prompt, made, date(2025, 10, 1)) == "2 January 2026"


@pytest.mark.parametrize("value", ["-1", "2.5", "twenty", "1e3", -3, True])
def test_the_working_days_setting_refuses_what_is_not_a_whole_number(tmp_path, value):
    environ = {"RETURN_DUE_WORKING_DAYS": value} if isinstance(value, str) else {}
    overrides = {} if isinstance(value, str) else {"RETURN_DUE_WORKING_DAYS": value}
    with pytest.raises(ValueError, match="RETURN_DUE_WORKING_DAYS must be a whole number of "
                                         "working days, 0 or more"):
        load_config(environ, str(tmp_path), overrides=overrides)


@pytest.mark.parametrize("environ, days", [({}, 20), ({"RETURN_DUE_WORKING_DAYS": ""}, 20),
                                           ({"RETURN_DUE_WORKING_DAYS": "0"}, 0),
                                           ({"RETURN_DUE_WORKING_DAYS": " 15 "}, 15)])
def test_the_working_days_setting_reads_whole_numbers(tmp_path, environ, days):
    config = load_config(environ, str(tmp_path))
    assert config["RETURN_DUE_WORKING_DAYS"] == days
    assert return_due.working_days_of(config) == days
