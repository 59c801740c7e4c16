"""Forms for the action card journey, tracking and me too.

Every form is a Flask-WTF form (CSRF on). Error messages follow GOV.UK style.
"""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextInput
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..widgets import GovCheckboxesInput, GovRadioInput, GovSubmitInput
from ..models.cards import CARD_KINDS
from ..models.submissions import AGE_BANDS

TEXT_LIMIT = 1000
UNSURE = "unsure"
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^(?:\+44|0)\d{9,10}$")


def clean_newlines(value):
    """Browsers send a textarea's line breaks as CR LF; store one LF each, as counted."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Checkboxes whose unknown values get a GOV.UK style message, not WTForms' own."""

    def __init__(self, *args, invalid_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form):
        allowed = {str(value) for value, *_ in self.iter_choices()}
        if any(str(value) not in allowed for value in self.data or ()):
            raise ValidationError(self.invalid_message)


class ServiceForm(FlaskForm):
    service = RadioField("Which service is your card about?", widget=GovRadioInput(),
                         validators=[InputRequired("Select the service, or select I'm not sure")],
                         choices={}, validate_choice=True)
    submit = SubmitField("Continue", widget=GovSubmitInput())


class KindForm(FlaskForm):
    kind = RadioField("What do you want the service to do?", widget=GovRadioInput(),
                      choices={"stop": "Stop doing something", "start": "Start doing something",
                               "change": "Change something"},
                      validators=[InputRequired("Select stop, start or change")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class TextForm(FlaskForm):
    text = TextAreaField(
        "What do you want, and why?", widget=GovCharacterCount(),
        filters=[clean_newlines],
        validators=[DataRequired("Enter what you want the service to do"),
                    Length(max=TEXT_LIMIT, message="Your card must be 1,000 characters or fewer")])
    unsafe = CheckboxesField(
        "Your safety", widget=GovCheckboxesInput(),
        choices={"yes": "I don't feel safe"}, validators=[Optional()],
        invalid_message="Select I don't feel safe, or leave it empty")
    submit = SubmitField("Continue", widget=GovSubmitInput())


class AboutForm(FlaskForm):
    age_band = RadioField("How old are you?", widget=GovRadioInput(),
                          choices={**AGE_BANDS, "none": "I'd rather not say"},
                          validators=[Optional()], validate_choice=True)
    cohorts = CheckboxesField(
        "Are any of these true for you?", widget=GovCheckboxesInput(),
        invalid_message="Select the things that are true for you, or none",
        choices={"in_care": "I am in care", "care_leaver": "I am a care leaver",
                 "send": "I have special educational needs or a disability (SEND)",
                 "young_carer": "I am a young carer"},
        validators=[Optional()])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ContactForm(FlaskForm):
    method = RadioField(
        "Do you want someone to contact you about your card?", widget=GovRadioInput(),
        choices={"none": "No, keep me anonymous", "email": "Yes, by email",
                 "phone": "Yes, by phone or text", "worker": "Yes, through my worker"},
        validators=[InputRequired("Select if you want someone to contact you")])
    detail = StringField("Email address or phone number", widget=GovTextInput(),
                         filters=[lambda v: v.strip() if isinstance(v, str) else v],
                         validators=[Length(max=254, message="This must be 254 characters or fewer")])
    submit = SubmitField("Continue", widget=GovSubmitInput())

    def validate_detail(self, field):
        method, value = self.method.data, field.data or ""
        if method == "email":
            if not value:
                raise ValidationError("Enter your email address")
            if not EMAIL_RE.match(value):
                raise ValidationError("Enter an email address in the correct format, "
                                      "like name@example.com")
        if method == "phone":
            digits = re.sub(r"[\s()-]", "", value)
            if not value:
                raise ValidationError("Enter your phone number")
            if not PHONE_RE.match(digits):
                raise ValidationError("Enter a phone number, like 07700 900 982")


class CheckForm(FlaskForm):
    token = HiddenField()
    submit = SubmitField("Send my card", widget=GovSubmitInput())


class TrackForm(FlaskForm):
    code = StringField("Your code", widget=GovTextInput(),
                       validators=[DataRequired("Enter your code"),
                                   Length(max=20, message="Your code must be 20 characters or fewer")])
    submit = SubmitField("Check", widget=GovSubmitInput())


class DeleteForm(FlaskForm):
    code = HiddenField(validators=[DataRequired()])
    confirm = HiddenField()
    submit = SubmitField("Delete my card", widget=GovSubmitInput())


class MeTooForm(FlaskForm):
    submit = SubmitField("Me too", widget=GovSubmitInput())


assert set(KindForm.kind.kwargs["choices"]) == set(CARD_KINDS)
