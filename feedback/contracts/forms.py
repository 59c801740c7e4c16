"""Forms for the register, reviews and agreed actions (GOV.UK widgets, CSRF on).

Choices that come from the database are set by the route (``set_choices``)
before validation, so an unknown id is refused by the form itself.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextArea, GovTextInput
from wtforms import (DecimalField, RadioField, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..form_helpers import GovDate, choices
from ..i18n import lazy_gettext as _l
from ..widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from ..models.contracts import ACTION_STATUSES, KPI_DIRECTIONS, REVIEW_FREQUENCIES
from .register import VIEWS


class Number(DecimalField):
    """A decimal whose "not a number" message follows GOV.UK style."""

    def __init__(self, label=None, validators=None, invalid=_l("Enter a number"), **kwargs):
        kwargs.setdefault("widget", GovTextInput())
        super().__init__(label, validators, **kwargs)
        self.invalid = invalid

    def process_formdata(self, valuelist):
        cleaned = [str(v).replace(",", "").replace("£", "").strip() for v in valuelist]
        try:
            super().process_formdata(cleaned)
        except ValueError as exc:
            raise ValueError(self.invalid) from exc
        if isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.invalid)


def _date(label: str, required: str | None = None, hint: str = _l("For example, 27 3 2026")):
    return GovDate(label, required=required, description=hint)


def optional_date(label: str, hint: str) -> GovDate:
    """A date that may be left empty (a partly filled one is an error)."""
    return _date(label, hint=hint)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search by reference, title or provider"), widget=GovTextInput(),
                    validators=[Optional(), Length(max=100)])
    provider = SelectField(_l("Provider"), widget=GovSelect(), validators=[Optional()])
    area = SelectField(_l("Thematic area"), widget=GovSelect(), validators=[Optional()])
    view = SelectField(_l("Show"), widget=GovSelect(), choices=choices((k, _l(v)) for k, v in VIEWS.items()),
                       validators=[Optional()])
    submit = SubmitField(_l("Apply filters"), widget=GovSubmitInput())


class ContractForm(FlaskForm):
    reference = StringField(_l("Contract reference"), widget=GovTextInput(), validators=[
        DataRequired(_l("Enter the contract reference")),
        Length(max=40, message=_l("Contract reference must be 40 characters or fewer"))])
    title = StringField(_l("Title"), widget=GovTextInput(), validators=[
        DataRequired(_l("Enter the contract title")),
        Length(max=200, message=_l("Title must be 200 characters or fewer"))])
    provider_id = SelectField(_l("Provider"), widget=GovSelect(), coerce=int,
                              invalid_choice_message=_l("Select the provider"),
                              validators=[DataRequired(_l("Select the provider"))])
    service_ids = SelectMultipleField(_l("Services covered"), widget=GovCheckboxesInput(),
                                      coerce=int, invalid_choice_message=_l("Select services from the list"),
                                      validators=[DataRequired(_l("Select at least one service"))])
    annual_value = Number(_l("Annual value in pounds"), places=2,
                          invalid=_l("Enter the annual value as a number, like 250000"),
                                validators=[InputRequired(_l("Enter the annual value")),
                                            NumberRange(min=0, max=Decimal("999999999999"),
                                                        message=_l("Annual value must be £0 or more"))])
    start_date = _date(_l("Start date"), _l("Enter the start date"))
    end_date = _date(_l("End date"), _l("Enter the end date"))
    extension_options = StringField(_l("Extension options (optional)"), widget=GovTextInput(),
                                    description=_l("For example, up to 2 x 12 months"),
                                    validators=[Optional(), Length(max=200, message=(
                                        _l("Extension options must be 200 characters or fewer")))])
    review_frequency = RadioField(_l("Review frequency"), widget=GovRadioInput(),
                                  choices=choices((k, _l(v)) for k, v in REVIEW_FREQUENCIES.items()), default="quarterly",
                                  invalid_choice_message=_l("Select the review frequency"),
                                  validators=[DataRequired(_l("Select the review frequency"))])
    next_review_date = _date(_l("Next review date (optional)"))
    contract_manager_id = SelectField(_l("Contract manager"), widget=GovSelect(), coerce=int,
                                      invalid_choice_message=_l("Select the contract manager"),
                                      validators=[Optional()])
    notes = TextAreaField(_l("Notes (optional)"), widget=GovCharacterCount(),
                          validators=[Optional(), Length(max=2000, message=(
                              _l("Notes must be 2,000 characters or fewer")))])
    submit = SubmitField(_l("Save contract"), widget=GovSubmitInput())

    def set_choices(self, providers, services, managers):
        self.provider_id.choices = choices([(0, _l("Select a provider"))]
                                          + [(p.id, p.name) for p in providers])
        self.service_ids.choices = choices((s.id, s.name) for s in services)
        self.contract_manager_id.choices = choices([(0, _l("No contract manager"))]
                                                   + [(u.id, u.name) for u in managers])


class KpiForm(FlaskForm):
    name = StringField(_l("KPI"), widget=GovTextInput(), validators=[
        DataRequired(_l("Enter the KPI name")),
        Length(max=200, message=_l("KPI name must be 200 characters or fewer"))])
    target = Number(_l("Target"), invalid=_l("Enter the target as a number"), validators=[
        InputRequired(_l("Enter the target as a number"))])
    unit = StringField(_l("Unit (optional)"), widget=GovTextInput(), default="%",
                       description=_l("For example, %, days or people"),
                       validators=[Optional(), Length(max=40, message=(
                           _l("Unit must be 40 characters or fewer")))])
    direction = RadioField(_l("Which is better?"), widget=GovRadioInput(),
                           choices=choices((k, _l(v)) for k, v in KPI_DIRECTIONS.items()), default="higher",
                           invalid_choice_message=_l("Select which is better"),
                           validators=[DataRequired(_l("Select which is better"))])
    amber_tolerance = Number(
        _l("Amber tolerance, as a percentage of the target"), default=10,
        invalid=_l("Enter the amber tolerance as a number"),
        description=_l("How far short of the target is amber rather than red. For example, 10"),
        validators=[InputRequired(_l("Enter the amber tolerance as a number")),
                    NumberRange(min=0, max=100,
                                message=_l("Amber tolerance must be between 0 and 100"))])
    submit = SubmitField(_l("Add KPI"), widget=GovSubmitInput())


class StartReviewForm(FlaskForm):
    period = RadioField(_l("Which period is the review for?"), widget=GovRadioInput(),
                        invalid_choice_message=_l("Select the period"),
                        validators=[DataRequired(_l("Select the period"))])
    submit = SubmitField(_l("Start review"), widget=GovSubmitInput())


class HoldForm(FlaskForm):
    meeting_date = _date(_l("Date of the meeting"), _l("Enter the date of the meeting"))
    notes = TextAreaField(_l("Meeting notes (optional)"), widget=GovCharacterCount(),
                          validators=[Optional(), Length(max=5000, message=(
                              _l("Meeting notes must be 5,000 characters or fewer")))])
    submit = SubmitField(_l("Record meeting as held"), widget=GovSubmitInput())


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Why are you re-opening this review?"), widget=GovCharacterCount(),
                           description=_l("This is kept in the audit log with your name"),
                           validators=[DataRequired(_l("Enter why you are re-opening this review")),
                                       Length(max=2000, message=(
                                           _l("The reason must be 2,000 characters or fewer")))])
    submit = SubmitField(_l("Re-open the review and discard the frozen pack"),
                         widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = TextAreaField(_l("What was agreed"), widget=GovCharacterCount(), validators=[
        DataRequired(_l("Enter what was agreed")),
        Length(max=2000, message=_l("What was agreed must be 2,000 characters or fewer"))])
    owner = StringField(_l("Owner"), widget=GovTextInput(),
                        description=_l("The person or organisation doing it"), validators=[
                            DataRequired(_l("Enter who owns the action")),
                            Length(max=200, message=_l("Owner must be 200 characters or fewer"))])
    due_date = _date(_l("Due date"), _l("Enter the due date"))
    theme_ids = SelectMultipleField(_l("Themes this action answers (optional)"),
                                    widget=GovCheckboxesInput(), coerce=int,
                                    invalid_choice_message=_l("Select themes from the list"),
                                    validators=[Optional()])
    card_ids = SelectMultipleField(_l("Action cards this action answers (optional)"),
                                   widget=GovCheckboxesInput(), coerce=int,
                                   invalid_choice_message=_l("Select cards from the list"),
                                   description=_l("These cards move to \"action planned\""),
                                   validators=[Optional()])
    message_to_young_people = TextAreaField(
        _l("What young people will be told (needed if you select cards)"), widget=GovCharacterCount(),
        description=_l("Plain words, shown on the young person's track page"),
        validators=[Optional(), Length(max=1000, message=(
            _l("What young people will be told must be 1,000 characters or fewer")))])
    submit = SubmitField(_l("Save action"), widget=GovSubmitInput())


def _mark_cards_done() -> RadioField:
    """Closing an action offers to close its linked cards too (status page and decision)."""
    return RadioField(
        _l("Mark the linked action cards as done?"), widget=GovRadioInput(),
        choices=choices([("yes", _l("Yes, and send young people a \"you said, we did\" answer")),
                         ("no", _l("No, leave the cards as they are"))]), default="no",
        invalid_choice_message=_l("Select yes or no"), validators=[Optional()])


def _you_said_answer() -> TextAreaField:
    return TextAreaField(_l("\"You said, we did\" answer"), widget=GovCharacterCount(),
                         validators=[Optional(), Length(max=1000, message=(
                             _l("The answer must be 1,000 characters or fewer")))])


class ActionStatusForm(FlaskForm):
    status = RadioField(_l("Status"), widget=GovRadioInput(),
                        choices=choices((k, _l(v)) for k, v in ACTION_STATUSES.items()),
                        invalid_choice_message=_l("Select the status"),
                        validators=[DataRequired(_l("Select the status"))])
    mark_cards_done = _mark_cards_done()
    response = _you_said_answer()
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class CompletionDecisionForm(FlaskForm):
    """A commissioner's answer to a provider's "completed"."""

    decision = RadioField(_l("Is the action completed?"), widget=GovRadioInput(),
                          choices=choices([("accept", _l("Yes, accept: the action is done")),
                                           ("reject", _l("No, not yet: it goes back to the "
                                                      "provider"))]),
                          invalid_choice_message=_l("Select whether you accept it"),
                          validators=[DataRequired(_l("Select whether you accept it"))])
    reason = TextAreaField(_l("Reason"), widget=GovTextArea(),
                           description=_l("Needed if you do not accept it: the provider sees it"),
                           validators=[Optional(), Length(max=1000, message=(
                               _l("The reason must be 1,000 characters or fewer")))])
    mark_cards_done = _mark_cards_done()
    response = _you_said_answer()
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())


def kpi_returns_form(kpis, returns: dict):
    """A form with a value and a commentary field per KPI (fields ``value_<id>``)."""
    class KpiReturnsForm(FlaskForm):
        submit = SubmitField(_l("Save KPI returns"), widget=GovSubmitInput())

    for kpi in kpis:
        ret = returns.get(kpi.id)
        unit = f" ({kpi.unit})" if kpi.unit else ""
        setattr(KpiReturnsForm, f"value_{kpi.id}", Number(
            f"{kpi.name}{unit}", invalid=_("Enter the value for %(name)s as a number",
                                           name=kpi.name),
            description=_("Target %(target)s. Leave empty if not reported",
                          target=format(kpi.target.normalize(), "f") + (kpi.unit or "")),
            default=ret.value if ret else None,
            validators=[Optional()]))
        setattr(KpiReturnsForm, f"commentary_{kpi.id}", TextAreaField(
            _("Commentary on %(name)s (optional)", name=kpi.name), widget=GovTextArea(),
            default=ret.commentary if ret else None,
            validators=[Optional(), Length(max=2000, message=(
                _l("Commentary must be 2,000 characters or fewer")))]))
    return KpiReturnsForm()
