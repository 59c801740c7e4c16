"""Sign-in form."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ..i18n import lazy_gettext as _l
from ..widgets import GovSubmitInput


class LoginForm(FlaskForm):
    email = StringField(
        _l("Email address"), widget=GovTextInput(),
        validators=[DataRequired(_l("Enter your email address")),
                    # Format only: sign-in must work for reserved demo domains too.
                    Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                           message=_l("Enter an email address in the correct format, "
                                      "like name@example.com")),
                    Length(max=254, message=_l("Email address must be 254 characters or fewer"))])
    password = PasswordField(
        _l("Password"), widget=GovPasswordInput(),
        validators=[DataRequired(_l("Enter your password")),
                    Length(max=256, message=_l("Password must be 256 characters or fewer"))])
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Security code"), widget=GovTextInput(),
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes"),
        validators=[DataRequired(_l("Enter the security code from your authenticator app")),
                    Length(max=20, message=_l("Security code must be 20 characters or fewer"))])
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class ChoosePasswordForm(FlaskForm):
    """An invited person's first password (the same rules as a change of password)."""

    new_password = PasswordField(
        _l("Choose a password"), widget=GovPasswordInput(),
        description=_l("At least 12 characters. A few unrelated words make a good password"),
        validators=[DataRequired(_l("Enter a password")),
                    Length(max=256, message=_l("Password must be 256 characters or fewer"))])
    confirm_password = PasswordField(_l("Confirm your password"), widget=GovPasswordInput(),
                                     validators=[DataRequired(_l("Confirm your password")),
                                                 EqualTo("new_password",
                                                         message=_l("Passwords must match"))])
    submit = SubmitField(_l("Save password and continue"), widget=GovSubmitInput())
