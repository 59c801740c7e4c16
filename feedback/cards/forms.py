"""Forms for the action card journey, tracking and me too.

Every form is a Flask-WTF form (CSRF on). Error messages follow GOV.UK style.
"""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..i18n import lazy_gettext as _l, translated_choices
from ..widgets import (GovCharacterCount, GovCheckboxesInput, GovRadioInput, GovSubmitInput,
                       GovTextInput)
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
    service = RadioField(_l("Which service is your card about?"), widget=GovRadioInput(),
                         validators=[InputRequired(
                             _l("Select the service, or select I'm not sure"))],
                         choices={}, validate_choice=True)
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class KindForm(FlaskForm):
    kind = RadioField(_l("What do you want the service to do?"), widget=GovRadioInput(),
                      choices=translated_choices({"stop": _l("Stop doing something"),
                                                  "start": _l("Start doing something"),
                                                  "change": _l("Change something")}),
                      validators=[InputRequired(_l("Select stop, start or change"))])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class TextForm(FlaskForm):
    text = TextAreaField(
        _l("What do you want, and why?"), widget=GovCharacterCount(),
        filters=[clean_newlines],
        validators=[DataRequired(_l("Enter what you want the service to do")),
                    Length(max=TEXT_LIMIT,
                           message=_l("Your card must be 1,000 characters or fewer"))])
    unsafe = CheckboxesField(
        _l("Your safety"), widget=GovCheckboxesInput(),
        choices=translated_choices({"yes": _l("I don't feel safe")}), validators=[Optional()],
        invalid_message=_l("Select I don't feel safe, or leave it empty"))
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class AboutForm(FlaskForm):
    age_band = RadioField(_l("How old are you?"), widget=GovRadioInput(),
                          choices=translated_choices({
                              **{key: _l(label) for key, label in AGE_BANDS.items()},
                              "none": _l("I'd rather not say")}),
                          validators=[Optional()], validate_choice=True)
    cohorts = CheckboxesField(
        _l("Are any of these true for you?"), widget=GovCheckboxesInput(),
        invalid_message=_l("Select the things that are true for you, or none"),
        choices=translated_choices({
            "in_care": _l("I am in care"), "care_leaver": _l("I am a care leaver"),
            "send": _l("I have special educational needs or a disability (SEND)"),
            "young_carer": _l("I am a young carer")}),
        validators=[Optional()])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ContactForm(FlaskForm):
    method = RadioField(
        _l("Do you want someone to contact you about your card?"), widget=GovRadioInput(),
        choices=translated_choices({
            "none": _l("No, keep me anonymous"), "email": _l("Yes, by email"),
            "phone": _l("Yes, by phone or text"), "worker": _l("Yes, through my worker")}),
        validators=[InputRequired(_l("Select if you want someone to contact you"))])
    detail = StringField(_l("Email address or phone number"), widget=GovTextInput(),
                         filters=[lambda v: v.strip() if isinstance(v, str) else v],
                         validators=[Length(max=254, message=_l(
                             "This must be 254 characters or fewer"))])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def validate_detail(self, field):
        method, value = self.method.data, field.data or ""
        if method == "email":
            if not value:
                raise ValidationError(_l("Enter your email address"))
            if not EMAIL_RE.match(value):
                raise ValidationError(_l("Enter an email address in the correct format, "
                                         "like name@example.com"))
        if method == "phone":
            digits = re.sub(r"[\s()-]", "", value)
            if not value:
                raise ValidationError(_l("Enter your phone number"))
            if not PHONE_RE.match(digits):
                raise ValidationError(_l("Enter a phone number, like 07700 900 982"))


class CheckForm(FlaskForm):
    token = HiddenField()
    submit = SubmitField(_l("Send my card"), widget=GovSubmitInput())


class TrackForm(FlaskForm):
    code = StringField(_l("Your code"), widget=GovTextInput(),
                       validators=[DataRequired(_l("Enter your code")),
                                   Length(max=20, message=_l(
                                       "Your code must be 20 characters or fewer"))])
    submit = SubmitField(_l("Check"), widget=GovSubmitInput())


class DeleteForm(FlaskForm):
    code = HiddenField(validators=[DataRequired()])
    confirm = HiddenField()
    submit = SubmitField(_l("Delete my card"), widget=GovSubmitInput())


class MeTooForm(FlaskForm):
    submit = SubmitField(_l("Me too"), widget=GovSubmitInput())


assert set(KindForm.kind.kwargs["choices"]()) == set(CARD_KINDS)
