"""Sign-in form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..widgets import GovSubmitInput


class LoginForm(FlaskForm):
    email = StringField(
        "Email address", widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"),
                    # Format only: sign-in must work for reserved demo domains too.
                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                           message="Enter an email address in the correct format, "
                                   "like name@example.com"),
                    Length(max=254, message="Email address must be 254 characters or fewer")])
    password = PasswordField(
        "Password", widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"),
                    Length(max=256, message="Password must be 256 characters or fewer")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SecondFactorForm(FlaskForm):
    code = StringField(
        "Security code", widget=GovTextInput(),
        description="The 6-digit code from your authenticator app, or one of your recovery codes",
        validators=[DataRequired("Enter the security code from your authenticator app"),
                    Length(max=20, message="Security code must be 20 characters or fewer")])
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ChoosePasswordForm(FlaskForm):
    """An invited person's first password (the same rules as a change of password)."""

    new_password = PasswordField(
        "Choose a password", widget=GovPasswordInput(),
        description="At least 12 characters. A few unrelated words make a good password",
        validators=[DataRequired("Enter a password"),
                    Length(max=256, message="Password must be 256 characters or fewer")])
    confirm_password = PasswordField("Confirm your password", widget=GovPasswordInput(),
                                     validators=[DataRequired("Confirm your password"),
                                                 EqualTo("new_password",
                                                         message="Passwords must match")])
    submit = SubmitField("Save password and continue", widget=GovSubmitInput())
