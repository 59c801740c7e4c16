"""Forms for the register, reviews and agreed actions (GOV.UK widgets, CSRF on).

Choices that come from the database are set by the route (``set_choices``)
before validation, so an unknown id is refused by the form itself.
"""
from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextArea, GovTextInput
from wtforms import (DecimalField, RadioField, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..form_helpers import GovDate, choices
from ..widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from ..models.contracts import ACTION_STATUSES, KPI_DIRECTIONS, REVIEW_FREQUENCIES
from .register import VIEWS


class Number(DecimalField):
    """A decimal whose "not a number" message follows GOV.UK style."""

    def __init__(self, label=None, validators=None, invalid="Enter a number", **kwargs):
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


def _date(label: str, required: str | None = None, hint: str = "For example, 27 3 2026"):
    return GovDate(label, required=required, description=hint)


def optional_date(label: str, hint: str) -> GovDate:
    """A date that may be left empty (a partly filled one is an error)."""
    return _date(label, hint=hint)


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField("Search by reference, title or provider", widget=GovTextInput(),
                    validators=[Optional(), Length(max=100)])
    provider = SelectField("Provider", widget=GovSelect(), validators=[Optional()])
    area = SelectField("Thematic area", widget=GovSelect(), validators=[Optional()])
    view = SelectField("Show", widget=GovSelect(), choices=choices(VIEWS.items()),
                       validators=[Optional()])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class ContractForm(FlaskForm):
    reference = StringField("Contract reference", widget=GovTextInput(), validators=[
        DataRequired("Enter the contract reference"),
        Length(max=40, message="Contract reference must be 40 characters or fewer")])
    title = StringField("Title", widget=GovTextInput(), validators=[
        DataRequired("Enter the contract title"),
        Length(max=200, message="Title must be 200 characters or fewer")])
    provider_id = SelectField("Provider", widget=GovSelect(), coerce=int,
                              invalid_choice_message="Select the provider",
                              validators=[DataRequired("Select the provider")])
    service_ids = SelectMultipleField("Services covered", widget=GovCheckboxesInput(),
                                      coerce=int, invalid_choice_message="Select services from the list",
                                      validators=[DataRequired("Select at least one service")])
    annual_value = Number("Annual value in pounds", places=2,
                          invalid="Enter the annual value as a number, like 250000",
                                validators=[InputRequired("Enter the annual value"),
                                            NumberRange(min=0, max=Decimal("999999999999"),
                                                        message="Annual value must be £0 or more")])
    start_date = _date("Start date", "Enter the start date")
    end_date = _date("End date", "Enter the end date")
    extension_options = StringField("Extension options (optional)", widget=GovTextInput(),
                                    description="For example, up to 2 x 12 months",
                                    validators=[Optional(), Length(max=200, message=(
                                        "Extension options must be 200 characters or fewer"))])
    review_frequency = RadioField("Review frequency", widget=GovRadioInput(),
                                  choices=choices(REVIEW_FREQUENCIES.items()), default="quarterly",
                                  invalid_choice_message="Select the review frequency",
                                  validators=[DataRequired("Select the review frequency")])
    next_review_date = _date("Next review date (optional)")
    contract_manager_id = SelectField("Contract manager", widget=GovSelect(), coerce=int,
                                      invalid_choice_message="Select the contract manager",
                                      validators=[Optional()])
    notes = TextAreaField("Notes (optional)", widget=GovCharacterCount(),
                          validators=[Optional(), Length(max=2000, message=(
                              "Notes must be 2,000 characters or fewer"))])
    submit = SubmitField("Save contract", widget=GovSubmitInput())

    def set_choices(self, providers, services, managers):
        self.provider_id.choices = choices([(0, "Select a provider")]
                                          + [(p.id, p.name) for p in providers])
        self.service_ids.choices = choices((s.id, s.name) for s in services)
        self.contract_manager_id.choices = choices([(0, "No contract manager")]
                                                   + [(u.id, u.name) for u in managers])


class KpiForm(FlaskForm):
    name = StringField("KPI", widget=GovTextInput(), validators=[
        DataRequired("Enter the KPI name"),
        Length(max=200, message="KPI name must be 200 characters or fewer")])
    target = Number("Target", invalid="Enter the target as a number", validators=[
        InputRequired("Enter the target as a number")])
    unit = StringField("Unit (optional)", widget=GovTextInput(), default="%",
                       description="For example, %, days or people",
                       validators=[Optional(), Length(max=40, message=(
                           "Unit must be 40 characters or fewer"))])
    direction = RadioField("Which is better?", widget=GovRadioInput(),
                           choices=choices(KPI_DIRECTIONS.items()), default="higher",
                           invalid_choice_message="Select which is better",
                           validators=[DataRequired("Select which is better")])
    amber_tolerance = Number(
        "Amber tolerance, as a percentage of the target", default=10,
        invalid="Enter the amber tolerance as a number",
        description="How far short of the target is amber rather than red. For example, 10",
        validators=[InputRequired("Enter the amber tolerance as a number"),
                    NumberRange(min=0, max=100,
                                message="Amber tolerance must be between 0 and 100")])
    submit = SubmitField("Add KPI", widget=GovSubmitInput())


class StartReviewForm(FlaskForm):
    period = RadioField("Which period is the review for?", widget=GovRadioInput(),
                        invalid_choice_message="Select the period",
                        validators=[DataRequired("Select the period")])
    submit = SubmitField("Start review", widget=GovSubmitInput())


class HoldForm(FlaskForm):
    meeting_date = _date("Date of the meeting", "Enter the date of the meeting")
    notes = TextAreaField("Meeting notes (optional)", widget=GovCharacterCount(),
                          validators=[Optional(), Length(max=5000, message=(
                              "Meeting notes must be 5,000 characters or fewer"))])
    submit = SubmitField("Record meeting as held", widget=GovSubmitInput())


class ReopenForm(FlaskForm):
    reason = TextAreaField("Why are you re-opening this review?", widget=GovCharacterCount(),
                           description="This is kept in the audit log with your name",
                           validators=[DataRequired("Enter why you are re-opening this review"),
                                       Length(max=2000, message=(
                                           "The reason must be 2,000 characters or fewer"))])
    submit = SubmitField("Re-open the review and discard the frozen pack",
                         widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = TextAreaField("What was agreed", widget=GovCharacterCount(), validators=[
        DataRequired("Enter what was agreed"),
        Length(max=2000, message="What was agreed must be 2,000 characters or fewer")])
    owner = StringField("Owner", widget=GovTextInput(),
                        description="The person or organisation doing it", validators=[
                            DataRequired("Enter who owns the action"),
                            Length(max=200, message="Owner must be 200 characters or fewer")])
    due_date = _date("Due date", "Enter the due date")
    theme_ids = SelectMultipleField("Themes this action answers (optional)",
                                    widget=GovCheckboxesInput(), coerce=int,
                                    invalid_choice_message="Select themes from the list",
                                    validators=[Optional()])
    card_ids = SelectMultipleField("Action cards this action answers (optional)",
                                   widget=GovCheckboxesInput(), coerce=int,
                                   invalid_choice_message="Select cards from the list",
                                   description="These cards move to \"action planned\"",
                                   validators=[Optional()])
    message_to_young_people = TextAreaField(
        "What young people will be told (needed if you select cards)", widget=GovCharacterCount(),
        description="Plain words, shown on the young person's track page",
        validators=[Optional(), Length(max=1000, message=(
            "What young people will be told must be 1,000 characters or fewer"))])
    submit = SubmitField("Save action", widget=GovSubmitInput())


def _mark_cards_done() -> RadioField:
    """Closing an action offers to close its linked cards too (status page and decision)."""
    return RadioField(
        "Mark the linked action cards as done?", widget=GovRadioInput(),
        choices=choices([("yes", "Yes, and send young people a \"you said, we did\" answer"),
                         ("no", "No, leave the cards as they are")]), default="no",
        invalid_choice_message="Select yes or no", validators=[Optional()])


def _you_said_answer() -> TextAreaField:
    return TextAreaField("\"You said, we did\" answer", widget=GovCharacterCount(),
                         validators=[Optional(), Length(max=1000, message=(
                             "The answer must be 1,000 characters or fewer"))])


class ActionStatusForm(FlaskForm):
    status = RadioField("Status", widget=GovRadioInput(), choices=choices(ACTION_STATUSES.items()),
                        invalid_choice_message="Select the status",
                        validators=[DataRequired("Select the status")])
    mark_cards_done = _mark_cards_done()
    response = _you_said_answer()
    submit = SubmitField("Save", widget=GovSubmitInput())


class CompletionDecisionForm(FlaskForm):
    """A commissioner's answer to a provider's "completed"."""

    decision = RadioField("Is the action completed?", widget=GovRadioInput(),
                          choices=choices([("accept", "Yes, accept: the action is done"),
                                           ("reject", "No, not yet: it goes back to the "
                                                      "provider")]),
                          invalid_choice_message="Select whether you accept it",
                          validators=[DataRequired("Select whether you accept it")])
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           description="Needed if you do not accept it: the provider sees it",
                           validators=[Optional(), Length(max=1000, message=(
                               "The reason must be 1,000 characters or fewer"))])
    mark_cards_done = _mark_cards_done()
    response = _you_said_answer()
    submit = SubmitField("Save decision", widget=GovSubmitInput())


def kpi_returns_form(kpis, returns: dict):
    """A form with a value and a commentary field per KPI (fields ``value_<id>``)."""
    class KpiReturnsForm(FlaskForm):
        submit = SubmitField("Save KPI returns", widget=GovSubmitInput())

    for kpi in kpis:
        ret = returns.get(kpi.id)
        unit = f" ({kpi.unit})" if kpi.unit else ""
        setattr(KpiReturnsForm, f"value_{kpi.id}", Number(
            f"{kpi.name}{unit}", invalid=f"Enter the value for {kpi.name} as a number",
            description=f"Target {kpi.target.normalize():f}{kpi.unit or ''}. "
                        "Leave empty if not reported",
            default=ret.value if ret else None,
            validators=[Optional()]))
        setattr(KpiReturnsForm, f"commentary_{kpi.id}", TextAreaField(
            f"Commentary on {kpi.name} (optional)", widget=GovTextArea(),
            default=ret.commentary if ret else None,
            validators=[Optional(), Length(max=2000, message=(
                "Commentary must be 2,000 characters or fewer"))]))
    return KpiReturnsForm()
