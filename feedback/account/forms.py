"""Forms for a member of staff's own account."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ..widgets import GovRadioInput, GovSubmitInput

CODE_FIELD = dict(widget=GovTextInput(), validators=[
    DataRequired("Enter the 6-digit code from your authenticator app"),
    Length(max=20, message="Security code must be 20 characters or fewer")])


class ConfirmCodeForm(FlaskForm):
    code = StringField("Code from your authenticator app", **CODE_FIELD)
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class RecoveryCodesForm(FlaskForm):
    code = StringField("Code from your authenticator app", **CODE_FIELD)
    submit = SubmitField("Make new recovery codes", widget=GovSubmitInput())


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField("Your password", widget=GovPasswordInput(), validators=[
        DataRequired("Enter your password"),
        Length(max=256, message="Password must be 256 characters or fewer")])
    code = StringField("Code from your authenticator app", **CODE_FIELD)
    submit = SubmitField("Turn off two-factor sign-in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", widget=GovPasswordInput(), validators=[
        DataRequired("Enter your current password"),
        Length(max=256, message="Password must be 256 characters or fewer")])
    new_password = PasswordField(
        "New password", widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words make a good password",
        validators=[DataRequired("Enter a new password"),
                    Length(max=256, message="Password must be 256 characters or fewer")])
    confirm_password = PasswordField("Confirm new password", widget=GovPasswordInput(), validators=[
        DataRequired("Confirm your new password"),
        EqualTo("new_password", message="Passwords must match")])
    submit = SubmitField("Change password", widget=GovSubmitInput())


class DigestForm(FlaskForm):
    """The daily digest: on or off."""

    digest = RadioField("Email me a daily digest of what waits for me", widget=GovRadioInput(),
                        choices=[SelectChoice("on", "Yes, at most once a day, only when "
                                                    "something waits for me"),
                                 SelectChoice("off", "No, do not email me a digest")],
                        invalid_choice_message="Select yes or no",
                        validators=[DataRequired("Select yes or no")])
    submit = SubmitField("Save", widget=GovSubmitInput())
