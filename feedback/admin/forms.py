"""Forms for managing staff accounts."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import (RadioField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Regexp

from ..form_helpers import choices
from ..widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from ..permissions import ROLES


class UserForm(FlaskForm):
    """Create or edit a member of staff. ``organisation`` choices are set by the route."""

    name = StringField("Full name", widget=GovTextInput(), validators=[
        DataRequired("Enter the person's full name"),
        Length(max=200, message="Full name must be 200 characters or fewer")])
    email = StringField("Email address", widget=GovTextInput(), validators=[
        DataRequired("Enter the person's email address"),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
               message="Enter an email address in the correct format, like name@example.com"),
        Length(max=254, message="Email address must be 254 characters or fewer")])
    organisation = SelectField("Organisation", widget=GovSelect(), choices=[])
    roles = SelectMultipleField(
        "Roles", widget=GovCheckboxesInput(), choices=choices(ROLES.items()),
        description="Select all that apply",
        validators=[DataRequired("Select at least one role")])
    active = RadioField("Can this person sign in?", widget=GovRadioInput(),
                        choices=choices([("yes", "Yes"), ("no", "No, deactivate the account")]),
                        default="yes",
                        validators=[DataRequired("Select whether this person can sign in")])
    submit = SubmitField("Save", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button behind CSRF, for actions that need no other input."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class OtherNamesForm(FlaskForm):
    """The other names of a service: one a line (or separated by commas)."""

    names = TextAreaField(
        "Other names people use for this service", widget=GovTextArea(),
        description="What young people and families call it, one a line, like \u201ctaxi\u201d, "
                    "\u201csocial worker\u201d or \u201cCAMHS\u201d. Search and imports find the "
                    "service by these names as well as its own.",
        validators=[Length(max=4000, message="Other names must be 4,000 characters or fewer")])
    submit = SubmitField("Save other names", widget=GovSubmitInput())


class ApiTokenForm(FlaskForm):
    """A new open data API token: the system that will use it."""

    name = StringField(
        "Which system will use this token?", widget=GovTextInput(),
        description="For example \u201cPower BI, commissioning team\u201d. You will see the "
                    "token once, when it is made.",
        validators=[DataRequired("Enter the name of the system that will use the token"),
                    Length(max=100, message="The name must be 100 characters or fewer")])
    submit = SubmitField("Create token", widget=GovSubmitInput())
