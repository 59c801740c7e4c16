"""Forms for managing staff accounts."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea, GovTextInput
from wtforms import (RadioField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Regexp

from ..form_helpers import choices
from ..i18n import lazy_gettext as _l
from ..models.services import MAX_PLAIN_NAME
from ..widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from ..permissions import ROLES


class UserForm(FlaskForm):
    """Create or edit a member of staff. ``organisation`` choices are set by the route."""

    name = StringField(_l("Full name"), widget=GovTextInput(), validators=[
        DataRequired(_l("Enter the person's full name")),
        Length(max=200, message=_l("Full name must be 200 characters or fewer"))])
    email = StringField(_l("Email address"), widget=GovTextInput(), validators=[
        DataRequired(_l("Enter the person's email address")),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
               message=_l("Enter an email address in the correct format, like name@example.com")),
        Length(max=254, message=_l("Email address must be 254 characters or fewer"))])
    organisation = SelectField(_l("Organisation"), widget=GovSelect(), choices=[])
    roles = SelectMultipleField(
        _l("Roles"), widget=GovCheckboxesInput(),
        choices=choices((role, _l(label)) for role, label in ROLES.items()),
        description=_l("Select all that apply"),
        validators=[DataRequired(_l("Select at least one role"))])
    active = RadioField(_l("Can this person sign in?"), widget=GovRadioInput(),
                        choices=choices([("yes", _l("Yes")), ("no", _l("No, deactivate the account"))]),
                        default="yes",
                        validators=[DataRequired(_l("Select whether this person can sign in"))])
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button behind CSRF, for actions that need no other input."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class OtherNamesForm(FlaskForm):
    """The other names of a service: one a line (or separated by commas)."""

    names = TextAreaField(
        _l("Other names people use for this service"), widget=GovTextArea(),
        description=_l("What young people and families call it, one a line, like \u201ctaxi\u201d, "
                        "\u201csocial worker\u201d or \u201cCAMHS\u201d. Search and imports find "
                        "the service by these names as well as its own."),
        validators=[Length(max=4000, message=_l("Other names must be 4,000 characters or fewer"))])
    submit = SubmitField(_l("Save other names"), widget=GovSubmitInput())


class PlainNamesForm(FlaskForm):
    """The names young people and families see for a service. The rules (required, length,
    control characters) live in ``plain_names``; the form only carries the words."""

    plain_name = StringField(
        _l("Plain name"), widget=GovTextInput(),
        description=_l("What young people and families see: on the service’s page, in the "
                        "card journey, the family feedback form and “You said, we did”, "
                        "and on Welsh pages when there is no Welsh name. Use the words they "
                        "would use, up to %(most)s characters.", most=MAX_PLAIN_NAME))
    plain_name_cy = StringField(
        _l("Welsh name (optional)"), widget=GovTextInput(), render_kw={"lang": "cy"},
        description=_l("Shown instead of the plain name on the Welsh pages. A fluent Welsh "
                        "speaker should write it or check it. Leave it empty to show the plain "
                        "name, in English, on Welsh pages."))
    submit = SubmitField(_l("Save names"), widget=GovSubmitInput())


class ApiTokenForm(FlaskForm):
    """A new open data API token: the system that will use it."""

    name = StringField(
        _l("Which system will use this token?"), widget=GovTextInput(),
        description=_l("For example \u201cPower BI, commissioning team\u201d. You will see "
                        "the token once, when it is made."),
        validators=[DataRequired(_l("Enter the name of the system that will use the token")),
                    Length(max=100, message=_l("The name must be 100 characters or fewer"))])
    submit = SubmitField(_l("Create token"), widget=GovSubmitInput())
