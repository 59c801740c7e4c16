"""Forms for a member of staff's own account."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovTextInput
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from ..i18n import lazy_gettext as _l
from ..widgets import GovRadioInput, GovSubmitInput

CODE_FIELD = dict(widget=GovTextInput(), validators=[
    DataRequired(_l("Enter the 6-digit code from your authenticator app")),
    Length(max=20, message=_l("Security code must be 20 characters or fewer"))])


class ConfirmCodeForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), **CODE_FIELD)
    submit = SubmitField(_l("Turn on two-factor sign-in"), widget=GovSubmitInput())


class RecoveryCodesForm(FlaskForm):
    code = StringField(_l("Code from your authenticator app"), **CODE_FIELD)
    submit = SubmitField(_l("Make new recovery codes"), widget=GovSubmitInput())


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(_l("Your password"), widget=GovPasswordInput(), validators=[
        DataRequired(_l("Enter your password")),
        Length(max=256, message=_l("Password must be 256 characters or fewer"))])
    code = StringField(_l("Code from your authenticator app"), **CODE_FIELD)
    submit = SubmitField(_l("Turn off two-factor sign-in"), widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), widget=GovPasswordInput(), validators=[
        DataRequired(_l("Enter your current password")),
        Length(max=256, message=_l("Password must be 256 characters or fewer"))])
    new_password = PasswordField(
        _l("New password"), widget=GovPasswordInput(),
        description=_l("At least 12 characters. A few unrelated words make a good password"),
        validators=[DataRequired(_l("Enter a new password")),
                    Length(max=256, message=_l("Password must be 256 characters or fewer"))])
    confirm_password = PasswordField(_l("Confirm new password"), widget=GovPasswordInput(), validators=[
        DataRequired(_l("Confirm your new password")),
        EqualTo("new_password", message=_l("Passwords must match"))])
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class DigestForm(FlaskForm):
    """The daily digest: on or off."""

    digest = RadioField(_l("Email me a daily digest of what waits for me"), widget=GovRadioInput(),
                        choices=[SelectChoice("on", _l("Yes, at most once a day, only when "
                                                       "something waits for me")),
                                 SelectChoice("off", _l("No, do not email me a digest"))],
                        invalid_choice_message=_l("Select yes or no"),
                        validators=[DataRequired(_l("Select yes or no"))])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())
